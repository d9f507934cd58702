"""Sessions that really end: sign-out through the provider, back-channel logout, deactivation, password
change and admin revoke each make a copied cookie or app token worthless at once."""
import io

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import select

from cli import main
from engine.directory.importer import import_employees_csv
from engine.models import Employee
from tests.support.http_browser import browser, csrf_token_of

EMP1_CODE = "100059150"
PUNCH = {"direction": "in", "latitude": 13.7563, "longitude": 100.5018, "accuracy_m": 10}


def sso_sign_in(server, provider, *, sub="u-1", code=EMP1_CODE, email="kittipat@example.org"):
    provider.login_as(sub=sub, email=email, employee_code=code, name="Someone")
    web = browser()
    page = web.get(f"{server.url}/authen/login", timeout=30)
    assert page.status_code == 200, page.text
    return web


def copied_cookie(web) -> dict:
    return {"opsta_session": web.cookies.get("opsta_session")}


def me_with(server, cookies) -> int:
    return requests.get(f"{server.url}/api/me", cookies=cookies, timeout=30).status_code


def test_sign_out_goes_through_the_provider_and_ends_both_sessions(sso_server, oidc_provider):
    web = sso_sign_in(sso_server, oidc_provider)
    stolen = copied_cookie(web)
    home = web.get(f"{sso_server.url}/", timeout=30)
    page = web.post(f"{sso_server.url}/authen/logout", data={"csrf_token": csrf_token_of(home.text)}, timeout=30)
    assert page.status_code == 200 and page.url == f"{sso_server.url}/"
    hops = [r.url.split("?")[0] for r in page.history]
    assert hops == [f"{sso_server.url}/authen/logout", f"{oidc_provider.issuer}/logout"]
    # The provider accepted our id_token_hint (it names the subject) and the registered post-logout URI.
    assert oidc_provider.ended_sessions == [{"sub": "u-1", "client_id": oidc_provider.client_id}]
    assert "id_token_hint=" in page.history[1].url and "post_logout_redirect_uri=" in page.history[1].url
    assert "sso-login" in page.text  # the sign-in page again
    assert me_with(sso_server, stolen) == 401
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


def test_a_sign_out_link_only_shows_a_button(sso_server, oidc_provider):
    web = sso_sign_in(sso_server, oidc_provider)
    page = web.get(f"{sso_server.url}/authen/logout", timeout=30)
    assert page.status_code == 200 and 'method="post"' in page.text
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 200


def test_back_channel_logout_ends_that_provider_session_only(sso_server, oidc_provider):
    employee = sso_sign_in(sso_server, oidc_provider)
    supervisor = sso_sign_in(sso_server, oidc_provider, sub="u-2", code="10151", email="s@example.org")
    # The supervisor's provider session ends elsewhere (another app, an admin, a timeout).
    oidc_provider.end_provider_session(oidc_provider.current_user)
    deliveries = oidc_provider.backchannel_deliveries
    assert deliveries and deliveries[-1]["status"] == 200 and deliveries[-1]["sub"] == "u-2"
    assert supervisor.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401
    assert employee.get(f"{sso_server.url}/api/me", timeout=30).status_code == 200


def test_a_logout_token_naming_only_the_person_ends_all_their_sessions(sso_server, oidc_provider):
    phone = sso_sign_in(sso_server, oidc_provider)
    laptop = sso_sign_in(sso_server, oidc_provider)  # a second provider session, another sid
    token = oidc_provider.logout_token(sub="u-1")
    reply = requests.post(f"{sso_server.url}/authen/backchannel-logout", data={"logout_token": token}, timeout=30)
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    for web in (phone, laptop):
        assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 401


@pytest.mark.parametrize("overrides, client_id", [
    ({"aud": "another-client"}, None),
    ({"events": None}, None),
    ({"events": {"http://schemas.openid.net/event/other": {}}}, None),
    ({"nonce": "n-1"}, None),
    ({"iat": 1_000_000_000}, None),
    ({"jti": None}, None),
    ({"iss": "https://elsewhere.example"}, None),
])
def test_bad_logout_tokens_are_refused_and_end_nothing(sso_server, oidc_provider, overrides, client_id):
    web = sso_sign_in(sso_server, oidc_provider)
    token = oidc_provider.logout_token(sub="u-1", **overrides)
    reply = requests.post(f"{sso_server.url}/authen/backchannel-logout", data={"logout_token": token}, timeout=30)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 200


