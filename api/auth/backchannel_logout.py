"""OpenID Connect Back-Channel Logout 1.0: the provider's signed logout token ends our sessions.

The provider POSTs `logout_token` (a JWT it signed) when a person's session there ends. We check
it as section 2.6 asks: signature with the provider's keys, `iss`, `aud` (our client id), `iat`,
the back-channel logout event, a `sub` or `sid`, and no `nonce` (so an ID token cannot pass).
A replayed token only ends sessions that are already ended, so no replay cache is kept.
"""
from __future__ import annotations

import time

from api.auth.oidc_tokens import InvalidToken, OidcTokenVerifier

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# A logout token issued longer ago than this is refused (its iat), in case it was captured.
MAX_AGE_SECONDS = 600


class InvalidLogoutToken(Exception):
    """Why a logout token was refused, for the provider's logs (answered with 400)."""


def logout_subject(*, verifier: OidcTokenVerifier, client_id: str, token: str) -> tuple[str | None, str | None]:
    """(sub, sid) of a valid logout token for `client_id`; raises InvalidLogoutToken otherwise."""
    try:
        claims = verifier.signed_claims(token)
        verifier.check_claims(claims, audience=client_id, exp_required=False)
    except InvalidToken as exc:
        raise InvalidLogoutToken(exc.message) from exc
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)) or iat < time.time() - MAX_AGE_SECONDS:
        raise InvalidLogoutToken("The logout token has no 'iat', or it is too old.")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(LOGOUT_EVENT), dict):
        raise InvalidLogoutToken("The token carries no back-channel logout event.")
    if "nonce" in claims:
        raise InvalidLogoutToken("A logout token must not carry a nonce.")
    if not claims.get("jti"):
        raise InvalidLogoutToken("The logout token has no 'jti'.")
    sub, sid = claims.get("sub"), claims.get("sid")
    if not (isinstance(sub, str) and sub) and not (isinstance(sid, str) and sid):
        raise InvalidLogoutToken("The logout token names neither a 'sub' nor a 'sid'.")
    return (sub if isinstance(sub, str) and sub else None), (sid if isinstance(sid, str) and sid else None)
