"""The authorization server behind the loopback OIDC provider: authlib's grants over in-memory state."""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.core import AuthorizationCodeMixin, OpenIDCode, UserInfo, UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

SIGN_IN_METHODS = ["client_secret_basic", "client_secret_post"]
CODE_LIFETIME_SECONDS = 300
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# The claims a scope releases (OpenID Connect Core 5.4); the employee code rides on `profile`, the way
# a provider's attribute mapper would add it.
SCOPE_CLAIMS = {"email": ("email", "email_verified"), "profile": ("name", "__code__")}


@dataclass(frozen=True)
class SignedInUser:
    sub: str
    email: str
    employee_code: str | None
    name: str
    extra_claims: dict = field(default_factory=dict)
    email_verified: bool = True
    # The provider's own session of this sign-in (`sid` in ID and logout tokens).
    sid: str = field(default_factory=lambda: "op-" + secrets.token_hex(6))

    def get_user_id(self) -> str:
        return self.sub


@dataclass
class RegisteredClient(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    accept_any_loopback_redirect: bool = False
    scope: str = "openid profile email"
    backchannel_logout_uri: str | None = None

    @property
    def client_metadata(self) -> dict:
        return {"post_logout_redirect_uris": self.post_logout_redirect_uris}

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        if redirect_uri in self.redirect_uris:
            return True
        parts = urlsplit(redirect_uri)
        loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
        return self.accept_any_loopback_redirect and loopback

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret or "", self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return endpoint == "token" and method in SIGN_IN_METHODS

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class IssuedCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: SignedInUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int
    claims_request: dict = field(default_factory=dict)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


@dataclass
class IssuedToken(TokenMixin):
    access_token: str
    client: RegisteredClient
    user: SignedInUser
    scope: str
    expires_at: float
    claims_request: dict = field(default_factory=dict)

    def check_client(self, client):
        return client.client_id == self.client.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return int(self.expires_at - time.time())

    def is_expired(self):
        return time.time() >= self.expires_at

    def is_revoked(self):
        return False

    def get_user(self):
        return self.user

    def get_client(self):
        return self.client


class ProviderState:
    """Everything the provider remembers; shared by the grant classes through ``server.state``."""

    def __init__(self, *, audience: str, employee_code_claim: str, token_lifetime: int):
        self.lock = threading.Lock()
        self.issuer = ""
        self.audience = audience
        self.employee_code_claim = employee_code_claim
        self.token_lifetime = token_lifetime
        self.clients: dict[str, RegisteredClient] = {}
        self.codes: dict[str, IssuedCode] = {}
        self.used_nonces: set[tuple[str, str]] = set()
        self.tokens: dict[str, IssuedToken] = {}
        self.current_user: SignedInUser | None = None
        self.ended_sessions: list[dict] = []
        # Conformance switches: a certified provider keeps scope claims out of code-flow ID tokens.
        self.claims_in_id_token = False
        self.claims_parameter_supported = True
        self.userinfo_sub_override: str | None = None
        # sid -> the clients that got an ID token in that provider session (told at back-channel logout)
        self.session_clients: dict[str, set[str]] = {}
        self.backchannel_deliveries: list[dict] = []
        self.claims_requests: list[dict] = []
        self.hits: Counter[str] = Counter()
        self.signing_key = new_rsa_key()
        self.published_keys: list = [self.signing_key]
        ec_parameters = {"kid": "ec-" + secrets.token_hex(4), "use": "sig", "alg": "ES256"}
        self.ec_key = ECKey.generate_key("P-256", parameters=ec_parameters)

    def signing_key_set(self) -> KeySet:
        return KeySet([self.signing_key])

    def public_jwks(self) -> dict:
        keys = [key.as_dict(private=False) for key in [*self.published_keys, self.ec_key]]
        return {"keys": keys}

    def save_token(self, token: dict, request) -> None:
        code = getattr(request, "authorization_code", None)
        issued = IssuedToken(token["access_token"], request.client, request.user, token.get("scope", ""),
                             time.time() + token.get("expires_in", self.token_lifetime),
                             (code.claims_request if code else None) or {})
        with self.lock:
            self.tokens[issued.access_token] = issued

    def _claim_value(self, user: SignedInUser, name: str):
        values = {"sub": user.sub, "email": user.email, "email_verified": user.email_verified, "name": user.name,
                  self.employee_code_claim: user.employee_code, **user.extra_claims}
        return values.get(name)

    def identity_claims(self, user: SignedInUser, scope: str | None = None, requested: dict | None = None) -> dict:
        """The claims of `scope` for `user`, plus those asked for by name (a `claims` request member)."""
        scopes = set((scope or "openid profile email").split())
        claims = {"sub": user.sub}
        for scope_name, names in SCOPE_CLAIMS.items():
            if scope_name in scopes:
                for name in names:
                    name = self.employee_code_claim if name == "__code__" else name
                    if self._claim_value(user, name) is not None:
                        claims[name] = self._claim_value(user, name)
        for name in requested or {}:
            if self._claim_value(user, name) is not None:
                claims[name] = self._claim_value(user, name)
        claims.update(user.extra_claims)
        return claims

    def logout_token(self, *, client_id: str, sub: str | None, sid: str | None, **overrides) -> str:
        """A back-channel logout token (OpenID Connect Back-Channel Logout 1.0, 2.4) signed by the provider."""
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": client_id, "iat": now, "exp": now + 120, "jti": secrets.token_hex(8),
                  "events": {LOGOUT_EVENT: {}}}
        if sub:
            claims["sub"] = sub
        if sid:
            claims["sid"] = sid
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        header = {"alg": "RS256", "typ": "logout+jwt", "kid": self.signing_key.kid}
        return jwt.encode(header, claims, self.signing_key, algorithms=["RS256"])

    def end_provider_session(self, user: SignedInUser) -> None:
        """End `user`'s session here and tell every client of it over the back channel, as a provider does."""
        with self.lock:
            client_ids = self.session_clients.pop(user.sid, set())
            if self.current_user is not None and self.current_user.sid == user.sid:
                self.current_user = None
        for client_id in sorted(client_ids):
            client = self.clients.get(client_id)
            if client is None or not client.backchannel_logout_uri:
                continue
            token = self.logout_token(client_id=client_id, sub=user.sub, sid=user.sid)
            try:
                status = requests.post(client.backchannel_logout_uri, data={"logout_token": token}, timeout=10).status_code
            except requests.RequestException as exc:
                status = f"failed: {exc}"
            self.backchannel_deliveries.append({"client_id": client_id, "sub": user.sub, "sid": user.sid,
                                                "status": status})


