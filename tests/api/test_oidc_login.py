"""Single sign-on against a provider on loopback that behaves like a certified one, through the real
HTTP redirects: who gets in, on which claims, and which broken or replayed answers are refused."""
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from api.app import create_app
from tests.support.http_browser import browser
from tests.support.live_server import serving
from tests.support.settings import make_settings

EMP1_CODE = "100059150"
SUPERVISOR_EMAIL = "supervisor@ops-demo.example"


def sign_in(server, provider, *, web=None, path="/authen/login", **who):
    provider.login_as(sub=who.get("sub", "u-1"), email=who.get("email", "someone@ops-demo.example"),
                      employee_code=who.get("code", ""), name=who.get("name", "Someone"),
                      email_verified=who.get("email_verified", True))
    web = web or browser()
    return web, web.get(f"{server.url}{path}", timeout=30)


def hops(page) -> list[str]:
    return [r.url.split("?")[0] for r in page.history]


def test_code_flow_takes_the_employee_code_from_userinfo(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, code=EMP1_CODE, email="other-address@example.org")
    assert page.status_code == 200 and page.url == f"{sso_server.url}/"
    assert f"{oidc_provider.issuer}/authorize" in hops(page) and f"{sso_server.url}/authen/callback" in hops(page)
    assert EMP1_CODE in page.text and "นายกิตติพัฒน์" in page.text
    # The ID token carried no employee code (the provider keeps scope claims for UserInfo).
    assert oidc_provider.request_count("/userinfo") == 1
    me = web.get(f"{sso_server.url}/api/me", timeout=30)
    assert me.status_code == 200 and me.json()["code"] == EMP1_CODE


def test_a_provider_that_puts_the_claims_in_the_id_token_too(oidc_provider_factory, sso_app):
    provider = oidc_provider_factory(claims_in_id_token=True)
    server = sso_app(provider)
    web, page = sign_in(server, provider, code=EMP1_CODE)
    assert page.status_code == 200 and EMP1_CODE in page.text
    assert provider.request_count("/userinfo") == 0  # nothing was missing from the ID token


def test_sign_in_by_a_verified_email_from_userinfo(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, email=SUPERVISOR_EMAIL)
    assert page.status_code == 200 and "10151" in page.text


def test_an_unverified_email_signs_nobody_in(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, email=SUPERVISOR_EMAIL, email_verified=False)
    assert page.status_code == 403 and "not in the OPS-TA directory" in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_a_provider_trusted_for_email_may_send_unverified_ones(sso_app, oidc_provider):
    server = sso_app(oidc_trust_email=True)
    _, page = sign_in(server, oidc_provider, email=SUPERVISOR_EMAIL, email_verified=False)
    assert page.status_code == 200 and "10151" in page.text


