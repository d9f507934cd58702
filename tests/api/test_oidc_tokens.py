"""OIDC bearer-token verification and the sign-in flow, against a real provider on loopback."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidClaimError
from joserfc.jwk import KeySet, RSAKey

from api.auth.oidc_tokens import InvalidToken, OidcDiscovery, OidcTokenVerifier

CALLBACK = "http://127.0.0.1:5999/authen/callback"
AFTER_LOGOUT = "http://127.0.0.1:5999/"


class SteppedClock:
    """Wall time plus an offset the test moves forward, to pass cache and rate-limit windows."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def somchai(oidc_provider):
    return oidc_provider.login_as(sub="u-1001", email="somchai@dep.go.th", employee_code="E1001",
                                  name="Somchai Jaidee")


@pytest.fixture
def clock():
    return SteppedClock()


@pytest.fixture
def verifier(oidc_provider, clock):
    return OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api", clock=clock)


def _refusal(verifier, token) -> str:
    with pytest.raises(InvalidToken) as caught:
        verifier.verify(token)
    return caught.value.reason_code


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hand_made_token(header: dict, claims: dict, secret: bytes | None) -> str:
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return signing_input + "." + _b64(signature)


# -- verification ------------------------------------------------------------------------------

def test_valid_access_token_gives_its_claims(oidc_provider, somchai, verifier):
    claims = verifier.verify(oidc_provider.mint_access_token())

    assert claims["sub"] == "u-1001"
    assert claims["employee_code"] == "E1001"
    assert claims["email"] == "somchai@dep.go.th"
    assert claims["aud"] == "opsta-api"
    assert claims["iss"] == oidc_provider.issuer


def test_es256_token_from_published_ec_key_verifies(oidc_provider, somchai, verifier):
    assert verifier.verify(oidc_provider.mint_access_token(alg="ES256"))["sub"] == "u-1001"


def test_audience_list_containing_ours_is_accepted(oidc_provider, somchai, verifier):
    assert verifier.verify(oidc_provider.mint_access_token(aud=["other-api", "opsta-api"]))["sub"] == "u-1001"


@pytest.mark.parametrize("mint_options, reason", [
    ({"key": "foreign"}, "token_bad_signature"),
    ({"aud": "payroll-api"}, "token_wrong_audience"),
    ({"exp_delta": -120}, "token_expired"),
    ({"claims": {"iss": "https://sso.elsewhere.example"}}, "token_wrong_issuer"),
    ({"claims": {"nbf": int(time.time()) + 3600}}, "token_not_yet_valid"),
    ({"claims": {"iat": int(time.time()) + 3600}}, "token_not_yet_valid"),
    ({"claims": {"exp": "tomorrow"}}, "token_malformed"),
    ({"kid": "kid-nobody-published"}, "token_unknown_key"),
])
def test_bad_tokens_are_refused_with_a_stable_reason(oidc_provider, somchai, verifier, mint_options, reason):
    assert _refusal(verifier, oidc_provider.mint_access_token(**mint_options)) == reason


def test_expiry_allows_a_small_clock_skew(oidc_provider, somchai, verifier):
    assert verifier.verify(oidc_provider.mint_access_token(exp_delta=-10))["sub"] == "u-1001"


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "x" * 40 + ".." + "y"])
def test_garbage_is_malformed(verifier, token):
    assert _refusal(verifier, token) == "token_malformed"


def test_alg_none_is_refused(oidc_provider, somchai, verifier):
    claims = jwt.decode(oidc_provider.mint_access_token(), KeySet.import_key_set(
        requests.get(oidc_provider.issuer + "/jwks", timeout=5).json())).claims
    token = _hand_made_token({"alg": "none", "typ": "JWT"}, claims, None)

    assert _refusal(verifier, token) == "token_bad_algorithm"


