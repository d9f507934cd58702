"""The app's own bearer tokens: HS256 JWTs signed with the secret key."""
from __future__ import annotations

import time
from functools import lru_cache

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from engine.config import Settings

LOCAL_ISSUER = "opsta-local"
AUDIENCE = "opsta-api"


def _key(settings: Settings) -> OctKey:
    return _key_for(settings.secret_key)


@lru_cache(maxsize=4)
def _key_for(secret_key: str) -> OctKey:
    # Importing the key costs as much as checking the signature; every request needs it, the secret rarely changes.
    return OctKey.import_key(secret_key.encode())


def issue_token(settings: Settings, employee_id: int) -> dict:
    """An access token for `employee_id`, shaped as an OAuth 2 token response."""
    now = int(time.time())
    claims = {"iss": LOCAL_ISSUER, "aud": AUDIENCE, "sub": str(employee_id), "iat": now,
              "exp": now + settings.token_ttl_seconds}
    token = jwt.encode({"alg": "HS256"}, claims, _key(settings))
    return {"access_token": token, "token_type": "Bearer", "expires_in": settings.token_ttl_seconds}


def verify_token(settings: Settings, token: str) -> int | None:
    """The employee id in a valid app token, or None when the token is not valid (or has expired)."""
    verified = _verified_subject(settings.secret_key, token)
    if verified is None:
        return None
    employee_id, expires_at = verified
    return employee_id if time.time() < expires_at else None


@lru_cache(maxsize=4096)
def _verified_subject(secret_key: str, token: str) -> tuple[int, int] | None:
    """(employee id, expiry) of a token whose signature and claims check out, else None.

    Cached per process because a phone sends the same token with every punch and checking it costs as
    much as a database round trip. The answer for one (key, token) pair never changes, except for
    expiry, which `verify_token` checks on every call.
    """
    try:
        decoded = jwt.decode(token, _key_for(secret_key), algorithms=["HS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": LOCAL_ISSUER},
            aud={"essential": True, "value": AUDIENCE},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
        return int(decoded.claims["sub"]), int(decoded.claims["exp"])
    except (JoseError, ValueError, TypeError):
        return None
