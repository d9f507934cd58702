"""Punches made without a connection: kept in the IndexedDB outbox, marked offline, shown (also on a
calendar left open) as waiting to send, and sent by themselves when the connection returns, exactly
once each and in order; a punch the server refuses stays with its reason until it is removed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.models import Employee, Punch
from tests.support.accessibility import assert_accessible
from tests.support.browser import demo_site_positions
from tests.support.photos import FIXTURES
from tests.support.punch_screen import employee1_with_photo, moc_ops_site  # noqa: F401 (fixtures)
from tests.support.selfies import face_thread_owns_the_models  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow  # the real face model checks the selfies once they arrive

INSIDE, _OUTSIDE = demo_site_positions()
FILE_LABEL = "หรือถ่ายหรือเลือกรูปด้วยกล้องของโทรศัพท์"
QUEUED = "ไม่มีการเชื่อมต่อ การบันทึกเวลาถูกเก็บไว้ในโทรศัพท์นี้ (ออฟไลน์) และจะส่งเองเมื่อกลับมาเชื่อมต่อได้"


def _punches(session_factory, code="100059150"):
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        return list(session.scalars(select(Punch).where(Punch.employee_id == employee.id).order_by(Punch.id)))


def _wait_for_the_service_worker(page):
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def test_two_offline_punches_arrive_once_each_in_order_marked_offline(
        camera_browser, new_context, sign_in, app_url, employee1_with_photo, session_factory, take_screenshot):
    phone = new_context("phone", browser=camera_browser("obama2.jpg"), geolocation=INSIDE.as_geolocation(),
                        permissions=["geolocation", "camera"])
    calendar = sign_in(phone.new_page(), "employee1")  # a calendar left open in another tab
    _wait_for_the_service_worker(calendar)
    page = phone.new_page()
    page.goto(app_url + "/punch")
    expect(page.locator("#position-place")).to_have_text("อยู่ในสถานที่ : MOC-OPS")
    page.wait_for_function("() => document.querySelector('[data-camera-video]').videoWidth > 0")
    posts = []
    phone.context.on("request", lambda request: posts.append(request.headers.get("idempotency-key"))
                     if request.method == "POST" and request.url.endswith("/api/punches") else None)

    phone.context.set_offline(True)
    page.get_by_role("button", name="ถ่ายภาพ", exact=True).click()
    page.get_by_role("button", name="ลงเวลาเข้า", exact=True).click()
    expect(page.locator("#punch-outcome")).to_have_text(QUEUED)
    page.get_by_label("หมายเหตุ").fill("ไม่มีสัญญาณ")
    page.get_by_label(FILE_LABEL).set_input_files(FIXTURES / "obama3.jpg")
    page.get_by_role("button", name="ลงเวลาออก", exact=True).click()
    expect(page.locator("#punch-outcome")).to_have_text(QUEUED)

    for tab in (page, calendar):
        waiting = tab.locator("#punch-outbox .outbox-item")
        expect(waiting).to_have_count(2)
        expect(waiting.nth(0)).to_contain_text("IN")
        expect(waiting.nth(1)).to_contain_text("OUT")
        for item in (waiting.nth(0), waiting.nth(1)):
            expect(item).to_contain_text("ออฟไลน์")
            expect(item).to_contain_text("รอส่ง")
    expect(calendar.get_by_role("heading", name="การบันทึกเวลาที่รอส่ง")).to_be_visible()
    assert_accessible(calendar)
    take_screenshot(calendar, "calendar-waiting")
    assert _punches(session_factory) == [] and posts == []

    phone.context.set_offline(False)
    for tab in (page, calendar):
        expect(tab.locator("#punch-outbox")).to_be_hidden(timeout=60_000)
    expect(page.locator("#punch-outcome")).to_have_text("ระบบได้รับการบันทึกเวลาแล้ว")
    expect(page.locator(".verdict")).to_be_visible()
    take_screenshot(page, "sent-after-reconnecting")
    punches = _punches(session_factory)
    assert [p.direction for p in punches] == ["in", "out"]
    assert all(p.offline for p in punches)
    assert punches[0].effective_at < punches[1].effective_at
    assert punches[1].note == "ไม่มีสัญญาณ"
    keys = [p.idempotency_key for p in punches]
    assert len(set(keys)) == 2 and set(posts) == set(keys)  # retries (if any) carried the same keys
    # Nothing more arrives later (the service worker's Background Sync finds an empty outbox).
    page.wait_for_timeout(1500)
    assert len(_punches(session_factory)) == 2


def test_a_punch_the_server_refuses_stays_with_its_reason(new_context, sign_in, app_url, moc_ops_site,
                                                          session_factory, take_screenshot):
    """Made on a phone whose clock says four days ago: older than the 72-hour offline window."""
    phone = new_context("phone", geolocation=INSIDE.as_geolocation(), permissions=["geolocation"])
    phone.tolerate(r"Failed to load resource: the server responded with a status of 422")
    page = sign_in(phone.new_page(), "employee1")
    _wait_for_the_service_worker(page)
    page.clock.install(time=datetime.now(timezone.utc) - timedelta(days=4))
    page.goto(app_url + "/punch")
    expect(page.locator("#position-place")).to_have_text("อยู่ในสถานที่ : MOC-OPS")
    phone.context.set_offline(True)
    page.get_by_role("button", name="ลงเวลาเข้า", exact=True).click()  # selfies are optional in these tests
    expect(page.locator("#punch-outcome")).to_have_text(QUEUED)
    phone.context.set_offline(False)
    refused = page.locator("#punch-outbox .outbox-refused")
    expect(refused).to_contain_text("ไม่ได้รับ", timeout=60_000)
    reason = "การบันทึกเวลานี้นานเกินกว่าจะส่งได้ โปรดยื่นคำขอบันทึกเวลาย้อนหลังแทน"
    expect(refused.locator(".outbox-reason")).to_have_text(reason)
    assert _punches(session_factory) == []

    page.goto(app_url + "/calendar")  # still there on the next page, not sent again
    expect(page.locator("#punch-outbox .outbox-refused .outbox-reason")).to_have_text(reason)
    assert_accessible(page)
    take_screenshot(page, "refused")
    page.get_by_role("button", name="ลบออก").click()
    expect(page.locator("#punch-outbox")).to_be_hidden()
    page.reload()
    expect(page.locator("#calendar")).to_be_visible()
    expect(page.locator("#punch-outbox")).to_be_hidden()
    assert _punches(session_factory) == []