def test_hs256_signed_with_the_public_key_is_refused(oidc_provider, somchai, verifier):
    jwks = requests.get(oidc_provider.issuer + "/jwks", timeout=5).json()
    published = next(k for k in jwks["keys"] if k["kid"] == oidc_provider.current_kid)
    public_pem = RSAKey.import_key(published).as_pem(private=False)
    claims = {"iss": oidc_provider.issuer, "aud": "opsta-api", "sub": "attacker", "exp": int(time.time()) + 300}
    token = _hand_made_token({"alg": "HS256", "kid": oidc_provider.current_kid}, claims, public_pem)

    assert _refusal(verifier, token) == "token_bad_algorithm"


def test_verifier_refuses_symmetric_algorithms_at_construction(oidc_provider):
    with pytest.raises(ValueError):
        OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api", algorithms=("RS256", "HS256"))


# -- key cache and rotation ----------------------------------------------------------------------

def test_keys_are_cached_between_verifications(oidc_provider, somchai, verifier):
    token = oidc_provider.mint_access_token()
    for _ in range(5):
        verifier.verify(token)

    assert oidc_provider.jwks_requests == 1
    assert oidc_provider.request_count("/.well-known/openid-configuration") == 1


def test_keys_are_fetched_again_once_the_cache_expires(oidc_provider, somchai, clock):
    verifier = OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api", cache_seconds=60, clock=clock)
    token = oidc_provider.mint_access_token(exp_delta=600)
    verifier.verify(token)
    clock.advance(61)
    verifier.verify(token)

    assert oidc_provider.jwks_requests == 2


def test_rotated_key_is_picked_up_by_refetching_jwks(oidc_provider, somchai, verifier):
    old_token = oidc_provider.mint_access_token()
    verifier.verify(old_token)
    new_kid = oidc_provider.rotate_keys(keep_old=True)
    new_token = oidc_provider.mint_access_token()

    assert verifier.verify(new_token)["sub"] == "u-1001"
    assert oidc_provider.jwks_requests == 2
    assert verifier.verify(old_token)["sub"] == "u-1001"
    assert verifier.verify(new_token)["sub"] == "u-1001"
    assert oidc_provider.jwks_requests == 2
    assert new_kid == oidc_provider.current_kid


def test_dropped_key_stops_working_when_the_cache_expires(oidc_provider, somchai, clock):
    verifier = OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api", cache_seconds=60, clock=clock)
    old_token = oidc_provider.mint_access_token(exp_delta=600)
    verifier.verify(old_token)
    oidc_provider.rotate_keys(keep_old=False)
    clock.advance(61)

    assert _refusal(verifier, old_token) == "token_unknown_key"
    assert verifier.verify(oidc_provider.mint_access_token())["sub"] == "u-1001"


def test_unknown_kids_refetch_jwks_at_most_once_per_interval(oidc_provider, somchai, verifier, clock):
    verifier.verify(oidc_provider.mint_access_token())
    ghost = oidc_provider.mint_access_token(kid="ghost-kid")

    assert _refusal(verifier, ghost) == "token_unknown_key"
    assert oidc_provider.jwks_requests == 2
    for _ in range(3):
        assert _refusal(verifier, ghost) == "token_unknown_key"
    assert oidc_provider.jwks_requests == 2

    clock.advance(31)
    assert _refusal(verifier, ghost) == "token_unknown_key"
    assert oidc_provider.jwks_requests == 3


# -- provider outages ----------------------------------------------------------------------------

def test_unreachable_provider_is_oidc_unavailable(oidc_provider_factory):
    provider = oidc_provider_factory()
    token = provider.mint_access_token()
    verifier = OidcTokenVerifier(provider.discovery_url, "opsta-api", timeout=2.0)
    provider.stop()

    assert _refusal(verifier, token) == "oidc_unavailable"


def test_cached_keys_keep_working_while_the_provider_is_down(oidc_provider_factory, clock):
    provider = oidc_provider_factory()
    token = provider.mint_access_token(exp_delta=7200)
    verifier = OidcTokenVerifier(provider.discovery_url, "opsta-api", cache_seconds=60, timeout=2.0, clock=clock)
    verifier.verify(token)
    provider.stop()
    clock.advance(61)

    assert verifier.verify(token)["aud"] == "opsta-api"


