"""The authorization server behind the loopback OIDC provider: authlib's grants over in-memory state."""
from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
from joserfc.jwk import ECKey, KeySet, RSAKey

SIGN_IN_METHODS = ["client_secret_basic", "client_secret_post"]
CODE_LIFETIME_SECONDS = 300


@dataclass(frozen=True)
class SignedInUser:
    sub: str
    email: str
    employee_code: str
    name: str
    extra_claims: dict = field(default_factory=dict)

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
        issued = IssuedToken(token["access_token"], request.client, request.user, token.get("scope", ""),
                             time.time() + token.get("expires_in", self.token_lifetime))
        with self.lock:
            self.tokens[issued.access_token] = issued

    def identity_claims(self, user: SignedInUser, scope: str | None = None) -> dict:
        scopes = set((scope or "openid profile email").split())
        claims = {"sub": user.sub, self.employee_code_claim: user.employee_code}
        if "email" in scopes:
            claims.update(email=user.email, email_verified=True)
        if "profile" in scopes:
            claims["name"] = user.name
        claims.update(user.extra_claims)
        return claims


def new_rsa_key() -> RSAKey:
    kid = "rsa-" + secrets.token_hex(4)
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = SIGN_IN_METHODS

    def save_authorization_code(self, code, request):
        state: ProviderState = self.server.state
        data = request.payload.data
        issued = IssuedCode(
            code=code, client_id=request.client.client_id, redirect_uri=request.payload.redirect_uri,
            scope=request.scope, user=request.user, nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"),
            auth_time=int(time.time()),
        )
        with state.lock:
            state.codes[code] = issued
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

    def generate_user_info(self, user, scope):
        return UserInfo(self.state.identity_claims(user, scope))


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

    def generate_user_info(self, user, scope):
        return UserInfo(self.state.identity_claims(user, scope))


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
            self.state.current_user = None


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
            claims_supported=["sub", "iss", "aud", "exp", "iat", "nonce", "email", "name", state.employee_code_claim],
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
