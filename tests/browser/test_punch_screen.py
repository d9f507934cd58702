"""The punch screen (บันทึกเวลา) on a phone: the fake position inside and outside the demo site, the fake
camera showing a test face, one multipart punch with an Idempotency-Key, and the verdict of the real
face worker as it arrives; the full employee day; refused permissions and no camera."""
from __future__ import annotations

import re
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.models import Employee, Punch
from tests.support.accessibility import assert_accessible
from tests.support.browser import ROOT, THAI_FONTS, demo_site_positions, platform_fonts
from tests.support.photos import FIXTURES
from tests.support.punch_screen import employee1_with_photo, moc_ops_site  # noqa: F401 (fixtures)
from tests.support.selfies import face_thread_owns_the_models  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow  # the real face model checks the selfies

INSIDE, OUTSIDE = demo_site_positions()
VERDICT_TIMEOUT_MS = 120_000
README_SHOTS = ROOT / "docs" / "screenshots"  # the README shows the punch screen from here


def _phone_at(new_context, position, *, browser=None, permissions=("geolocation", "camera")):
    return new_context("phone", browser=browser, geolocation=position.as_geolocation(),
                       permissions=list(permissions))


def _open_punch_screen(page, app_url):
    page.goto(app_url + "/punch")
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกเวลา")
    return page


def _punches(session_factory, code="100059150"):
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        return list(session.scalars(select(Punch).where(Punch.employee_id == employee.id).order_by(Punch.id)))


def test_a_full_employee_day(camera_browser, new_context, sign_in, app_url, employee1_with_photo, session_factory,
                             take_screenshot):
    """Sign in → calendar → IN at the office with a live selfie → verified → `HH:MM IN MOC-OPS` in
    today's list → OUT off-site with a note (a photo from the file fallback) → both in the calendar."""
    phone = _phone_at(new_context, INSIDE, browser=camera_browser("obama2.jpg"))
    page = sign_in(phone.new_page(), "employee1")
    page.locator("#menu-button").click()
    page.get_by_role("link", name="บันทึกเวลา", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกเวลา")

    expect(page.locator("#position-place")).to_have_text("อยู่ในสถานที่ : MOC-OPS")
    expect(page.locator("#position-accuracy")).to_have_text("ความแม่นยำ : ± 8 เมตร")
    buttons = page.locator(".punch-button")
    expect(buttons).to_have_text(["ลงเวลาเข้า", "ลงเวลาออก"])  # nothing yet today: IN first
    expect(page.get_by_text("จัดตำแหน่งใบหน้าให้อยู่ในกรอบ", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="ถ่ายภาพ", exact=True)).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-camera-video]').videoWidth > 0")
    for selector in (".face-hint", "#position-place", ".punch-button"):
        fonts = platform_fonts(page, selector)
        assert set(fonts) & THAI_FONTS, f"{selector} was drawn with {fonts}: Thai as boxes"
    assert_accessible(page)
    take_screenshot(page, "punch")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(take_screenshot(page, "punch-phone", full_page=False), README_SHOTS / "punch.png")

    page.get_by_role("button", name="ถ่ายภาพ", exact=True).click()
    expect(page.locator("[data-camera-still]")).to_be_visible()
    sent = []
    page.on("request", lambda request: sent.append(request) if request.url.endswith("/api/punches") else None)
    page.get_by_role("button", name="ลงเวลาเข้า", exact=True).click()
    expect(page.locator("#punch-outcome")).to_have_text("ระบบได้รับการบันทึกเวลาแล้ว")
    expect(page.locator(".verdict")).to_be_visible()
    expect(page.locator(".verdict-status")).to_have_text("ใบหน้าตรงกับรูปโปรไฟล์", timeout=VERDICT_TIMEOUT_MS)
    now = datetime.now(ZoneInfo("Asia/Bangkok"))
    expect(page.locator(".verdict").get_by_role("link", name=re.compile(r"^\d\d:\d\d IN MOC-OPS$"))).to_be_visible()
    assert len(sent) == 1
    request = sent[0]
    assert request.method == "POST" and "multipart/form-data" in request.headers["content-type"]
    assert re.fullmatch(r"[0-9a-f-]{36}", request.headers["idempotency-key"])
    [punch] = _punches(session_factory)
    assert punch.direction == "in" and punch.location_kind == "office" and punch.offline is False
    assert punch.idempotency_key == request.headers["idempotency-key"]
    expect(buttons).to_have_text(["ลงเวลาออก", "ลงเวลาเข้า"])  # after an IN, OUT is the likely one
    take_screenshot(page, "verified")

    page.goto(app_url + "/calendar")
    local = punch.effective_at.astimezone(ZoneInfo("Asia/Bangkok"))
    expect(page.get_by_role("link", name=f"{local:%H:%M} IN MOC-OPS")).to_be_visible()
    assert abs((now - local).total_seconds()) < 120
    page.get_by_role("link", name=f"{local:%H:%M} IN MOC-OPS").click()  # its detail
    expect(page.get_by_role("heading", name="บันทึกเวลาทำงาน (GPS)")).to_be_visible()
    expect(page.locator(".punch-detail .verification-verified")).to_have_text("ใบหน้าตรงกับรูปโปรไฟล์")

    # OUT, off-site, with a note, from a new page (the likely button is OUT now) and the file fallback.
    phone.context.set_geolocation(OUTSIDE.as_geolocation())
    _open_punch_screen(page, app_url)
    expect(buttons).to_have_text(["ลงเวลาออก", "ลงเวลาเข้า"])
    expect(page.locator("#position-place")).to_have_text("นอกสถานที่ (ไม่อยู่ในสถานที่ปฏิบัติงานใด)")
    page.get_by_label("หมายเหตุ").fill("ประชุมที่กระทรวง")
    page.get_by_label("หรือถ่ายหรือเลือกรูปด้วยกล้องของโทรศัพท์").set_input_files(FIXTURES / "obama3.jpg")
    expect(page.locator("[data-camera-still]")).to_be_visible()
    page.get_by_role("button", name="ลงเวลาออก", exact=True).click()
    expect(page.locator(".verdict-status")).to_have_text("ใบหน้าตรงกับรูปโปรไฟล์", timeout=VERDICT_TIMEOUT_MS)
    expect(page.locator(".verdict").get_by_role("link", name=re.compile(r"^\d\d:\d\d OUT "))).to_be_visible()
    out = _punches(session_factory)[-1]
    assert out.direction == "out" and out.location_kind == "offsite" and out.note == "ประชุมที่กระทรวง"
    page.goto(app_url + "/calendar")
    expect(page.locator(".punch-row")).to_have_count(2)


