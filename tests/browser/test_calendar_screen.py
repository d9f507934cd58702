"""The calendar (ปฏิทิน), the dashboard after sign-in, on a phone in Thai: the six-week grid from Sunday,
the month in the Buddhist era, today marked, days coloured by status with a legend, a day's punches as
`08:40 IN MOC-OPS` rows opening the punch detail, month navigation in place; and the same in English."""
from __future__ import annotations

import re
from calendar import monthrange

from playwright.sync_api import expect

from engine.attendance.thai_calendar import thai_date_short, thai_month_title
from tests.support.accessibility import assert_accessible
from tests.support.browser import THAI_FONTS, platform_fonts
from tests.support.web_month import LONG_PLACE, seed_known_month, today_in_bangkok

WEEKDAYS_TH = ["อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส."]
LEGEND_TH = ["มาสาย", "กลับก่อนเวลา", "ขาดงาน", "ลงเวลาไม่ครบ", "วันหยุดราชการ", "ปฏิบัติงานนอกสถานที่ (อนุมัติแล้ว)",
             "รอตรวจสอบ"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def _background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def test_the_dashboard_is_this_months_calendar_with_today_marked(phone, phone_page, sign_in, demo_org,
                                                                  take_screenshot):
    page = sign_in(phone_page, "employee1")
    today = today_in_bangkok()
    expect(page.get_by_role("heading", level=1)).to_have_text("ปฏิทิน")
    expect(page.locator("#month-title")).to_have_text(thai_month_title(today.year, today.month))
    expect(page.locator(".month-grid thead th")).to_have_text(WEEKDAYS_TH)
    expect(page.locator(".month-grid tbody tr")).to_have_count(6)
    expect(page.locator(".month-grid tbody td")).to_have_count(42)
    expect(page.locator(".day.outside")).to_have_count(42 - monthrange(today.year, today.month)[1])
    greyed, ordinary = page.locator(".day.outside").first, page.locator("a.day").first
    assert greyed.evaluate("e => getComputedStyle(e).color") != ordinary.evaluate("e => getComputedStyle(e).color")
    marked = page.locator("[aria-current=date]")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text(str(today.day))
    expect(marked).to_have_attribute("aria-label", re.compile("วันนี้$"))
    expect(page.locator(".chosen-date")).to_have_text(f"วันนี้ : {thai_date_short(today)}")
    hours = "เวลาทำงาน : 08:45 - 16:30" if today.weekday() < 5 else "เวลาทำงาน : วันหยุด"
    expect(page.locator(".work-hours")).to_have_text(hours)
    expect(page.locator(".legend li")).to_contain_text(LEGEND_TH)
    for selector in ("#month-title", ".chosen-date", ".legend li"):
        fonts = platform_fonts(page, selector)
        assert set(fonts) & THAI_FONTS, f"{selector} was drawn with {fonts}: Thai as boxes"
    assert_accessible(page)
    take_screenshot(page, "calendar")


def test_days_are_coloured_by_status_and_a_day_lists_its_punches(phone, phone_page, sign_in, demo_org,
                                                                  session_factory, take_screenshot):
    known = seed_known_month(session_factory)
    page = sign_in(phone_page, "employee1")
    page.evaluate("() => { window.stillThisPage = true; }")
    page.get_by_role("link", name="เดือนก่อนหน้า").click()
    expect(page.locator("#month-title")).to_have_text(thai_month_title(known.month.year, known.month.month))
    assert page.evaluate("() => window.stillThisPage") is True  # htmx swapped the calendar in place
    expect(page).to_have_url(re.compile(rf"/calendar\?month={known.month}$"))

    def day(d):
        return page.locator(f"#day-{d.isoformat()}")

    expected = {known.normal: ("normal", "ปกติ"), known.late: ("late", "มาสาย"),
                known.left_early: ("left_early", "กลับก่อนเวลา"), known.absent: ("absent", "ขาดงาน"),
                known.holiday: ("holiday", "วันหยุดราชการ"), known.incomplete: ("incomplete", "ลงเวลาไม่ครบ")}
    colours = set()
    for d, (status, words) in expected.items():
        expect(day(d)).to_have_attribute("data-status", status)
        expect(day(d)).to_have_attribute("aria-label", re.compile(words))
        swatch = page.locator(f".legend .swatch.status-{status}")
        colours.add(_background(day(d)))
        assert _background(day(d)) == _background(swatch), status
    assert len(colours) == len(expected)  # each status its own colour

    day(known.normal).click()
    expect(page.locator(".chosen-date")).to_have_text(f"วันที่ : {thai_date_short(known.normal)}")
    expect(page.locator(".work-hours")).to_have_text("เวลาทำงาน : 08:45 - 16:30")
    rows = page.locator(".punch-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="08:40 IN MOC-OPS")).to_be_visible()
    expect(page.get_by_role("link", name="16:35 OUT MOC-OPS")).to_be_visible()
    assert page.evaluate("() => window.stillThisPage") is True
    take_screenshot(page, "day")

    day(known.left_early).click()
    expect(page.get_by_role("link", name="08:30 IN ศูนย์เทคโนโลยีสาร...")).to_be_visible()
    assert LONG_PLACE not in page.locator(".punch-list").inner_text()
    day(known.holiday).click()
    expect(page.locator(".work-hours")).to_have_text("วันหยุดทดสอบ")
    day(known.absent).click()
    expect(page.locator(".no-punches")).to_have_text("ไม่มีการบันทึกเวลาในวันนี้")
    assert_accessible(page)

    day(known.normal).click()
    page.get_by_role("link", name="08:40 IN MOC-OPS").click()
    expect(page.get_by_role("heading", name="บันทึกเวลาทำงาน (GPS)")).to_be_visible()
    expect(page.locator(".punch-detail")).to_contain_text("100059150 : นายกิตติพัฒน์ สุขประเสริฐ")
    expect(page.locator(".punch-detail")).to_contain_text(f"วันที่/เวลา : {thai_date_short(known.normal)} 08:40:00")
    expect(page.locator(".punch-detail")).to_contain_text("ลงเวลาเข้า")
    assert_accessible(page)
    take_screenshot(page, "punch-detail")
    page.get_by_role("link", name="กลับไปที่ปฏิทิน").click()
    expect(page.locator(".chosen-date")).to_have_text(f"วันที่ : {thai_date_short(known.normal)}")


def test_the_calendar_without_script_still_works(new_context, app_url, demo_org, session_factory):
    """Progressive enhancement: the same links load whole pages when scripts are off."""
    known = seed_known_month(session_factory)
    context = new_context("phone", java_script_enabled=False)
    page = context.new_page()
    page.goto(app_url + "/")
    page.locator("input[name=username]").fill("employee1")
    page.locator("input[name=password]").fill("demo")
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.get_by_role("link", name="เดือนก่อนหน้า").click()
    page.locator(f"#day-{known.late.isoformat()}").click()
    expect(page.get_by_role("link", name="09:10 IN MOC-OPS")).to_be_visible()
    page.locator("#menu-button").click()  # without script: the menu page
    expect(page.get_by_role("heading", name="เมนู", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="ตั้งค่า")).to_be_visible()


def test_english_is_a_setting_with_common_era_years(phone, phone_page, sign_in, demo_org, take_screenshot):
    page = sign_in(phone_page, "employee1")
    today = today_in_bangkok()
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    page.get_by_role("link", name="ตั้งค่า").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ตั้งค่า")
    expect(page.locator("#app-version")).to_have_text(re.compile(r"^\d+\.\d+\.\d+|dev$"))
    assert_accessible(page)
    take_screenshot(page, "settings")
    page.get_by_label("English").check()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    page.get_by_role("button", name="Tap to show the menu").click()
    page.get_by_role("link", name="Calendar").click()
    expect(page.locator("#month-title")).to_have_text(f"{EN_MONTHS[today.month - 1]} {today.year}")
    expect(page.locator(".month-grid thead th")).to_have_text(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"])
    expect(page.locator(".chosen-date")).to_have_text(f"Today : {today.day}/{today.month}/{today.year}")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    take_screenshot(page, "calendar-english")