def test_a_logout_token_naming_nobody_or_forged_is_refused(sso_server, oidc_provider):
    web = sso_sign_in(sso_server, oidc_provider)
    nobody = oidc_provider.logout_token()
    forged = oidc_provider.mint_access_token({"events": {"http://schemas.openid.net/event/backchannel-logout": {}},
                                             "sub": "u-1"}, key="foreign", aud=oidc_provider.client_id)
    for token in (nobody, forged, "not-a-jwt"):
        reply = requests.post(f"{sso_server.url}/authen/backchannel-logout", data={"logout_token": token},
                              timeout=30)
        assert reply.status_code == 400
    assert web.get(f"{sso_server.url}/api/me", timeout=30).status_code == 200


def local_browser(server, username="employee4"):
    web = browser()
    home = web.get(f"{server.url}/", timeout=30)
    page = web.post(f"{server.url}/authen/local", timeout=30, data={
        "username": username, "password": "demo", "csrf_token": csrf_token_of(home.text)})
    assert page.status_code == 200 and "signed-in" in page.text, page.text
    return web


def _import_deactivation(session_factory, code: str) -> None:
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        csv = f"code,name_th,unit_code,active\n{code},{employee.name_th},{employee.unit.code},false\n"
        report = import_employees_csv(session=session, path_or_file=io.StringIO(csv))
        assert not report.problems
        session.commit()


def _reactivate(session_factory, code: str) -> None:
    with session_factory() as session:
        session.scalar(select(Employee).where(Employee.code == code)).active = True
        session.commit()


def test_deactivation_ends_cookies_and_tokens_even_after_reactivation(api, demo_org, live_app, session_factory):
    web = local_browser(live_app)
    stolen = copied_cookie(web)
    token_client = api.login("employee4")
    assert me_with(live_app, stolen) == 200 and token_client.get("/api/me").status_code == 200
    _import_deactivation(session_factory, "100059153")
    assert me_with(live_app, stolen) == 401
    assert token_client.get("/api/me").status_code == 401
    assert token_client.post("/api/punches", json=PUNCH).json()["code"] == "token_invalid"
    _reactivate(session_factory, "100059153")  # back in the directory: old sign-ins stay ended
    assert me_with(live_app, stolen) == 401 and token_client.get("/api/me").status_code == 401
    assert api.login("employee4").get("/api/me").status_code == 200


def test_an_admin_revoke_ends_every_session_and_token_of_a_person(api, demo_org, live_app):
    web = local_browser(live_app)
    stolen = copied_cookie(web)
    token_client = api.login("employee4")
    admin = api.login("admin")
    listed = admin.get("/api/employees/100059153/sign-ins").json()
    assert [s["live"] for s in listed["sessions"]] == [True]
    assert listed["tokens"][0]["live"] is True and "jti" not in listed["tokens"][0]
    assert admin.post("/api/employees/100059153/sign-ins/revoke").status_code == 204
    assert me_with(live_app, stolen) == 401
    assert token_client.get("/api/me").status_code == 401
    assert token_client.post("/api/punches", json=PUNCH).status_code == 401
    after = admin.get("/api/employees/100059153/sign-ins").json()
    assert {s["end_reason"] for s in after["sessions"]} == {"revoked_by_admin"}
    assert {t["revoke_reason"] for t in after["tokens"]} == {"revoked_by_admin"}


