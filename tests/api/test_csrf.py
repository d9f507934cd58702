"""CSRF: writes that the session cookie authenticates need the page's token; bearer-token calls do not."""
import requests

from tests.support.http_browser import browser, csrf_token_of

EVIL = {"Origin": "https://evil.example", "Referer": "https://evil.example/page"}


def signed_in(live_app):
    web = browser()
    home = web.get(f"{live_app.url}/", timeout=30)
    page = web.post(f"{live_app.url}/authen/local", timeout=30, data={
        "username": "employee1", "password": "demo", "csrf_token": csrf_token_of(home.text)})
    assert "signed-in" in page.text
    return web, csrf_token_of(page.text)


def test_a_cross_site_form_post_is_refused_with_a_page(api, demo_org, live_app):
    web, _ = signed_in(live_app)
    for path in ("/authen/logout", "/api/me/notifications/read"):
        reply = web.post(f"{live_app.url}{path}", data={"anything": "1"}, headers=EVIL, timeout=30)
        assert reply.status_code == 403 and reply.headers["Content-Type"].startswith("text/html")
        assert "The form could not be sent" in reply.text and "ส่งแบบฟอร์มไม่สำเร็จ" in reply.text
    assert web.get(f"{live_app.url}/api/me", timeout=30).status_code == 200  # still signed in


def test_a_form_post_with_the_token_passes(api, demo_org, live_app):
    web, token = signed_in(live_app)
    page = web.post(f"{live_app.url}/authen/logout", data={"csrf_token": token}, timeout=30)
    assert page.status_code == 200 and "signed-in" not in page.text
    assert web.get(f"{live_app.url}/api/me", timeout=30).status_code == 401


def test_a_fetch_without_the_token_gets_a_problem(api, demo_org, live_app):
    web, token = signed_in(live_app)
    for headers in ({"X-Requested-With": "fetch"}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": token + "x"}):
        reply = web.post(f"{live_app.url}/api/me/notifications/read", json={}, headers=headers, timeout=30)
        assert reply.status_code == 403
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.json()["code"] == "csrf_failed"


def test_a_fetch_with_the_token_passes(api, demo_org, live_app):
    web, token = signed_in(live_app)
    reply = web.post(f"{live_app.url}/api/me/notifications/read", headers={"X-CSRF-Token": token}, timeout=30)
    assert reply.status_code == 204


def test_the_token_belongs_to_the_session(api, demo_org, live_app):
    web, _ = signed_in(live_app)
    _, other_token = signed_in(live_app)  # another browser's valid token
    reply = web.post(f"{live_app.url}/api/me/notifications/read", headers={"X-CSRF-Token": other_token}, timeout=30)
    assert reply.status_code == 403 and reply.json()["code"] == "csrf_failed"


def test_bearer_token_calls_need_no_csrf_token(api, demo_org):
    client = api.login("employee1")
    assert client.post("/api/me/notifications/read").status_code == 204


def test_the_sign_in_form_cannot_be_posted_from_another_site(api, demo_org, live_app):
    reply = browser().post(f"{live_app.url}/authen/local", headers=EVIL, timeout=30,
                           data={"username": "employee1", "password": "demo"})
    assert reply.status_code == 403 and "opsta_session" not in reply.cookies


def test_reading_needs_no_token(api, demo_org, live_app):
    web, _ = signed_in(live_app)
    assert web.get(f"{live_app.url}/api/me", timeout=30).status_code == 200
    assert requests.get(f"{live_app.url}/healthz", timeout=30).status_code == 200
