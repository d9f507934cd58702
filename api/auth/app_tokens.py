"""The app's own bearer tokens: HS256 JWTs signed with the secret key (older keys still verify)."""
from __future__ import annotations

import time
from functools import lru_cache

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from sqlalchemy.orm import Session

from engine.accounts.app_tokens import AppTokenClaims, record_app_token
from engine.config import Settings
from engine.models import Employee

LOCAL_ISSUER = "opsta-local"
AUDIENCE = "opsta-api"
# The employee's credentials epoch when the token was issued (see engine.accounts.revocation).
EPOCH_CLAIM = "cep"


def _key(settings: Settings) -> OctKey:
    return _key_for(settings.secret_key)


@lru_cache(maxsize=4)
def _key_for(secret_key: str) -> OctKey:
    # Importing the key costs as much as checking the signature; every request needs it, the secret rarely changes.
    return OctKey.import_key(secret_key.encode())


def issue_token(*, session: Session, settings: Settings, employee: Employee, user_agent: str = "",
                remote_addr: str = "") -> dict:
    """A recorded access token for `employee`, shaped as an OAuth 2 token response (the record is committed)."""
    record = record_app_token(session=session, employee=employee, ttl_seconds=settings.token_ttl_seconds,
                              user_agent=user_agent, remote_addr=remote_addr)
    claims = {"iss": LOCAL_ISSUER, "aud": AUDIENCE, "sub": str(employee.id), "jti": record.jti,
              EPOCH_CLAIM: employee.credentials_epoch, "iat": int(record.issued_at.timestamp()),
              "exp": int(record.expires_at.timestamp())}
    token = jwt.encode({"alg": "HS256"}, claims, _key(settings))
    return {"access_token": token, "token_type": "Bearer", "expires_in": settings.token_ttl_seconds}


def verify_token(settings: Settings, token: str) -> AppTokenClaims | None:
    """The claims of an app token whose signature checks out and that has not expired, else None.

    Whether it was revoked is for the caller to check against the database (`live_token_clause`).
    """
    # A rotated-out key (OPSTA_PREVIOUS_SECRET_KEYS) still verifies the tokens it signed until retired.
    verified = next(filter(None, (_verified_claims(key, token) for key in settings.verifying_secret_keys)), None)
    if verified is None:
        return None
    claims, expires_at = verified
    return claims if time.time() < expires_at else None


@lru_cache(maxsize=4096)
def _verified_claims(secret_key: str, token: str) -> tuple[AppTokenClaims, int] | None:
    """(claims, expiry) of a token whose signature and claims check out, else None.

    Cached per process because a phone sends the same token with every punch and checking it costs as
    much as a database round trip. The answer for one (key, token) pair never changes, except for
    expiry, which `verify_token` checks on every call, and revocation, which lives in the database.
    """
    try:
        decoded = jwt.decode(token, _key_for(secret_key), algorithms=["HS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": LOCAL_ISSUER},
            aud={"essential": True, "value": AUDIENCE},
            exp={"essential": True},
            sub={"essential": True},
            jti={"essential": True},
        ).validate(decoded.claims)
        epoch = decoded.claims[EPOCH_CLAIM]
        if not isinstance(epoch, int) or isinstance(epoch, bool):
            return None
        claims = AppTokenClaims(int(decoded.claims["sub"]), str(decoded.claims["jti"]), epoch)
        return claims, int(decoded.claims["exp"])
    except (JoseError, ValueError, TypeError, KeyError):
        return None
