"""The menu (กดเพื่อแสดงเมนู): name and position at the top, the sections and entries of the training
material by their exact names (only screens that exist), the supervisor's section only for supervisors;
a supervisor opens a subordinate's calendar and punch; a peer's calendar is the same 404 page as an
unknown one; sign-out ends the session, so a copied cookie no longer works."""
from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.web_month import seed_known_month
from web.menu import MENU

# The training material's words for each entry (web/translations/th).
THAI = {"web.calendar": "ปฏิทิน", "web.punch": "บันทึกเวลา", "web.history": "ประวัติ",
        "web.subordinates": "ผู้ใต้บังคับบัญชา", "web.announcements": "ประกาศ", "web.notifications": "การแจ้งเตือน",
        "web.settings": "ตั้งค่า", "web.logout": "ออกจากระบบ", "web.reports": "รายงาน",
        "web.processes": "กระบวนการและตารางการตัดสินใจ",
        # issue 14
        "web.new_overtime": "ขอทำงานล่วงเวลา", "web.new_offsite": "ขอปฏิบัติงานนอกสถานที่",
        "web.new_missed_punch": "ขอบันทึกเวลากรณีไม่สามารถบันทึกเวลาได้", "web.my_requests": "คำขอของฉัน",
        "web.inbox": "งานรออนุมัติ", "web.delegations": "มอบหมายผู้อนุมัติแทน", "web.team_day": "วันนี้ของทีม"}
# Sections only an approver sees (an employee with nothing to decide does not).
APPROVER_SECTIONS = ("supervisor", "approvals")
# Entries only supervisors (and hr, admin) see, wherever they sit in the menu.
SUPERVISORS_ONLY = ("web.reports",)
# Entries only some roles see (the employee and the supervisor of these tests hold none of them).
ROLE_ONLY = {"web.processes"}


def _expected_entries(app, *, supervisor: bool) -> list[str]:
    """The entries this build shows: each one whose screen exists (others add theirs as they land)."""
    return [THAI[entry.endpoint] for entry in MENU if entry.endpoint in app.view_functions
            and entry.endpoint not in ROLE_ONLY
            and ((entry.section not in APPROVER_SECTIONS and entry.endpoint not in SUPERVISORS_ONLY) or supervisor)]


def _open_menu(page):
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    menu = page.get_by_role("dialog", name="เมนู")
    expect(menu).to_be_visible()
    return menu


def test_an_employees_menu(phone, phone_page, sign_in, demo_org, live_app, take_screenshot):
    page = sign_in(phone_page, "employee1")
    menu = _open_menu(page)
    expect(menu.locator(".who-name")).to_have_text("นายกิตติพัฒน์ สุขประเสริฐ")
    expect(menu.locator(".who-position")).to_have_text("นักวิชาการคอมพิวเตอร์ชำนาญการ")
    expect(menu.get_by_role("heading")).to_have_text(["ทั่วไป", "คำขอ", "อื่นๆ"])
    names = [item.inner_text().strip() for item in menu.locator(".menu-link").all()]
    assert names == _expected_entries(live_app.app, supervisor=False)
    expect(menu.get_by_role("link", name="ปฏิทิน", exact=True)).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("button", name="ออกจากระบบ", exact=True)).to_be_visible()
    for entry in menu.locator(".menu-link").all():
        box = entry.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert_accessible(page)
    take_screenshot(page, "menu", full_page=False)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(page.get_by_role("button", name="กดเพื่อแสดงเมนู")).to_be_focused()
    expect(page.get_by_role("button", name="กดเพื่อแสดงเมนู")).to_have_attribute("aria-expanded", "false")


def test_a_supervisor_opens_a_subordinates_calendar_and_punch(phone, phone_page, sign_in, demo_org, live_app,
                                                              session_factory, take_screenshot):
    known = seed_known_month(session_factory)
    page = sign_in(phone_page, "supervisor")
    menu = _open_menu(page)
    expect(menu.get_by_role("heading")).to_have_text(["ทั่วไป", "คำขอ", "การอนุมัติ", "หัวหน้างาน", "อื่นๆ"])
    names = [re.sub(r"\s+\d+$", "", item.inner_text().strip()) for item in menu.locator(".menu-link").all()]
    assert names == _expected_entries(live_app.app, supervisor=True)
    menu.get_by_role("link", name="ผู้ใต้บังคับบัญชา", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ผู้ใต้บังคับบัญชา")
    people = page.locator(".people li")
    expect(people).to_have_count(4)
    expect(people.first).to_have_text(re.compile(r"100059150\s*นายกิตติพัฒน์ สุขประเสริฐ"))
    assert_accessible(page)
    take_screenshot(page, "subordinates")
    page.get_by_role("link", name=re.compile("100059150")).click()
    head = page.locator(".person-head")
    expect(head).to_contain_text("100059150")
    expect(head).to_contain_text("นายกิตติพัฒน์ สุขประเสริฐ")
    expect(head).to_contain_text("นักวิชาการคอมพิวเตอร์ชำนาญการ")
    page.get_by_role("link", name="เดือนก่อนหน้า").click()
    page.locator(f"#day-{known.late.isoformat()}").click()
    page.get_by_role("link", name="09:10 IN MOC-OPS").click()
    expect(page.locator(".punch-detail")).to_contain_text("100059150 : นายกิตติพัฒน์ สุขประเสริฐ")
    take_screenshot(page, "subordinate-punch")
    page.get_by_role("link", name="กลับไปที่ปฏิทิน").click()
    expect(page).to_have_url(re.compile(r"/employees/100059150/calendar\?"))


def test_a_peers_calendar_is_the_same_404_page_as_an_unknown_one(phone, phone_page, sign_in, demo_org, app_url,
                                                                 take_screenshot):
    phone.tolerate(r"status of 404")  # the browser logs every 404 it is given
    page = sign_in(phone_page, "employee2")
    page.goto(app_url + "/employees/100059150/calendar")
    peer = page.locator("main").inner_text()
    expect(page.get_by_role("alert")).to_have_text("ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เปิดหน้านี้")
    assert_accessible(page)
    take_screenshot(page, "not-found")
    page.goto(app_url + "/employees/000000000/calendar")
    assert page.locator("main").inner_text() == peer


def test_sign_out_ends_the_session_so_a_copied_cookie_fails(phone, phone_page, sign_in, demo_org, app_url,
                                                           new_context):
    page = sign_in(phone_page, "employee1")
    copied = phone.context.cookies()
    session_cookie = next(c for c in copied if c["name"] == "opsta_session")
    _open_menu(page).get_by_role("button", name="ออกจากระบบ", exact=True).click()
    expect(page.locator("input[name=username]")).to_be_visible()
    assert not [c for c in phone.context.cookies() if c["name"] == "opsta_session"]
    page.go_back()  # the calendar was never stored (no-store): Back asks the server, which says sign in
    expect(page.locator("input[name=username]")).to_be_visible()

    thief = new_context("phone")
    thief.context.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(app_url + "/calendar")
    expect(stolen.locator("input[name=username]")).to_be_visible()
    assert "next=" in stolen.url
    reply = requests.get(f"{app_url}/api/me", cookies={"opsta_session": session_cookie["value"]}, timeout=30)
    assert reply.status_code == 401
