"""The profile photo (การตั้งรูปโปรไฟล์) on a phone: the rules for a good photo, a refused photo with the
result and advice of each check, a photo from the live camera (the fake camera shows a test face) that
the real face checks accept, the current photo with when it was set, and the hint to renew an old one."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.models import ProfilePhoto
from tests.support.accessibility import assert_accessible
from tests.support.photos import darkened, jpeg, photo_image
from tests.support.selfies import face_thread_owns_the_models  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow  # the real face model checks the photos

FILE_LABEL = "หรือถ่ายหรือเลือกรูปด้วยกล้องของโทรศัพท์"


def _open_from_settings(page, app_url):
    page.goto(app_url + "/settings")
    page.get_by_role("link", name="การตั้งรูปโปรไฟล์").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("การตั้งรูปโปรไฟล์")
    return page


def test_a_refused_photo_shows_each_check_with_its_advice(new_context, sign_in, app_url, demo_org,
                                                          take_screenshot):
    phone = new_context("phone")  # no camera: the file input is the way
    phone.tolerate(r"status of 422 .*/profile-photo")  # Chromium logs the refused form's answer
    page = _open_from_settings(sign_in(phone.new_page(), "employee1"), app_url)
    expect(page.locator("#photo-none")).to_be_visible()
    expect(page.get_by_role("heading", name="รูปโปรไฟล์ที่ดี")).to_be_visible()
    expect(page.locator(".rules li")).to_have_count(8)
    expect(page.locator("[data-camera-problem]")).to_have_text("ไม่พบกล้อง โปรดถ่ายหรือเลือกรูปด้วยปุ่มด้านล่าง")
    assert_accessible(page)
    take_screenshot(page, "profile-photo")

    dark = jpeg(darkened(photo_image("obama.jpg"), 0.15))
    page.get_by_label(FILE_LABEL).set_input_files({"name": "dark.jpg", "mimeType": "image/jpeg", "buffer": dark})
    page.get_by_role("button", name="บันทึกรูป").click()
    expect(page.get_by_role("alert").first).to_have_text(
        "ใช้รูปนี้เป็นรูปโปรไฟล์ไม่ได้ โปรดดูคำแนะนำของแต่ละข้อด้านล่าง")
    failed = page.locator(".check-failed[data-check=bright_enough]")
    expect(failed).to_contain_text("แสงสว่างเพียงพอ: ไม่ผ่าน")
    expect(failed.locator(".check-advice")).to_contain_text("ภาพมืดเกินไป")
    expect(page.locator(".check-passed[data-check=one_face]")).to_contain_text("ใบหน้าเดียว: ผ่าน")
    expect(page.locator("#photo-none")).to_be_visible()  # nothing was stored
    assert_accessible(page)
    take_screenshot(page, "refused")


def test_a_photo_from_the_camera_becomes_the_profile_photo(camera_browser, new_context, sign_in, app_url, demo_org,
                                                           session_factory, take_screenshot):
    phone = new_context("phone", browser=camera_browser("obama.jpg"), permissions=["camera"])
    page = _open_from_settings(sign_in(phone.new_page(), "employee1"), app_url)
    expect(page.get_by_text("จัดตำแหน่งใบหน้าให้อยู่ในกรอบ", exact=True)).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-camera-video]').videoWidth > 0")
    page.get_by_role("button", name="ถ่ายภาพ", exact=True).click()
    expect(page.locator("[data-camera-still]")).to_be_visible()
    page.get_by_role("button", name="บันทึกรูป").click()
    expect(page.get_by_role("status").filter(has_text="บันทึกรูปโปรไฟล์ใหม่แล้ว")).to_be_visible()
    expect(page.locator(".check-failed")).to_have_count(0)
    expect(page.locator(".check-passed")).to_have_count(9)
    expect(page.locator("#photo-set-at")).to_have_text(re.compile(r"^ตั้งเมื่อ \d+/\d+/25\d\d \d\d:\d\d:\d\d$"))
    image = page.get_by_role("img", name="รูปโปรไฟล์ปัจจุบันของท่าน")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(page.locator("#photo-renew")).to_have_count(0)
    assert_accessible(page)
    take_screenshot(page, "saved")

    with session_factory() as session:  # a year and more later
        photo = session.scalar(select(ProfilePhoto).where(ProfilePhoto.current.is_(True)))
        photo.created_at -= timedelta(days=400)
        session.commit()
    page.goto(app_url + "/profile-photo")
    expect(page.locator("#photo-renew")).to_contain_text("รูปนี้ตั้งไว้ 400 วันแล้ว")