def test_a_code_the_provider_sent_is_never_swapped_for_the_email(sso_server, oidc_provider):
    # The email belongs to the supervisor, but the provider says this is employee 999999: nobody we know.
    web, page = sign_in(sso_server, oidc_provider, code="999999", email=SUPERVISOR_EMAIL)
    assert page.status_code == 403 and "999999" in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_an_unknown_person_gets_a_clear_page(sso_server, oidc_provider):
    web, page = sign_in(sso_server, oidc_provider, email="stranger@elsewhere.example")
    assert page.status_code == 403 and "text/html" in page.headers["Content-Type"]
    assert "not in the OPS-TA directory" in page.text and "stranger@elsewhere.example" in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_the_authorization_request_uses_pkce_and_asks_for_the_claims_by_name(sso_server, oidc_provider):
    oidc_provider.login_as(sub="u", email=SUPERVISOR_EMAIL, employee_code="", name="S")
    first_hop = browser().get(f"{sso_server.url}/authen/login", allow_redirects=False, timeout=30)
    assert first_hop.status_code == 302
    location = first_hop.headers["Location"]
    assert location.startswith(f"{oidc_provider.issuer}/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["nonce"] and query["state"]
    assert set(json.loads(query["claims"])["userinfo"]) == {"employee_code", "email", "email_verified"}


def test_no_claims_parameter_where_the_provider_does_not_advertise_it(oidc_provider_factory, sso_app):
    provider = oidc_provider_factory(claims_parameter_supported=False)
    server = sso_app(provider)
    provider.login_as(sub="u", email=SUPERVISOR_EMAIL, employee_code="", name="S")
    first_hop = browser().get(f"{server.url}/authen/login", allow_redirects=False, timeout=30)
    assert "claims=" not in first_hop.headers["Location"]
    _, page = sign_in(server, provider, email=SUPERVISOR_EMAIL)
    assert page.status_code == 200 and "10151" in page.text


def _callback_url(server, provider, web) -> str:
    """Walk login → provider by hand and return the callback URL the provider sends the browser to."""
    provider.login_as(sub="u-1", email="x@example.org", employee_code=EMP1_CODE, name="Kittipat")
    to_provider = web.get(f"{server.url}/authen/login", allow_redirects=False, timeout=30)
    back = web.get(to_provider.headers["Location"], allow_redirects=False, timeout=30)
    assert back.status_code == 302 and back.headers["Location"].startswith(f"{server.url}/authen/callback?")
    return back.headers["Location"]


def test_a_replayed_code_is_refused(sso_server, oidc_provider):
    web = browser()
    callback = _callback_url(sso_server, oidc_provider, web)
    flow_cookies = web.cookies.copy()
    first = web.get(callback, timeout=30)
    assert first.status_code == 200 and EMP1_CODE in first.text
    # An attacker with the same code and even the same flow cookie: the provider refuses the code twice.
    attacker = browser()
    attacker.cookies.update(flow_cookies)
    replay = attacker.get(callback, timeout=30)
    assert replay.status_code == 400 and "Sign-in failed" in replay.text
    assert oidc_provider.request_count("/token") == 2
    assert attacker.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_a_tampered_state_is_refused(sso_server, oidc_provider):
    web = browser()
    callback = _callback_url(sso_server, oidc_provider, web)
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("xy" if not query["state"].endswith("xy") else "ab")
    tampered = web.get(f"{sso_server.url}/authen/callback", params=query, timeout=30)
    assert tampered.status_code == 400 and "Sign-in failed" in tampered.text
    assert oidc_provider.request_count("/token") == 0  # the code was never even exchanged
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_a_callback_without_a_sign_in_in_progress_is_refused(sso_server):
    page = browser().get(f"{sso_server.url}/authen/callback", params={"code": "x", "state": "forged"}, timeout=30)
    assert page.status_code == 400 and "Sign-in failed" in page.text


def test_userinfo_about_someone_else_is_refused(sso_server, oidc_provider):
    oidc_provider.answer_userinfo_as("u-someone-else")
    web, page = sign_in(sso_server, oidc_provider, sub="u-1", code=EMP1_CODE)
    assert page.status_code == 400 and "Sign-in failed" in page.text and "someone else" in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


@pytest.mark.parametrize("next_page, lands_on", [
    ("/api/me", "/api/me"),
    ("https://evil.example/steal", "/"),
    ("//evil.example/steal", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_after_sign_in_only_goes_to_our_own_pages(sso_server, oidc_provider, next_page, lands_on):
    web, page = sign_in(sso_server, oidc_provider, code=EMP1_CODE,
                        path=f"/authen/login?next={requests.utils.quote(next_page, safe='')}")
    assert page.status_code == 200 and urlsplit(page.url).netloc == urlsplit(sso_server.url).netloc
    assert urlsplit(page.url).path == lands_on


def test_the_session_id_is_new_at_every_sign_in(sso_server, oidc_provider):
    web, _ = sign_in(sso_server, oidc_provider, code=EMP1_CODE)
    first = web.cookies.get("opsta_session")
    sign_in(sso_server, oidc_provider, web=web, sub="u-2", email=SUPERVISOR_EMAIL)
    second = web.cookies.get("opsta_session")
    assert first and second and first != second
    assert web.get(f"{sso_server.url}/api/me", timeout=30).json()["code"] == "10151"
    stale = requests.get(f"{sso_server.url}/api/me", cookies={"opsta_session": first}, timeout=30)
    assert stale.status_code == 401


def test_the_session_cookie_holds_only_an_id(sso_server, oidc_provider):
    web, _ = sign_in(sso_server, oidc_provider, code=EMP1_CODE)
    # No token, no claims: one random id; the sign-in flow's state cookie is gone.
    assert {cookie.name for cookie in web.cookies} == {"opsta_session"}
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", web.cookies.get("opsta_session"))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_provider_access_token_opens_the_api(sso_server, oidc_provider):
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


def test_the_id_token_of_a_real_sign_in_is_not_an_api_token(sso_server, oidc_provider):
    # The ID token's audience is the client id; the API wants its own audience.
    id_token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE, "nonce": "n"},
                                               aud=oidc_provider.client_id, typ="JWT")
    reply = requests.get(f"{sso_server.url}/api/me", headers=bearer(id_token), timeout=30)
    assert reply.status_code == 401 and reply.json()["code"] == "token_wrong_audience"


def test_a_rotated_signing_key_is_picked_up(sso_server, oidc_provider):
    first = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    assert requests.get(f"{sso_server.url}/api/me", headers=bearer(first), timeout=30).status_code == 200
    oidc_provider.rotate_keys(keep_old=False)
    second = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    assert requests.get(f"{sso_server.url}/api/me", headers=bearer(second), timeout=30).status_code == 200


def test_a_valid_token_of_someone_not_in_the_directory_is_403(sso_server, oidc_provider):
    token = oidc_provider.mint_access_token({"employee_code": "424242", "email": "nobody@x.example"})
    reply = requests.get(f"{sso_server.url}/api/me", headers=bearer(token), timeout=30)
    assert reply.status_code == 403 and reply.json()["code"] == "not_in_directory"


def test_local_sign_in_is_off_when_oidc_is_configured(sso_server):
    reply = requests.post(f"{sso_server.url}/api/auth/token", json={"username": "employee1", "password": "demo"},
                          timeout=30)
    assert reply.status_code == 403 and reply.json()["code"] == "local_login_disabled"


def test_local_sign_in_can_be_enabled_beside_oidc_for_break_glass(sso_app, oidc_provider):
    server = sso_app(local_login="true")
    token = requests.post(f"{server.url}/api/auth/token", json={"username": "admin", "password": "demo"},
                          timeout=30).json()["access_token"]
    # The app's own token and the provider's token both work.
    assert requests.get(f"{server.url}/api/me", headers=bearer(token), timeout=30).json()["code"] == "10203"
    sso = oidc_provider.mint_access_token({"employee_code": EMP1_CODE})
    assert requests.get(f"{server.url}/api/me", headers=bearer(sso), timeout=30).status_code == 200


def test_oidc_without_an_api_audience_or_token_type_does_not_start(oidc_provider, database_url):
    settings = make_settings(database_url, oidc_discovery_url=oidc_provider.discovery_url,
                             oidc_client_id=oidc_provider.client_id, oidc_client_secret="s")
    with pytest.raises(RuntimeError, match="OPSTA_OIDC_AUDIENCE"):
        create_app(settings)


def _app_with(oidc_provider, database_url, **oidc):
    return serving(make_settings(database_url, oidc_discovery_url=oidc_provider.discovery_url,
                                 oidc_client_id=oidc_provider.client_id,
                                 oidc_client_secret=oidc_provider.client_secret, **oidc))


def test_an_access_token_type_alone_keeps_id_tokens_out(oidc_provider, database_url, demo_org):
    # With no audience of its own the API expects the client id, which ID tokens carry as well:
    # the required typ (RFC 9068 at+jwt) is what tells them apart.
    with _app_with(oidc_provider, database_url, oidc_audience="", oidc_access_token_type="at+jwt") as server:
        client_id = oidc_provider.client_id
        id_token = oidc_provider.mint_access_token({"employee_code": EMP1_CODE, "nonce": "n-1"}, aud=client_id,
                                                   typ="JWT")
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


def test_a_browser_is_asked_not_to_leave_while_the_callback_runs(sso_server, oidc_provider):
    """A real browser's navigation to the callback first gets a page saying so, which goes straight on to
    the same callback with finish=1; the code is exchanged only then, while that page is on screen."""
    import html

    web = browser()
    web.headers.update({"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
    _, page = sign_in(sso_server, oidc_provider, web=web, code=EMP1_CODE)
    assert page.status_code == 200 and page.url.startswith(f"{sso_server.url}/authen/callback?")
    assert "กำลังเข้าสู่ระบบ กรุณาอย่าออกจากหน้านี้" in page.text
    assert oidc_provider.request_count("/token") == 0
    finish = html.unescape(re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)"', page.text).group(1))
    assert finish.startswith("/authen/callback?") and "finish=1" in finish
    done = web.get(f"{sso_server.url}{finish}", timeout=30)
    assert done.url == f"{sso_server.url}/" and EMP1_CODE in done.text
    assert oidc_provider.request_count("/token") == 1
