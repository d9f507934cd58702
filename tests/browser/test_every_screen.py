"""Every screen, as every demo account, in Thai and then in English: each menu entry shown (and one detail
page reachable from each list: a punch, a request, a task, an announcement, a report) answers without an
error page, has an h1 and passes axe; the guarded context fails the test on a console error or a request
leaving the origin. This is where screens built in parallel meet each other."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from engine.announcements.service import AnnouncementDraft, publish_announcement
from engine.demo.organisation import seed_demo
from engine.models import Employee
from tests.support.accessibility import assert_accessible

ACCOUNTS = ("employee1", "supervisor", "hr", "analyst", "admin")
# A list (by its path) and the links on it that lead to one of its items.
DETAILS = {"/history": r"^/punches/\d+$", "/calendar": r"^/punches/\d+$", "/requests": r"^/requests/\d+$",
           "/approvals": r"^/approvals/\d+$", "/announcements": r"^/announcements/\d+$",
           "/reports": r"^/reports/[\w-]+$", "/processes": r"^/processes/[\w-]+$"}
# Lists whose items are each a screen of their own: every item is visited, not only the first.
EVERY_ITEM = {"/reports"}
MENU_BUTTON = {"th": "กดเพื่อแสดงเมนู", "en": "Tap to show the menu"}


@pytest.fixture
def full_demo(session_factory, settings, clean_db, live_app):
    """What `opsta run --demo` seeds (a month of punches, pending requests), and one announcement."""
    live_app.app.extensions["opsta"].geofence.sites.invalidate()
    with session_factory() as session:
        seed_demo(session=session, settings=settings, attendance=True)
        hr = session.query(Employee).filter_by(code=_code_of(session, "hr")).one()
        publish_announcement(session=session, author=hr,
                             draft=AnnouncementDraft(title="ประชุมประจำเดือน", body="ห้องประชุม 1 เวลา 10:00"))


def _code_of(session, username: str) -> str:
    from engine.demo.organisation import DEMO_PEOPLE
    return next(person.code for person in DEMO_PEOPLE if person.username == username)


def _menu_paths(page, language: str) -> list[str]:
    page.get_by_role("button", name=MENU_BUTTON[language]).click()
    menu = page.get_by_role("dialog", name="เมนู" if language == "th" else "Menu")
    expect(menu).to_be_visible()
    paths = [urlsplit(link.get_attribute("href")).path for link in menu.locator("a.menu-link").all()]
    page.keyboard.press("Escape")
    return paths


def _check(page, url: str, language: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.documentElement.lang") == language, url
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("[data-problem-code]")).to_have_count(0)  # the error page (errors/_problem.html)
    assert_accessible(page)


def _detail_paths(page, list_path: str) -> list[str]:
    pattern = DETAILS.get(list_path)
    if pattern is None:
        return []
    found = []
    for link in page.locator("main a[href]").all():
        path = urlsplit(link.get_attribute("href")).path
        if re.match(pattern, path) and path not in found:
            found.append(path)
    return found if list_path in EVERY_ITEM else found[:1]


def _walk(page, app_url: str, language: str) -> list[str]:
    visited = []
    for path in _menu_paths(page, language):
        _check(page, app_url + path, language)
        visited.append(path)
        for detail in _detail_paths(page, path):
            _check(page, app_url + detail, language)
            visited.append(detail)
    return visited


def _choose_english(page, app_url: str) -> None:
    page.goto(app_url + "/settings")
    page.get_by_label("English").check()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_screen_in_thai_and_english(username, phone, phone_page, sign_in, full_demo, app_url):
    page = sign_in(phone_page, username)
    thai = _walk(page, app_url, "th")
    assert "/settings" in thai and "/calendar" in thai
    _choose_english(page, app_url)
    english = _walk(page, app_url, "en")
    assert english == thai