def test_an_admin_can_end_one_session_or_one_token(api, demo_org, live_app):
    phone, laptop = local_browser(live_app), local_browser(live_app)
    first_token, second_token = api.login("employee4"), api.login("employee4")
    admin = api.login("admin")
    listed = admin.get("/api/employees/100059153/sign-ins").json()
    newest_session, newest_token = listed["sessions"][0]["id"], listed["tokens"][0]["id"]
    assert admin.delete(f"/api/employees/100059153/sessions/{newest_session}").status_code == 204
    assert admin.delete(f"/api/employees/100059153/tokens/{newest_token}").status_code == 204
    assert laptop.get(f"{live_app.url}/api/me", timeout=30).status_code == 401
    assert phone.get(f"{live_app.url}/api/me", timeout=30).status_code == 200
    assert second_token.get("/api/me").status_code == 401 and first_token.get("/api/me").status_code == 200
    # Another person's session id is a 404 under this person.
    assert admin.delete(f"/api/employees/100059150/sessions/{newest_session}").status_code == 404


def test_only_admins_see_or_revoke_sign_ins(api, demo_org):
    hr = api.login("hr")
    assert hr.get("/api/employees/100059153/sign-ins").status_code == 403
    assert hr.post("/api/employees/100059153/sign-ins/revoke").status_code == 403


def test_a_password_change_ends_the_old_sign_ins(api, demo_org, live_app, database_url):
    web = local_browser(live_app)
    stolen = copied_cookie(web)
    token_client = api.login("employee4")
    result = CliRunner().invoke(main, ["account", "set-password", "employee4", "--employee-code", "100059153",
                                       "--password", "new-secret"], env={"OPSTA_DATABASE_URL": database_url,
                                                                         "OPSTA_SECRET_KEY": "x" * 32})
    assert result.exit_code == 0, result.output
    assert me_with(live_app, stolen) == 401
    assert token_client.get("/api/me").status_code == 401
    assert token_client.post("/api/punches", json=PUNCH).status_code == 401
    assert api.login("employee4", "new-secret").get("/api/me").status_code == 200


def test_api_logout_revokes_the_token_it_is_called_with(api, demo_org):
    phone, tablet = api.login("employee4"), api.login("employee4")
    assert phone.post("/api/punches", json=PUNCH).status_code == 201
    assert phone.post("/api/auth/logout").status_code == 204
    assert phone.get("/api/me").json()["code"] == "token_invalid"
    refused = phone.post("/api/punches", json=PUNCH)
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"
    assert tablet.get("/api/me").status_code == 200  # the person's other token still works


def test_api_logout_with_the_cookie_ends_the_browser_session(api, demo_org, live_app):
    web = local_browser(live_app)
    stolen = copied_cookie(web)
    token = csrf_token_of(web.get(f"{live_app.url}/", timeout=30).text)
    assert web.post(f"{live_app.url}/api/auth/logout", headers={"X-CSRF-Token": token}, timeout=30).status_code == 204
    assert me_with(live_app, stolen) == 401


def test_session_cookies_are_httponly_lax_and_secure_outside_the_embedded_mode(api, demo_org, live_app):
    from tests.support.database import backend

    web = browser()
    home = web.get(f"{live_app.url}/", timeout=30)
    reply = web.post(f"{live_app.url}/authen/local", allow_redirects=False, timeout=30,
                     data={"username": "employee4", "password": "demo", "csrf_token": csrf_token_of(home.text)})
    assert reply.status_code == 302
    cookie = next(c for c in reply.raw.headers.getlist("Set-Cookie") if c.startswith("opsta_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == (backend() == "postgresql")  # the SQLite run is the embedded mode


def test_sign_out_ends_our_session_even_when_the_provider_is_down(sso_server, oidc_provider):
    web = sso_sign_in(sso_server, oidc_provider)
    stolen = copied_cookie(web)
    token = csrf_token_of(web.get(f"{sso_server.url}/", timeout=30).text)
    oidc_provider.stop()
    reply = web.post(f"{sso_server.url}/authen/logout", data={"csrf_token": token}, allow_redirects=False, timeout=30)
    assert reply.status_code == 302 and reply.headers["Location"].startswith(f"{oidc_provider.issuer}/logout?")
    assert me_with(sso_server, stolen) == 401


def test_sign_in_while_the_provider_is_down_gets_a_clear_page(sso_app, oidc_provider_factory):
    provider = oidc_provider_factory()
    server = sso_app(provider)
    provider.stop()
    page = browser().get(f"{server.url}/authen/login", timeout=30)
    assert page.status_code == 503 and "single sign-on does not answer" in page.text
