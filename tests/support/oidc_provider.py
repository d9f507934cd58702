"""A real OpenID Connect provider on loopback for tests, assembled from authlib's server grants.

Sign-in has no UI: the test chooses who is "signed in" with ``login_as`` and ``/authorize``
answers at once with a redirect carrying the code (or ``access_denied`` when nobody is).

It behaves like a certified provider: in the code flow the ID token carries `sub` and `sid` but no
scope claims, which come from UserInfo (``claims_in_id_token=True`` puts them in the ID token too,
as some providers do); it honours the `claims` request parameter; access tokens are RFC 9068 JWTs
(`typ: at+jwt`) for the API's own audience; RP-initiated logout checks `id_token_hint` and the
registered post-logout URIs; and ending a provider session sends each of its clients a signed
logout token over the back channel.
"""
from __future__ import annotations

import secrets
import threading
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.support.oidc_authorization_server import (
    ProviderState,
    RegisteredClient,
    SignedInUser,
    build_provider_app,
    new_rsa_key,
)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # keeps pytest output readable; errors are still logged


class LoopbackOidcProvider:
    """An OpenID provider on 127.0.0.1 with a random port, served from a background thread."""

    def __init__(self, *, client_id: str = "opsta-web", client_secret: str = "opsta-web-secret",
                 redirect_uris: tuple[str, ...] = (), post_logout_redirect_uris: tuple[str, ...] = (),
                 audience: str = "opsta-api", employee_code_claim: str = "employee_code",
                 token_lifetime: int = 600, accept_any_loopback_redirect: bool = False,
                 claims_in_id_token: bool = False, claims_parameter_supported: bool = True):
        self.client_id = client_id
        self.client_secret = client_secret
        self.audience = audience
        self.employee_code_claim = employee_code_claim
        self._state = ProviderState(audience=audience, employee_code_claim=employee_code_claim,
                                    token_lifetime=token_lifetime)
        self._state.claims_in_id_token = claims_in_id_token
        self._state.claims_parameter_supported = claims_parameter_supported
        self.register_client(client_id=client_id, client_secret=client_secret, redirect_uris=redirect_uris,
                             post_logout_redirect_uris=post_logout_redirect_uris,
                             accept_any_loopback_redirect=accept_any_loopback_redirect)
        self._foreign_key: RSAKey | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self.app = build_provider_app(self._state)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "LoopbackOidcProvider":
        """Bind a free loopback port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_QuietRequestHandler)
        self._state.issuer = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll keeps stop() quick; the default 0.5 s adds up over many tests.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oidc-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; the port is released and later requests are refused."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def issuer(self) -> str:
        return self._state.issuer

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    # -- test controls -----------------------------------------------------------------------
    def register_client(self, *, client_id: str, client_secret: str, redirect_uris=(), post_logout_redirect_uris=(),
                        accept_any_loopback_redirect: bool = False) -> RegisteredClient:
        """Register (or replace) a confidential client."""
        client = RegisteredClient(client_id, client_secret, list(redirect_uris), list(post_logout_redirect_uris),
                                  accept_any_loopback_redirect)
        self._state.clients[client_id] = client
        return client

    def add_redirect_uri(self, uri: str, *, client_id: str | None = None) -> None:
        """Allow one more exact redirect URI for a client (default: the main client)."""
        self._state.clients[client_id or self.client_id].redirect_uris.append(uri)

    def add_post_logout_redirect_uri(self, uri: str, *, client_id: str | None = None) -> None:
        """Allow one more exact post-logout redirect URI for a client."""
        self._state.clients[client_id or self.client_id].post_logout_redirect_uris.append(uri)

    def set_backchannel_logout_uri(self, uri: str, *, client_id: str | None = None) -> None:
        """Register the client's back-channel logout URI (where logout tokens are POSTed)."""
        self._state.clients[client_id or self.client_id].backchannel_logout_uri = uri

    def login_as(self, *, sub: str, email: str, employee_code: str, name: str, email_verified: bool = True,
                 **extra_claims) -> SignedInUser:
        """Make this person the one signed in at the provider (a new provider session, its own `sid`);
        the next /authorize succeeds for them. An empty `employee_code` means the provider has none."""
        extra = dict(extra_claims)
        user = SignedInUser(sub, email, employee_code, name, extra, email_verified)
        if not employee_code:
            user = SignedInUser(sub, email, None, name, extra, email_verified)
        self._state.current_user = user
        return user

    def end_provider_session(self, user: SignedInUser | None = None) -> None:
        """End a session at the provider (an admin, another app, a timeout): its clients get logout tokens."""
        user = user or self._state.current_user
        if user is None:
            raise ValueError("nobody is signed in at the provider")
        self._state.end_provider_session(user)

    def logout_token(self, *, sub: str | None = None, sid: str | None = None, client_id: str | None = None,
                     **overrides) -> str:
        """A signed logout token outside any session end (for tests of bad tokens); overrides set claims."""
        return self._state.logout_token(client_id=client_id or self.client_id, sub=sub, sid=sid, **overrides)

    @property
    def backchannel_deliveries(self) -> list[dict]:
        return list(self._state.backchannel_deliveries)

    @property
    def claims_requests(self) -> list[dict]:
        """Every `claims` request parameter the provider received, in order."""
        return list(self._state.claims_requests)

    def answer_userinfo_as(self, sub: str | None) -> None:
        """Make UserInfo answer with another `sub` than the ID token's (a broken or hostile provider)."""
        self._state.userinfo_sub_override = sub

    def sign_out(self) -> None:
        """Forget the signed-in person, as /logout does."""
        self._state.current_user = None

    @property
    def current_user(self) -> SignedInUser | None:
        return self._state.current_user

    @property
    def ended_sessions(self) -> list[dict]:
        return list(self._state.ended_sessions)

    @property
    def current_kid(self) -> str:
        return self._state.signing_key.kid

    @property
    def ec_kid(self) -> str:
        return self._state.ec_key.kid

    def rotate_keys(self, *, keep_old: bool = True) -> str:
        """Sign with a new RSA key from now on; the old key stays published only if keep_old."""
        new_key = new_rsa_key()
        with self._state.lock:
            kept = self._state.published_keys if keep_old else []
            self._state.published_keys = [new_key, *kept]
            self._state.signing_key = new_key
        return new_key.kid

    def mint_access_token(self, claims: dict | None = None, *, key: str = "current", aud=None,
                          exp_delta: float = 300, kid: str | None = None, alg: str = "RS256",
                          typ: str = "at+jwt") -> str:
        """A JWT access token outside the login flow; ``claims`` override the defaults.

        key='current' signs with the published key, key='foreign' with an unpublished key
        that carries the same kid (a forged signature). alg='ES256' uses the published EC key.
        """
        if key not in ("current", "foreign") or alg not in ("RS256", "ES256"):
            raise ValueError(f"Cannot mint with key={key!r}, alg={alg!r}.")
        now = int(time.time())
        user = self._state.current_user or SignedInUser("minted-user", "minted@example.org", "E0000", "Minted User")
        body = {"iss": self.issuer, "aud": aud if aud is not None else self.audience, "iat": now,
                "exp": int(now + exp_delta), "jti": secrets.token_hex(8), "client_id": self.client_id,
                "scope": "openid profile email", **self._state.identity_claims(user), **(claims or {})}
        if alg == "ES256":
            signing_key = self._state.ec_key
        elif key == "foreign":
            self._foreign_key = self._foreign_key or new_rsa_key()
            signing_key = self._foreign_key
        else:
            signing_key = self._state.signing_key
        default_kid = self._state.ec_key.kid if alg == "ES256" else self._state.signing_key.kid
        header = {"alg": alg, "typ": typ, "kid": kid or default_kid}
        return jwt.encode(header, body, signing_key, algorithms=[alg])

    def request_count(self, path: str) -> int:
        """How many HTTP requests reached ``path`` (e.g. '/jwks')."""
        return self._state.hits[path]

    @property
    def jwks_requests(self) -> int:
        return self.request_count("/jwks")


@pytest.fixture
def oidc_provider_factory():
    """Start loopback providers with custom options; all are stopped after the test."""
    started: list[LoopbackOidcProvider] = []

    def start(**options) -> LoopbackOidcProvider:
        provider = LoopbackOidcProvider(**options).start()
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()


@pytest.fixture
def oidc_provider(oidc_provider_factory) -> LoopbackOidcProvider:
    """A started provider with the default client 'opsta-web' and audience 'opsta-api'."""
    return oidc_provider_factory()
