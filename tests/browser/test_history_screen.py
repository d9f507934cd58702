"""History (ประวัติการบันทึกเวลางาน) on a phone: from the menu, newest first, 20 at a time; "show older"
puts the next page's rows under the first in place (htmx), and each row opens its punch detail."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.punch_details import seed_history
from web.screens.history import PAGE_SIZE


def test_history_pages_in_place_newest_first(phone, phone_page, sign_in, demo_org, session_factory,
                                             take_screenshot):
    expected = seed_history(session_factory, PAGE_SIZE + 3)
    page = sign_in(phone_page, "employee1")
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    page.get_by_role("dialog", name="เมนู").get_by_role("link", name="ประวัติ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ประวัติการบันทึกเวลางาน")
    rows = page.locator(".history-list .punch-row")
    expect(rows).to_have_count(PAGE_SIZE)
    expect(page.locator(".history-list .punch-time")).to_have_text(expected[:PAGE_SIZE])
    assert_accessible(page)
    take_screenshot(page, "history")
    page.evaluate("() => { window.stillThisPage = true; }")
    page.get_by_role("link", name="แสดงรายการที่เก่ากว่า").click()
    expect(rows).to_have_count(PAGE_SIZE + 3)
    expect(page.locator(".history-list .punch-time")).to_have_text(expected)
    expect(page.get_by_role("link", name="แสดงรายการที่เก่ากว่า")).to_have_count(0)
    assert page.evaluate("() => window.stillThisPage") is True
    rows.last.click()
    expect(page.get_by_role("heading", name="บันทึกเวลาทำงาน (GPS)")).to_be_visible()
