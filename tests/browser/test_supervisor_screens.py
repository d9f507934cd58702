"""A supervisor on a phone: the subordinates list (code above name) → a subordinate's calendar with their
code, name and position → a GPS punch's detail with its selfie, hr's acceptance and a map that draws
the site's outline, the point and its accuracy without any tiles → a face-terminal punch's detail in the
training material's words with the profile photo. A peer's calendar or punch is the same 404 page as an
unknown one. With OPSTA_README_SCREENSHOTS=1 the screenshots of the punch detail and the subordinates list
also replace the README's in docs/screenshots/ (at 2×, to keep the repository small)."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from engine.attendance.thai_calendar import thai_date_short
from tests.support.accessibility import assert_accessible
from tests.support.punch_details import ACCEPTANCE_REASON, NOTE, seed_detailed_punches
from tests.support.web_month import seed_known_month

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _keep_for_readme(path: Path, name: str) -> None:
    if os.environ.get("OPSTA_README_SCREENSHOTS") != "1":
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    with Image.open(path) as shot:
        width = 2 * 390
        smaller = shot.convert("RGB").resize((width, round(shot.height * width / shot.width)), Image.LANCZOS)
        smaller.quantize(colors=256, dither=Image.Dither.NONE).save(DOCS / name, optimize=True)


def test_a_supervisor_opens_a_subordinates_gps_and_face_terminal_punches(phone, phone_page, sign_in, demo_org, app_url,
                                                                         session_factory, take_screenshot):
    known = seed_known_month(session_factory)
    punches = seed_detailed_punches(session_factory, known.late + timedelta(days=7))
    page = sign_in(phone_page, "supervisor")
    page.goto(app_url + "/subordinates")
    expect(page.get_by_role("heading", level=1)).to_have_text("ผู้ใต้บังคับบัญชา")
    first = page.locator(".people li").first
    code_box = first.locator(".person-code").bounding_box()
    name_box = first.locator(".person-name").bounding_box()
    assert code_box["y"] + code_box["height"] <= name_box["y"] + 1  # the code above the name
    assert_accessible(page)
    _keep_for_readme(take_screenshot(page, "subordinates"), "subordinates.png")

    page.get_by_role("link", name=re.compile("100059150")).click()
    head = page.locator(".person-head")
    expect(head).to_contain_text("100059150")
    expect(head).to_contain_text("นายกิตติพัฒน์ สุขประเสริฐ")
    expect(head).to_contain_text("นักวิชาการคอมพิวเตอร์ชำนาญการ")
    page.get_by_role("link", name="เดือนก่อนหน้า").click()
    page.locator(f"#day-{punches.day.isoformat()}").click()
    page.get_by_role("link", name=re.compile(r"^08:41 IN")).click()

    detail = page.locator(".punch-detail")
    expect(page.get_by_role("heading", name="บันทึกเวลาทำงาน (GPS)")).to_be_visible()
    expect(detail).to_contain_text("100059150 : นายกิตติพัฒน์ สุขประเสริฐ")
    expect(detail).to_contain_text(f"วันที่/เวลา : {thai_date_short(punches.day)} 08:41:07")
    expect(detail).to_contain_text(punches.site_name)
    expect(detail).to_contain_text(f"หมายเหตุ : {NOTE}")
    expect(detail.locator(".flags li")).to_have_count(1)
    expect(detail.locator(".acceptance")).to_contain_text(ACCEPTANCE_REASON)
    selfie = detail.get_by_role("img", name="ภาพใบหน้าที่ส่งมากับการบันทึกเวลานี้")
    expect(selfie).to_be_visible()
    assert selfie.evaluate("img => img.complete && img.naturalWidth > 0")
    # The map without tiles: the site's outline, the accuracy ring and the dot, and no tile at all.
    expect(page.locator("#punch-map")).to_have_attribute("data-drawn", "3")
    expect(page.locator("#punch-map .leaflet-overlay-pane path")).to_have_count(3)
    expect(page.locator("#punch-map .leaflet-tile")).to_have_count(0)
    assert_accessible(page)
    _keep_for_readme(take_screenshot(page, "punch-detail-gps"), "punch-detail.png")

    page.get_by_role("link", name="กลับไปที่ปฏิทิน").click()
    page.get_by_role("link", name=re.compile(r"^16:33 OUT")).click()
    expect(page.get_by_role("heading", name="บันทึกเวลาโดย ตรวจสอบใบหน้า")).to_be_visible()
    for line in ("ประเภทการเข้า/ออก : ลงเวลาออก", "รหัสบุคลากร : 100059150", "ชื่อ : นายกิตติพัฒน์ สุขประเสริฐ",
                 f"วันที่/เวลา : {thai_date_short(punches.day)} 16:33:00", "ชื่อเครื่องอ่าน : MOC-OPS",
                 "ประเภทบันทึกเวลา : ตรวจสอบใบหน้า"):
        expect(page.locator(".punch-detail")).to_contain_text(line)
    photo = page.get_by_role("img", name="รูปโปรไฟล์ของ นายกิตติพัฒน์ สุขประเสริฐ")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("#punch-map")).to_have_count(0)
    assert_accessible(page)
    _keep_for_readme(take_screenshot(page, "punch-detail-terminal"), "punch-detail-terminal.png")


def test_a_peers_punch_is_the_same_404_page_as_an_unknown_one(phone, phone_page, sign_in, demo_org, app_url,
                                                             session_factory, take_screenshot):
    known = seed_known_month(session_factory)
    punches = seed_detailed_punches(session_factory, known.late + timedelta(days=7))
    phone.tolerate(r"status of 404")  # the browser logs every 404 it is given
    page = sign_in(phone_page, "employee2")
    page.goto(f"{app_url}/punches/{punches.gps_id}")
    expect(page.get_by_role("alert")).to_have_text("ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เปิดหน้านี้")
    peer = page.locator("main").inner_text()
    page.goto(f"{app_url}/punches/999999999")
    assert page.locator("main").inner_text() == peer
    page.goto(f"{app_url}/employees/100059150/calendar")
    assert page.locator("main").inner_text() == peer
    assert_accessible(page)
