"""Bearer tokens from the organisation's OpenID provider: discovery, cached JWKS, and verification."""
from __future__ import annotations

import json
import logging
import math
import threading
import time
from typing import Callable

import requests
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey, import_key

log = logging.getLogger(__name__)

TOKEN_MALFORMED = "token_malformed"
TOKEN_BAD_ALGORITHM = "token_bad_algorithm"
TOKEN_UNKNOWN_KEY = "token_unknown_key"
TOKEN_BAD_SIGNATURE = "token_bad_signature"
TOKEN_WRONG_ISSUER = "token_wrong_issuer"
TOKEN_WRONG_AUDIENCE = "token_wrong_audience"
TOKEN_EXPIRED = "token_expired"
TOKEN_NOT_YET_VALID = "token_not_yet_valid"
TOKEN_WRONG_TYPE = "token_wrong_type"
ID_TOKEN_ONLY_CLAIMS = ("nonce", "at_hash", "c_hash")
OIDC_UNAVAILABLE = "oidc_unavailable"

# Only asymmetric algorithms: with HS* a public key would double as the shared secret.
KEY_TYPE_FOR_ALGORITHM = {"RS256": RSAKey, "ES256": ECKey}
RETRY_AFTER_FAILURE_SECONDS = 30.0


class InvalidToken(Exception):
    """A bearer token was refused; ``reason_code`` is a stable code for clients and logs."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message


class OidcUnavailable(InvalidToken):
    """The provider's discovery document or keys could not be fetched."""

    def __init__(self, message: str):
        super().__init__(OIDC_UNAVAILABLE, message)


def _fetch_json(session: requests.Session, url: str, timeout: float) -> dict:
    try:
        response = session.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcUnavailable(f"Cannot fetch {url}: {exc}") from exc
    if not isinstance(document, dict):
        raise OidcUnavailable(f"{url} did not return a JSON object.")
    return document


class _CachedDocument:
    """A remote document fetched on demand, kept for ``cache_seconds``, served stale while the source is down."""

    def __init__(self, fetch: Callable[[], object], *, cache_seconds: float, clock: Callable[[], float]):
        self._fetch = fetch
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._value = None
        self._fresh_until = float("-inf")
        self.fetched_at = float("-inf")

    def get(self, *, force: bool = False) -> tuple:
        """The document, and whether this call fetched it."""
        with self._lock:
            now = self._clock()
            if not force and self._value is not None and now < self._fresh_until:
                return self._value, False
            try:
                value = self._fetch()
            except OidcUnavailable as exc:
                if self._value is None or force:
                    raise
                # A provider outage should not lock everyone out while the keys we hold are still good.
                log.warning("Serving a stale OIDC document: %s", exc.message)
                self._fresh_until = now + RETRY_AFTER_FAILURE_SECONDS
                return self._value, False
            self._value, self._fresh_until, self.fetched_at = value, now + self._cache_seconds, now
            return value, True


class OidcDiscovery:
    """The provider's ``/.well-known/openid-configuration``, fetched on first use and cached."""

    def __init__(self, discovery_url: str, *, cache_seconds: float = 3600, timeout: float = 5.0,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.time):
        self.discovery_url = discovery_url
        self.timeout = timeout
        self.session = session or requests.Session()
        self._document = _CachedDocument(self._fetch, cache_seconds=cache_seconds, clock=clock)

    def _fetch(self) -> dict:
        document = _fetch_json(self.session, self.discovery_url, self.timeout)
        for name in ("issuer", "jwks_uri"):
            if not isinstance(document.get(name), str) or not document[name]:
                raise OidcUnavailable(f"The discovery document at {self.discovery_url} has no '{name}'.")
        return document

    def metadata(self) -> dict:
        """The whole discovery document; raises OidcUnavailable when it cannot be had."""
        return self._document.get()[0]

    @property
    def issuer(self) -> str:
        return self.metadata()["issuer"]

    @property
    def jwks_uri(self) -> str:
        return self.metadata()["jwks_uri"]

    @property
    def authorization_endpoint(self) -> str | None:
        return self.metadata().get("authorization_endpoint")

    @property
    def token_endpoint(self) -> str | None:
        return self.metadata().get("token_endpoint")

    @property
    def userinfo_endpoint(self) -> str | None:
        return self.metadata().get("userinfo_endpoint")

    @property
    def end_session_endpoint(self) -> str | None:
        return self.metadata().get("end_session_endpoint")