def new_rsa_key() -> RSAKey:
    kid = "rsa-" + secrets.token_hex(4)
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = SIGN_IN_METHODS

    def save_authorization_code(self, code, request):
        state: ProviderState = self.server.state
        data = request.payload.data
        claims_request = {}
        if state.claims_parameter_supported and data.get("claims"):
            claims_request = json.loads(data["claims"])  # OpenID Connect Core 5.5
            state.claims_requests.append(claims_request)
        issued = IssuedCode(
            code=code, client_id=request.client.client_id, redirect_uri=request.payload.redirect_uri,
            scope=request.scope, user=request.user, nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"),
            auth_time=int(time.time()), claims_request=claims_request,
        )
        with state.lock:
            state.codes[code] = issued
            state.session_clients.setdefault(issued.user.sid, set()).add(issued.client_id)
            if issued.nonce:
                state.used_nonces.add((issued.client_id, issued.nonce))

    def query_authorization_code(self, code, client):
        issued = self.server.state.codes.get(code)
        if issued and issued.client_id == client.client_id and time.time() - issued.auth_time < CODE_LIFETIME_SECONDS:
            return issued
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.state.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class _S256Challenge(CodeChallenge):
    """PKCE is mandatory for every client here, and only with S256 (plain leaks the verifier)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE 'code_challenge' is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class _IdTokens(OpenIDCode):
    def __init__(self, state: ProviderState):
        super().__init__(require_nonce=True)
        self.state = state

    def exists_nonce(self, nonce, request):
        return (request.payload.client_id, nonce) in self.state.used_nonces

    def resolve_client_private_key(self, client):
        return self.state.signing_key_set()

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.state.signing_key.kid}

    def get_client_claims(self, client):
        return {"iss": self.state.issuer, "aud": client.client_id, "exp": int(time.time()) + self.state.token_lifetime}

    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        claims["sid"] = authorization_code.user.sid
        # Claims asked for by name in the ID token (the `claims` request's id_token member).
        requested = authorization_code.claims_request.get("id_token") or {}
        claims.update({name: value for name, value in
                       self.state.identity_claims(authorization_code.user, "openid", requested).items()
                       if name in requested})
        return claims

    def generate_user_info(self, user, scope):
        # Code flow: a conformant provider returns scope claims from UserInfo only (Core 5.4).
        if self.state.claims_in_id_token:
            return UserInfo(self.state.identity_claims(user, scope))
        return UserInfo({"sub": user.sub})


class _AccessTokens(JWTBearerTokenGenerator):
    def __init__(self, state: ProviderState):
        super().__init__(issuer="", expires_generator=state.token_lifetime)
        self.state = state

    def access_token_generator(self, client, grant_type, user, scope):
        self.issuer = self.state.issuer  # known only once the socket is bound
        return super().access_token_generator(client, grant_type, user, scope)

    def get_jwks(self):
        return self.state.signing_key_set()

    def get_audiences(self, client, user, scope):
        return self.state.audience

    def get_extra_claims(self, client, grant_type, user, scope):
        # Access tokens for the API carry who the person is, as providers' audience mappers do.
        return self.state.identity_claims(user)


class _IssuedTokenValidator(BearerTokenValidator):
    def __init__(self, state: ProviderState):
        super().__init__()
        self.state = state

    def authenticate_token(self, token_string):
        return self.state.tokens.get(token_string)


class _UserInfo(UserInfoEndpoint):
    def __init__(self, state: ProviderState, resource_protector):
        super().__init__(resource_protector=resource_protector)
        self.state = state

    def __call__(self, request):
        token = self.resource_protector.acquire_token("openid")
        requested = token.claims_request.get("userinfo") or {}
        claims = self.state.identity_claims(token.get_user(), token.scope, requested)
        if self.state.userinfo_sub_override:
            claims["sub"] = self.state.userinfo_sub_override
        return 200, claims, [("Content-Type", "application/json")]


class _EndSession(EndSessionEndpoint):
    def __init__(self, state: ProviderState):
        super().__init__()
        self.state = state

    def get_server_jwks(self):
        return self.state.public_jwks()

    def is_post_logout_redirect_uri_legitimate(self, request, post_logout_redirect_uri, client, logout_hint):
        return True  # the URI is already an exact match of a registered one

    def end_session(self, end_session_request):
        claims = end_session_request.id_token_claims or {}
        with self.state.lock:
            client_id = getattr(end_session_request.client, "client_id", None)
            self.state.ended_sessions.append({"sub": claims.get("sub"), "client_id": client_id})
            user = self.state.current_user
        if user is not None:
            self.state.end_provider_session(user)


def build_provider_app(state: ProviderState) -> Flask:
    """The provider's HTTP endpoints over ``state``: discovery, authorize, token, jwks, userinfo, logout."""
    app = Flask("oidc_provider")
    server = AuthorizationServer(app, query_client=state.clients.get, save_token=state.save_token)
    server.state = state
    server.register_token_generator("default", _AccessTokens(state))
    server.register_grant(_CodeGrant, [_S256Challenge(required=True), _IdTokens(state)])
    protector = ResourceProtector()
    protector.register_token_validator(_IssuedTokenValidator(state))
    server.register_endpoint(_UserInfo(state, protector))
    server.register_endpoint(_EndSession(state))

    @app.before_request
    def count_hit():
        with state.lock:
            state.hits[request.path] += 1

    @app.get("/.well-known/openid-configuration")
    def discovery():
        base = state.issuer
        return jsonify(
            issuer=base, authorization_endpoint=base + "/authorize", token_endpoint=base + "/token",
            jwks_uri=base + "/jwks", userinfo_endpoint=base + "/userinfo", end_session_endpoint=base + "/logout",
            response_types_supported=["code"], grant_types_supported=["authorization_code"],
            subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"],
            scopes_supported=["openid", "profile", "email"], token_endpoint_auth_methods_supported=SIGN_IN_METHODS,
            code_challenge_methods_supported=["S256"],
            claims_supported=["sub", "iss", "aud", "exp", "iat", "nonce", "sid", "email", "email_verified", "name",
                              state.employee_code_claim],
            claims_parameter_supported=state.claims_parameter_supported,
            backchannel_logout_supported=True, backchannel_logout_session_supported=True,
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(state.public_jwks())

    @app.get("/authorize")
    def authorize():
        user = state.current_user
        try:
            grant = server.get_consent_grant(end_user=user)
        except OAuth2Error as error:
            return server.handle_error_response(None, error)
        return server.create_authorization_response(grant_user=user, grant=grant)

    @app.post("/token")
    def token():
        return server.create_token_response()

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo():
        return server.create_endpoint_response("userinfo")

    @app.route("/logout", methods=["GET", "POST"])
    def logout():
        return server.create_endpoint_response("end_session") or ("Signed out.", 200)

    return app
