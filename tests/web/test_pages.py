"""The page helper, the error pages and the language setting, over HTTP as a browser without script sees them."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import requests

from tests.support.http_browser import browser, csrf_token_of
from tests.support.web_month import seed_known_month

HTMX = {"HX-Request": "true"}
PAGE = {"Accept": "text/html,application/xhtml+xml"}


def test_a_screen_sends_a_signed_out_browser_to_sign_in_and_back(live_app, demo_org, signed_in):
    anonymous = browser()
    reply = anonymous.get(f"{live_app.url}/calendar?month=2026-01", allow_redirects=False, timeout=30)
    assert reply.status_code == 302 and _next_of(reply.headers["Location"]) == "/calendar?month=2026-01"
    client, page = signed_in("employee1", next_page="/calendar?month=2026-01")
    assert page.url == f"{live_app.url}/calendar?month=2026-01" and "มกราคม 2569" in page.text


def test_an_htmx_request_without_a_session_is_told_where_to_sign_in(live_app, demo_org):
    reply = browser().get(f"{live_app.url}/calendar?month=2026-01", headers=HTMX, allow_redirects=False, timeout=30)
    assert reply.status_code == 401 and _next_of(reply.headers["HX-Redirect"]) == "/calendar?month=2026-01"


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/"
    return parse_qs(parts.query)["next"][0]


def test_a_form_sent_after_the_cookies_are_gone_gets_a_page_not_json(live_app, demo_org, signed_in):
    client, page = signed_in("employee1")
    token = csrf_token_of(page.text)
    client.cookies.clear()
    reply = client.post(f"{live_app.url}/language", data={"csrf_token": token, "language": "en"}, timeout=30)
    assert reply.status_code == 403 and reply.headers["Content-Type"].startswith("text/html")
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in reply.text
    wrong_method = client.post(f"{live_app.url}/menu", headers=PAGE, timeout=30)
    assert wrong_method.status_code == 405 and "ใช้งานหน้านี้ด้วยวิธีนี้ไม่ได้" in wrong_method.text


def test_after_sign_in_the_dashboard_is_the_calendar(live_app, demo_org, signed_in):
    client, page = signed_in("employee1")
    assert page.url == f"{live_app.url}/"
    assert 'id="calendar"' in page.text and "<h1 class=\"top-title\">ปฏิทิน</h1>" in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_domain_error_is_a_page_in_the_pages_language(live_app, demo_org, signed_in):
    client, _ = signed_in("employee1")
    thai = client.get(f"{live_app.url}/calendar?month=2021-13", timeout=30)
    assert thai.status_code == 422 and "ไม่มีเดือนนี้ กรุณาเลือกเดือนจากปฏิทิน" in thai.text
    assert 'data-problem-code="month_invalid"' in thai.text and "<nav" in thai.text  # with the menu
    client.cookies.set("opsta_lang", "en")
    english = client.get(f"{live_app.url}/calendar?month=2021-13", timeout=30)
    assert "That month does not exist. Choose a month from the calendar." in english.text
    assert '<html lang="en">' in english.text


def test_a_domain_error_in_an_htmx_request_is_a_fragment(live_app, demo_org, signed_in):
    client, _ = signed_in("employee1")
    reply = client.get(f"{live_app.url}/calendar?month=2026-09&day=2026-10-01", headers=HTMX, timeout=30)
    assert reply.status_code == 422 and reply.text.lstrip().startswith('<div class="problem" role="alert"')
    assert "วันที่นี้ไม่อยู่ในเดือนนี้" in reply.text and "<html" not in reply.text


def test_the_same_404_page_for_an_unknown_and_a_forbidden_calendar_or_punch(live_app, demo_org, signed_in,
                                                                            session_factory):
    seed_known_month(session_factory)  # employee1's punches: employee2 is a peer
    client, _ = signed_in("employee2")
    peer = client.get(f"{live_app.url}/employees/100059150/calendar", timeout=30)
    nobody = client.get(f"{live_app.url}/employees/999999999/calendar", timeout=30)
    assert peer.status_code == nobody.status_code == 404 and peer.text == nobody.text
    assert "ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เปิดหน้านี้" in peer.text
    from sqlalchemy import select

    from engine.models import Punch

    with session_factory() as session:
        punch_id = session.scalars(select(Punch.id)).first()
    theirs = client.get(f"{live_app.url}/punches/{punch_id}", timeout=30)
    missing = client.get(f"{live_app.url}/punches/987654321", timeout=30)
    unknown_address = client.get(f"{live_app.url}/no-such-screen", headers=PAGE, timeout=30)
    assert theirs.status_code == missing.status_code == unknown_address.status_code == 404
    assert theirs.text == missing.text == unknown_address.text == peer.text


def test_the_api_and_scripts_still_get_problem_json_for_unknown_addresses(live_app, clean_db):
    assert requests.get(f"{live_app.url}/api/no-such", timeout=30).headers["Content-Type"].startswith(
        "application/problem+json")
    assert requests.get(f"{live_app.url}/no-such", timeout=30).headers["Content-Type"].startswith(
        "application/problem+json")


def test_the_language_setting_changes_every_page_and_is_checked(live_app, demo_org, signed_in):
    client, page = signed_in("employee1")
    token = csrf_token_of(page.text)
    reply = client.post(f"{live_app.url}/language", data={"csrf_token": token, "language": "en",
                                                           "next": "/settings?saved=1"}, timeout=30)
    assert reply.url == f"{live_app.url}/settings?saved=1" and "Saved." in reply.text
    assert '<html lang="en">' in reply.text and reply.headers["Content-Language"] == "en"
    bad = client.post(f"{live_app.url}/language", data={"csrf_token": token, "language": "fr"}, timeout=30)
    assert bad.status_code == 422 and "Choose Thai or English." in bad.text
    outside = client.post(f"{live_app.url}/language", data={"csrf_token": token, "language": "th",
                                                             "next": "https://evil.example/"}, allow_redirects=False,
                          timeout=30)
    assert outside.status_code == 303 and outside.headers["Location"] == "/"


def test_the_sign_in_page_follows_the_language_before_anyone_signs_in(live_app, demo_org):
    client = browser()
    home = client.get(f"{live_app.url}/", timeout=30)
    assert "ชื่อผู้ใช้" in home.text and "เข้าสู่ระบบ" in home.text
    client.post(f"{live_app.url}/language", data={"csrf_token": csrf_token_of(home.text), "language": "en",
                                                   "next": "/"}, timeout=30)
    english = client.get(f"{live_app.url}/", timeout=30)
    assert "Username" in english.text and "Sign in" in english.text


def test_a_wrong_password_shows_the_training_materials_words(live_app, demo_org):
    client = browser()
    home = client.get(f"{live_app.url}/", timeout=30)
    reply = client.post(f"{live_app.url}/authen/local", timeout=30, data={
        "username": "employee1", "password": "wrong", "csrf_token": csrf_token_of(home.text)})
    assert reply.status_code == 401
    assert "เข้าสู่ระบบไม่สำเร็จ โปรดกรอกรหัสผ่านให้ถูกต้อง" in reply.text
    assert 'name="username"' in reply.text and 'name="password"' in reply.text


def test_the_sso_button_label_is_a_setting(sso_app):
    default = sso_app()
    assert "เข้าสู่ระบบด้วย MOC Account" in requests.get(f"{default.url}/", timeout=30).text
    renamed = sso_app(sso_button_label="เข้าสู่ระบบด้วยบัญชีกระทรวง")
    page = requests.get(f"{renamed.url}/", timeout=30).text
    assert re.search(r'id="sso-login"[^>]*>เข้าสู่ระบบด้วยบัญชีกระทรวง<', page)