def test_a_rejected_selfie_shows_the_advice_for_its_reason(camera_browser, new_context, sign_in, app_url,
                                                           employee1_with_photo, take_screenshot):
    phone = _phone_at(new_context, INSIDE, browser=camera_browser("biden.jpg"))
    page = _open_punch_screen(sign_in(phone.new_page(), "employee1"), app_url)
    page.wait_for_function("() => document.querySelector('[data-camera-video]').videoWidth > 0")
    page.get_by_role("button", name="ถ่ายภาพ", exact=True).click()
    page.get_by_role("button", name="ลงเวลาเข้า", exact=True).click()
    expect(page.locator(".verdict-status")).to_have_text("ตรวจสอบใบหน้าไม่ผ่าน", timeout=VERDICT_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="คำแนะนำเมื่อตรวจสอบใบหน้าไม่ผ่าน")).to_be_visible()
    advice = page.locator(".advice li[data-reason=mismatch]")
    expect(advice).to_contain_text("ไม่ตรงกับรูปโปรไฟล์")
    expect(advice).to_contain_text("เซลฟี่ไม่ตรงกับรูปโปรไฟล์ของคุณ")
    assert_accessible(page)
    take_screenshot(page, "rejected")


def test_the_same_screen_in_english(camera_browser, new_context, sign_in, app_url, employee1_with_photo):
    phone = _phone_at(new_context, OUTSIDE, browser=camera_browser("obama2.jpg"))
    page = sign_in(phone.new_page(), "employee1")
    page.goto(app_url + "/settings")
    page.get_by_label("English").check()
    page.get_by_role("button", name="บันทึก").click()
    page.goto(app_url + "/punch")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record time")
    expect(page.locator("#position-place")).to_have_text("Off-site (outside every office site)")
    expect(page.get_by_text("Place your face inside the frame", exact=True)).to_be_visible()
    expect(page.locator(".punch-button")).to_have_text(["Clock in", "Clock out"])


def test_refused_location_permission_is_said_clearly(camera_browser, new_context, sign_in, app_url, moc_ops_site,
                                                     take_screenshot):
    phone = new_context("phone", browser=camera_browser("obama2.jpg"), permissions=["camera"])
    page = _open_punch_screen(sign_in(phone.new_page(), "employee1"), app_url)
    expect(page.locator("#position-problem")).to_have_text(
        "ไม่ได้รับอนุญาตให้ใช้ตำแหน่ง โปรดอนุญาตให้เว็บไซต์นี้ใช้ตำแหน่งในการตั้งค่าของเบราว์เซอร์ แล้วโหลดหน้านี้ใหม่")
    expect(page.locator(".punch-button").first).to_be_disabled()
    assert_accessible(page)
    take_screenshot(page, "location-refused")


def test_without_a_camera_the_file_fallback_is_offered(new_context, sign_in, app_url, moc_ops_site, take_screenshot):
    phone = _phone_at(new_context, INSIDE, permissions=("geolocation",))
    page = _open_punch_screen(sign_in(phone.new_page(), "employee1"), app_url)
    expect(page.locator("[data-camera-problem]")).to_have_text("ไม่พบกล้อง โปรดถ่ายหรือเลือกรูปด้วยปุ่มด้านล่าง")
    file_input = page.get_by_label("หรือถ่ายหรือเลือกรูปด้วยกล้องของโทรศัพท์")
    expect(file_input).to_have_attribute("accept", "image/*")
    expect(file_input).to_have_attribute("capture", "user")
    expect(page.get_by_role("button", name="ถ่ายภาพ", exact=True)).to_be_hidden()
    assert_accessible(page)
    take_screenshot(page, "no-camera")


def test_low_gps_accuracy_is_said_clearly(new_context, sign_in, app_url, moc_ops_site):
    phone = new_context("phone", geolocation={**INSIDE.as_geolocation(), "accuracy": 350},
                        permissions=["geolocation"])
    page = _open_punch_screen(sign_in(phone.new_page(), "employee1"), app_url)
    expect(page.locator("#position-problem")).to_contain_text("ตำแหน่ง GPS ไม่แม่นยำ (± 350 เมตร เกิน 100 เมตร)")