def test_discovery_lists_the_provider_endpoints_and_is_cached(oidc_provider):
    discovery = OidcDiscovery(oidc_provider.discovery_url)

    assert discovery.issuer == oidc_provider.issuer
    assert discovery.authorization_endpoint == oidc_provider.issuer + "/authorize"
    assert discovery.token_endpoint == oidc_provider.issuer + "/token"
    assert discovery.end_session_endpoint == oidc_provider.issuer + "/logout"
    assert discovery.jwks_uri == oidc_provider.issuer + "/jwks"
    assert oidc_provider.request_count("/.well-known/openid-configuration") == 1


# -- the authorization-code + PKCE flow, driven like a browser ----------------------------------

def _browser_session(provider, **options) -> OAuth2Session:
    return OAuth2Session(provider.client_id, provider.client_secret, scope="openid profile email",
                         redirect_uri=CALLBACK, code_challenge_method="S256", **options)


def _authorize(provider, session, *, code_verifier: str, nonce: str, **params):
    metadata = requests.get(provider.discovery_url, timeout=5).json()
    url, state = session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=code_verifier,
                                                  nonce=nonce, **params)
    return requests.get(url, allow_redirects=False, timeout=5), state, metadata


def _query(location: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _sign_in(provider) -> tuple[dict, dict]:
    """The token response and discovery document of one successful sign-in."""
    provider.add_redirect_uri(CALLBACK)
    session = _browser_session(provider)
    code_verifier = generate_token(48)
    redirect, state, metadata = _authorize(provider, session, code_verifier=code_verifier, nonce=generate_token(20))
    token = session.fetch_token(metadata["token_endpoint"], authorization_response=redirect.headers["Location"],
                                code_verifier=code_verifier, state=state)
    return token, metadata


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_full_sign_in_flow_with_pkce(oidc_provider, somchai, auth_method):
    oidc_provider.add_redirect_uri(CALLBACK)
    session = _browser_session(oidc_provider, token_endpoint_auth_method=auth_method)
    verifier_value, nonce = generate_token(48), generate_token(20)
    redirect, state, metadata = _authorize(oidc_provider, session, code_verifier=verifier_value, nonce=nonce)

    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith(CALLBACK)
    assert _query(redirect.headers["Location"])["state"] == state

    token = session.fetch_token(metadata["token_endpoint"], authorization_response=redirect.headers["Location"],
                                code_verifier=verifier_value, state=state)
    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=5).json())
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    options = {"iss": {"values": [oidc_provider.issuer]}}
    expected = {"nonce": nonce, "client_id": oidc_provider.client_id, "access_token": token["access_token"]}
    CodeIDToken(id_token.claims, id_token.header, options, expected).validate()
    with pytest.raises(InvalidClaimError):
        CodeIDToken(id_token.claims, id_token.header, options,
                    {"nonce": "another-nonce", "client_id": oidc_provider.client_id}).validate()

    # Like a certified provider: the code flow's ID token says who (sub, sid), UserInfo says the rest.
    assert id_token.claims["sub"] == "u-1001" and id_token.claims["sid"]
    assert not {"employee_code", "email", "name"} & set(id_token.claims)
    userinfo = session.get(metadata["userinfo_endpoint"]).json()
    assert userinfo["sub"] == "u-1001"
    assert userinfo["email"] == "somchai@dep.go.th" and userinfo["email_verified"] is True
    assert userinfo["employee_code"] == "E1001"
    assert jwt.decode(token["access_token"], keys).header["typ"] == "at+jwt"
    access_claims = OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api").verify(token["access_token"])
    assert access_claims["employee_code"] == "E1001"


