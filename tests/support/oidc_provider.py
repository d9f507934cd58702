"""A real OpenID Connect provider on loopback for tests, assembled from authlib's server grants.

Sign-in has no UI: the test chooses who is "signed in" with ``login_as`` and ``/authorize``
answers at once with a redirect carrying the code (or ``access_denied`` when nobody is).
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
                 token_lifetime: int = 600, accept_any_loopback_redirect: bool = False):
        self.client_id = client_id
        self.client_secret = client_secret
        self.audience = audience
        self.employee_code_claim = employee_code_claim
        self._state = ProviderState(audience=audience, employee_code_claim=employee_code_claim,
                                    token_lifetime=token_lifetime)
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

    def login_as(self, *, sub: str, email: str, employee_code: str, name: str, **extra_claims) -> SignedInUser:
        """Make this person the one signed in at the provider; the next /authorize succeeds for them."""
        user = SignedInUser(sub, email, employee_code, name, dict(extra_claims))
        self._state.current_user = user
        return user

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
