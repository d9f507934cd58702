"""Single sign-on against a real OpenID provider on loopback: browser login, logout, bearer tokens."""
import pytest
import requests

from api.app import create_app
from tests.support.live_server import LiveServer, serving
from tests.support.settings import make_settings

EMP1_CODE = "100059150"


@pytest.fixture
def sso_server(oidc_provider, database_url, demo_org):
    """The app configured for the provider, with local sign-in left on 'auto' (so: off)."""
    def build(url):
        oidc_provider.add_redirect_uri(f"{url}/authen/callback")
        oidc_provider.add_post_logout_redirect_uri(f"{url}/")
        return create_app(make_settings(
            database_url, public_url=url, local_login="auto",
            oidc_discovery_url=oidc_provider.discovery_url, oidc_client_id=oidc_provider.client_id,
            oidc_client_secret=oidc_provider.client_secret, oidc_audience=oidc_provider.audience))

    server = LiveServer(build).start()
    yield server
    server.stop()


def browser():
    session = requests.Session()
    session.headers["User-Agent"] = "Mozilla/5.0 (test browser)"
    return session


def sign_in(server, provider, **who):
    provider.login_as(sub=who.get("sub", "u-1"), email=who.get("email", "someone@ops-demo.example"),
                      employee_code=who.get("code", ""), name=who.get("name", "Someone"))
    web = browser()
    page = web.get(f"{server.url}/authen/login", timeout=30)
    return web, page


def test_browser_login_by_employee_code_claim(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, code=EMP1_CODE, email="other-address@example.org")
    assert page.status_code == 200
    assert page.url == f"{sso_server.url}/"
    hops = [r.url.split("?")[0] for r in page.history]
    assert f"{oidc_provider.issuer}/authorize" in hops and f"{sso_server.url}/authen/callback" in hops
    assert EMP1_CODE in page.text and "นายกิตติพัฒน์" in page.text
    # The web session also opens the API for the browser.
    me = web.get(f"{sso_server.url}/api/me", timeout=30)
    assert me.status_code == 200 and me.json()["code"] == EMP1_CODE


def test_browser_login_by_email(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, email="supervisor@ops-demo.example")
    assert page.status_code == 200 and "10151" in page.text


def test_authorization_request_uses_pkce(sso_server, oidc_provider):
    oidc_provider.login_as(sub="u", email="supervisor@ops-demo.example", employee_code="", name="S")
    first_hop = browser().get(f"{sso_server.url}/authen/login", allow_redirects=False, timeout=30)
    assert first_hop.status_code == 302
    location = first_hop.headers["Location"]
    assert location.startswith(f"{oidc_provider.issuer}/authorize?")
    assert "code_challenge=" in location and "code_challenge_method=S256" in location
    assert "nonce=" in location and "state=" in location


def test_unknown_user_gets_a_clear_page(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, email="stranger@elsewhere.example", code="999999")
    assert page.status_code == 403
    assert "text/html" in page.headers["Content-Type"]
    assert "not in the OPS-TA directory" in page.text and "stranger@elsewhere.example" in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_callback_with_a_forged_state_is_refused_without_a_500(sso_server, oidc_provider):
    page = browser().get(f"{sso_server.url}/authen/callback", params={"code": "x", "state": "forged"}, timeout=30)
    assert page.status_code == 400 and "Sign-in failed" in page.text


def test_logout_ends_both_sessions(sso_server, oidc_provider):
    web, _ = sign_in(sso_server, oidc_provider, code=EMP1_CODE)
    page = web.post(f"{sso_server.url}/authen/logout", timeout=30)
    assert page.status_code == 200 and page.url.startswith(f"{sso_server.url}/")
    assert oidc_provider.ended_sessions, "the provider's end-session endpoint was not called"
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_cookie_session_writes_need_json_or_a_custom_header(sso_server, oidc_provider):
    web, _ = sign_in(sso_server, oidc_provider, code=EMP1_CODE)
    forged = web.post(f"{sso_server.url}/api/me/notifications/read", data="x",
                      headers={"Content-Type": "text/plain"}, timeout=30)
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_rejected"
    ok = web.post(f"{sso_server.url}/api/me/notifications/read", headers={"X-Requested-With": "fetch"}, timeout=30)
    assert ok.status_code == 204


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_provider_access_token_opens_the_api(sso_server, oidc_provider):
    token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    reply = requests.get(f"{sso_server.url}/api/me", headers=bearer(token), timeout=30)
    assert reply.status_code == 200 and reply.json()["code"] == EMP1_CODE