def test_unregistered_redirect_uri_gets_no_redirect(oidc_provider, somchai):
    session = _browser_session(oidc_provider)
    redirect, _, _ = _authorize(oidc_provider, session, code_verifier=generate_token(48), nonce="n1")

    assert redirect.status_code == 400
    assert "Location" not in redirect.headers


def test_authorization_without_pkce_is_refused(oidc_provider, somchai):
    oidc_provider.add_redirect_uri(CALLBACK)
    session = OAuth2Session(oidc_provider.client_id, oidc_provider.client_secret, scope="openid",
                            redirect_uri=CALLBACK)
    redirect, _, _ = _authorize(oidc_provider, session, code_verifier=None, nonce="n2")

    assert _query(redirect.headers["Location"])["error"] == "invalid_request"


def test_wrong_code_verifier_is_refused(oidc_provider, somchai):
    oidc_provider.add_redirect_uri(CALLBACK)
    session = _browser_session(oidc_provider)
    redirect, state, metadata = _authorize(oidc_provider, session, code_verifier=generate_token(48), nonce="n3")
    code = _query(redirect.headers["Location"])["code"]
    response = requests.post(metadata["token_endpoint"], timeout=5, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": generate_token(48), "client_id": oidc_provider.client_id,
        "client_secret": oidc_provider.client_secret})

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_nobody_signed_in_is_access_denied(oidc_provider):
    oidc_provider.add_redirect_uri(CALLBACK)
    session = _browser_session(oidc_provider)
    redirect, state, _ = _authorize(oidc_provider, session, code_verifier=generate_token(48), nonce="n4")

    answer = _query(redirect.headers["Location"])
    assert (answer["error"], answer["state"]) == ("access_denied", state)
    assert "code" not in answer


def test_authorization_code_works_only_once(oidc_provider, somchai):
    oidc_provider.add_redirect_uri(CALLBACK)
    session = _browser_session(oidc_provider)
    code_verifier = generate_token(48)
    redirect, state, metadata = _authorize(oidc_provider, session, code_verifier=code_verifier, nonce="n5")
    exchange = {"grant_type": "authorization_code", "code": _query(redirect.headers["Location"])["code"],
                "redirect_uri": CALLBACK, "code_verifier": code_verifier}
    auth = (oidc_provider.client_id, oidc_provider.client_secret)
    first = requests.post(metadata["token_endpoint"], data=exchange, auth=auth, timeout=5)
    second = requests.post(metadata["token_endpoint"], data=exchange, auth=auth, timeout=5)

    assert first.status_code == 200
    assert second.json()["error"] == "invalid_grant"


def test_required_token_type_keeps_id_tokens_out(oidc_provider, somchai):
    token, _ = _sign_in(oidc_provider)
    lenient = OidcTokenVerifier(oidc_provider.discovery_url, oidc_provider.client_id)
    strict = OidcTokenVerifier(oidc_provider.discovery_url, oidc_provider.client_id, required_token_type="at+jwt")

    assert lenient.verify(token["id_token"])["sub"] == "u-1001"  # why the strict mode exists
    assert _refusal(strict, token["id_token"]) == "token_wrong_type"
    assert OidcTokenVerifier(oidc_provider.discovery_url, "opsta-api", required_token_type="at+jwt").verify(
        token["access_token"])["sub"] == "u-1001"


def test_logout_ends_the_session_and_returns_to_the_app(oidc_provider, somchai):
    oidc_provider.add_post_logout_redirect_uri(AFTER_LOGOUT)
    token, metadata = _sign_in(oidc_provider)
    response = requests.get(metadata["end_session_endpoint"], allow_redirects=False, timeout=5, params={
        "id_token_hint": token["id_token"], "post_logout_redirect_uri": AFTER_LOGOUT, "state": "bye"})

    assert response.status_code == 302
    assert response.headers["Location"] == AFTER_LOGOUT + "?state=bye"
    assert oidc_provider.current_user is None
    assert oidc_provider.ended_sessions == [{"sub": "u-1001", "client_id": "opsta-web"}]