def _import_signing_keys(jwks: dict) -> list:
    """The usable public signing keys of a JWKS; keys we cannot use are skipped, not fatal."""
    keys = []
    for entry in jwks.get("keys") or []:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            key = import_key(entry)
        except (JoseError, ValueError, TypeError) as exc:
            log.warning("Skipping an unusable JWKS key %r: %s", entry.get("kid"), exc)
            continue
        if isinstance(key, (RSAKey, ECKey)):
            keys.append(key)
    return keys


def _key_fits(key, alg: str) -> bool:
    if not isinstance(key, KEY_TYPE_FOR_ALGORITHM[alg]):
        return False
    if isinstance(key, ECKey) and key.get("crv") != "P-256":
        return False
    return key.get("alg") in (None, alg)


class OidcTokenVerifier:
    """Verify JWT access tokens issued by the OpenID provider for this API's audience."""

    def __init__(self, discovery_url: str, audience: str, *, cache_seconds: float = 3600, timeout: float = 5.0,
                 leeway_seconds: float = 30, refetch_interval_seconds: float = 30,
                 algorithms: tuple[str, ...] = ("RS256", "ES256"), required_token_type: str | None = None,
                 refuse_id_tokens: bool = False, discovery: OidcDiscovery | None = None,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.time):
        unsupported = set(algorithms) - set(KEY_TYPE_FOR_ALGORITHM)
        if unsupported or not algorithms:
            raise ValueError(f"Unsupported token algorithms: {sorted(unsupported) or 'none given'}")
        if not audience:
            raise ValueError("An expected audience is required.")
        self.audience = audience
        self.algorithms = tuple(algorithms)
        # e.g. "at+jwt" (RFC 9068) keeps ID tokens from passing as access tokens when aud == client id.
        self.required_token_type = required_token_type.lower() if required_token_type else None
        # When the audience is the client id, an ID token would pass the audience check: refuse tokens
        # with the claims only ID tokens carry (OpenID Connect Core 3.1.3.6 and 3.3.2.11).
        self.refuse_id_tokens = refuse_id_tokens
        self.leeway_seconds = leeway_seconds
        self.refetch_interval_seconds = refetch_interval_seconds
        self._clock = clock
        self.discovery = discovery or OidcDiscovery(discovery_url, cache_seconds=cache_seconds, timeout=timeout,
                                                    session=session, clock=clock)
        self._keys = _CachedDocument(self._fetch_keys, cache_seconds=cache_seconds, clock=clock)
        self._refetch_lock = threading.Lock()
        self._last_unknown_key_refetch = float("-inf")

    def _fetch_keys(self) -> list:
        jwks = _fetch_json(self.discovery.session, self.discovery.jwks_uri, self.discovery.timeout)
        return _import_signing_keys(jwks)

    def verify(self, token: str) -> dict:
        """The claims of a valid token; raises InvalidToken with a reason code otherwise."""
        claims = self.signed_claims(token, required_type=self.required_token_type)
        self.check_claims(claims)
        if self.refuse_id_tokens and any(name in claims for name in ID_TOKEN_ONLY_CLAIMS):
            raise InvalidToken(TOKEN_WRONG_TYPE, "This is an ID token; send the access token instead.")
        return claims

    def signed_claims(self, token: str, *, required_type: str | None = None) -> dict:
        """The payload of a JWT the provider signed (algorithm, key and signature checked), whatever
        its claims say; raises InvalidToken otherwise. The claims are for the caller to check."""
        signed = self._parse(token)
        header = signed.headers()
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise InvalidToken(TOKEN_BAD_ALGORITHM, f"Tokens signed with {alg!r} are not accepted.")
        if required_type and self._token_type(header) != required_type:
            raise InvalidToken(TOKEN_WRONG_TYPE, f"Only '{required_type}' tokens are accepted here.")
        if not self._signature_valid(signed, alg, header.get("kid")):
            raise InvalidToken(TOKEN_BAD_SIGNATURE, "The token signature does not match the provider's key.")
        try:
            claims = json.loads(signed.payload)
        except ValueError as exc:
            raise InvalidToken(TOKEN_MALFORMED, "The token payload is not JSON.") from exc
        if not isinstance(claims, dict):
            raise InvalidToken(TOKEN_MALFORMED, "The token payload is not a JSON object.")
        return claims

    @staticmethod
    def _token_type(header: dict) -> str:
        typ = str(header.get("typ") or "").lower()
        return typ.removeprefix("application/")

    @staticmethod
    def _parse(token: str):
        if isinstance(token, bytes):
            token = token.decode("ascii", "replace")
        if not isinstance(token, str) or token.count(".") != 2:
            raise InvalidToken(TOKEN_MALFORMED, "The token is not a compact JWT.")
        try:
            signed = jws.extract_compact(token.encode("ascii", "replace"))
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken(TOKEN_MALFORMED, "The token cannot be decoded.") from exc
        if "crit" in signed.headers():
            raise InvalidToken(TOKEN_MALFORMED, "Tokens with critical header extensions are not accepted.")
        return signed

    def _signature_valid(self, signed, alg: str, kid: str | None) -> bool:
        candidates = self._candidate_keys(alg, kid)
        for key in candidates:
            try:
                if jws.validate_compact(signed, key, algorithms=[alg]):
                    return True
            except JoseError:
                continue
        return False

    def _candidate_keys(self, alg: str, kid: str | None) -> list:
        unknown = InvalidToken(TOKEN_UNKNOWN_KEY, f"Key {kid!r} is not published by the provider." if kid
                               else f"The provider publishes no {alg} key.")
        published, fetched_now = self._keys.get()
        keys = self._matching(published, alg, kid)
        if keys or kid is None or fetched_now:
            if not keys:
                raise unknown
            return keys
        # An unknown kid usually means the provider rotated keys; look again, but rarely,
        # so a stream of made-up kids cannot turn us into a JWKS flood.
        with self._refetch_lock:
            now = self._clock()
            if now - self._last_unknown_key_refetch < self.refetch_interval_seconds:
                raise unknown
            self._last_unknown_key_refetch = now
        published, _ = self._keys.get(force=True)
        keys = self._matching(published, alg, kid)
        if not keys:
            raise unknown
        return keys

    @staticmethod
    def _matching(published: list, alg: str, kid: str | None) -> list:
        if kid is not None:
            return [key for key in published if key.kid == kid]
        return [key for key in published if _key_fits(key, alg)]

    def check_claims(self, claims: dict, *, audience: str | None = None, exp_required: bool = True) -> None:
        """Issuer, audience (ours unless given), expiry, `nbf` and `iat`; raises InvalidToken."""
        if claims.get("iss") != self.discovery.issuer:
            raise InvalidToken(TOKEN_WRONG_ISSUER, "The token was issued by another provider.")
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences
        if not isinstance(audiences, list) or (audience or self.audience) not in audiences:
            raise InvalidToken(TOKEN_WRONG_AUDIENCE, "The token is meant for another audience.")
        now = self._clock()
        exp = self._time_claim(claims, "exp", required=exp_required)
        if exp is not None and now > exp + self.leeway_seconds:
            raise InvalidToken(TOKEN_EXPIRED, "The token has expired.")
        for name in ("nbf", "iat"):
            moment = self._time_claim(claims, name, required=False)
            if moment is not None and moment > now + self.leeway_seconds:
                raise InvalidToken(TOKEN_NOT_YET_VALID, f"The token's '{name}' is in the future.")

    @staticmethod
    def _time_claim(claims: dict, name: str, *, required: bool) -> float | None:
        value = claims.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidToken(TOKEN_MALFORMED, f"The token's '{name}' claim is missing or not a number.")
        return float(value)
