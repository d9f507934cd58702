"""The browser's OpenID Connect sign-in: the authorization request and what the callback learns.

In the authorization-code flow a conformant provider returns the claims of the `profile` and
`email` scopes from its UserInfo endpoint, not in the ID token (OpenID Connect Core 5.4). So when
the ID token lacks the claims we match people on, the callback asks UserInfo with the access token
and takes them from there, after checking that UserInfo speaks of the same `sub`. Where the
provider advertises the `claims` request parameter, the sign-in asks for those claims by name.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Callable

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask

from engine.config import Settings


class SignInFailed(Exception):
    """The provider's answer could not be verified; the message is safe to show."""


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the provider says signed in, and what we keep of the sign-in for logout."""

    claims: dict
    sub: str
    sid: str | None
    id_token: str | None


def register_oidc_client(app: Flask, settings: Settings):
    """The authlib client for the provider of `settings` (PKCE S256), registered on `app`."""
    oauth = OAuth(app)
    return oauth.register(
        "sso",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_discovery_url,
        client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256",
                       "timeout": settings.oidc_http_timeout_seconds},
    )


def wanted_claims(settings: Settings) -> dict:
    """The `claims` request parameter (OpenID Connect Core 5.5): what we match people on, from UserInfo."""
    return {"userinfo": {settings.oidc_employee_code_claim: None, "email": None, "email_verified": None}}


def authorization_redirect(client, *, settings: Settings, redirect_uri: str):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE kept by authlib)."""
    extra = {}
    if client.load_server_metadata().get("claims_parameter_supported"):
        extra["claims"] = json.dumps(wanted_claims(settings), separators=(",", ":"))
    return client.authorize_redirect(redirect_uri, nonce=secrets.token_urlsafe(16), **extra)


def identity_from_callback(client, *, settings: Settings) -> ProviderIdentity:
    """Exchange the callback's code and verify the ID token (authlib: state, nonce, signature, iss, aud,
    exp); fill in the matching claims from UserInfo when the ID token lacks them."""
    try:
        token = client.authorize_access_token()
    except (OAuthError, ValueError, KeyError) as exc:
        raise SignInFailed(str(exc) or type(exc).__name__) from exc
    id_claims = dict(token.get("userinfo") or {})
    sub = id_claims.get("sub")
    if not sub:
        raise SignInFailed("The provider sent no ID token with a subject.")
    claims = id_claims
    # Without the employee code in the ID token, UserInfo may have it (or the verified email).
    if id_claims.get(settings.oidc_employee_code_claim) in (None, "") and \
            client.load_server_metadata().get("userinfo_endpoint"):
        claims = {**id_claims, **_userinfo(client, token, sub)}
    return ProviderIdentity(claims=claims, sub=str(sub), sid=id_claims.get("sid"), id_token=token.get("id_token"))


def _userinfo(client, token: dict, sub: str) -> dict:
    try:
        answer = dict(client.userinfo(token=token))
    except (requests.RequestException, OAuthError, ValueError) as exc:
        raise SignInFailed(f"The provider's UserInfo endpoint did not answer: {exc}") from exc
    # OpenID Connect Core 5.3.2: the UserInfo sub MUST be checked against the ID token's.
    if answer.get("sub") != sub:
        raise SignInFailed("The provider's UserInfo answer is about someone else than its ID token.")
    return answer


def end_session_endpoint(context) -> Callable[[], str | None]:
    """A function giving the provider's `end_session_endpoint` (None without OIDC or while it is down)."""
    def endpoint() -> str | None:
        client = context.oidc_client
        if client is None:
            return None
        try:
            return client.load_server_metadata().get("end_session_endpoint")
        except (requests.RequestException, ValueError):  # a provider outage must not break pages or sign-out
            return None

    return endpoint