@pytest.mark.parametrize("mint, code", [
    ({"key": "foreign"}, "token_bad_signature"),
    ({"aud": "some-other-api"}, "token_wrong_audience"),
    ({"exp_delta": -600}, "token_expired"),
])
def test_bad_provider_tokens_are_401(sso_server, oidc_provider, mint, code):
    token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE}, **mint)
    reply = requests.get(f"{sso_server.url}/api/me", headers=bearer(token), timeout=30)
    assert reply.status_code == 401
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.json()["code"] == code


def test_rotated_signing_key_is_picked_up(sso_server, oidc_provider):
    first = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    assert requests.get(f"{sso_server.url}/api/me", headers=bearer(first), timeout=30).status_code == 200
    oidc_provider.rotate_keys(keep_old=False)
    second = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    assert requests.get(f"{sso_server.url}/api/me", headers=bearer(second), timeout=30).status_code == 200


def test_valid_token_of_someone_not_in_the_directory_is_403(sso_server, oidc_provider):
    token = oidc_provider.mint_access_token({"employee_code": "424242", "email": "nobody@x.example"})
    reply = requests.get(f"{sso_server.url}/api/me", headers=bearer(token), timeout=30)
    assert reply.status_code == 403 and reply.json()["code"] == "not_in_directory"


def test_local_sign_in_is_off_when_oidc_is_configured(sso_server):
    reply = requests.post(f"{sso_server.url}/api/auth/token", json={"username": "employee1", "password": "demo"},
                          timeout=30)
    assert reply.status_code == 403 and reply.json()["code"] == "local_login_disabled"


def _app_with(oidc_provider, database_url, **oidc):
    return serving(make_settings(database_url, oidc_discovery_url=oidc_provider.discovery_url,
                                 oidc_client_id=oidc_provider.client_id,
                                 oidc_client_secret=oidc_provider.client_secret, **oidc))


def test_local_sign_in_can_be_enabled_beside_oidc_for_break_glass(oidc_provider, database_url, demo_org):
    with _app_with(oidc_provider, database_url, local_login="true", oidc_audience=oidc_provider.audience) as server:
        token = requests.post(f"{server.url}/api/auth/token", json={"username": "admin", "password": "demo"},
                              timeout=30).json()["access_token"]
        # The app's own token and the provider's token both work.
        assert requests.get(f"{server.url}/api/me", headers=bearer(token), timeout=30).json()["code"] == "10203"
        sso = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
        assert requests.get(f"{server.url}/api/me", headers=bearer(sso), timeout=30).status_code == 200


def test_without_an_api_audience_an_id_token_is_not_an_access_token(oidc_provider, database_url, demo_org):
    # With no audience of its own the API expects the client id, which ID tokens carry as well.
    with _app_with(oidc_provider, database_url, oidc_audience="") as server:
        client_id = oidc_provider.client_id
        id_token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE, "nonce": "n-1"}, aud=client_id)
        refused = requests.get(f"{server.url}/api/me", headers=bearer(id_token), timeout=30)
        assert refused.status_code == 401 and refused.json()["code"] == "token_wrong_type"
        access_token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE}, aud=client_id)
        assert requests.get(f"{server.url}/api/me", headers=bearer(access_token), timeout=30).status_code == 200


def test_a_required_access_token_type_refuses_other_tokens(oidc_provider, database_url, demo_org):
    with _app_with(oidc_provider, database_url, oidc_audience=oidc_provider.audience,
                       oidc_access_token_type="at+jwt") as server:
        typed = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})  # typ: at+jwt
        assert requests.get(f"{server.url}/api/me", headers=bearer(typed), timeout=30).status_code == 200
        plain = oidc_provider.mint_access_token({"employee_code": EMP1_CODE}, typ="JWT")
        refused = requests.get(f"{server.url}/api/me", headers=bearer(plain), timeout=30)
        assert refused.status_code == 401 and refused.json()["code"] == "token_wrong_type"
