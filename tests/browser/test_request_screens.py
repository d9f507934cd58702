"""Requests and approvals on a phone, in Thai: employee1 files each kind from the คำขอ forms, the supervisor
(and hr, for a missed punch) decides it from งานรออนุมัติ, returned requests are edited and sent again, and
the calendar shows the effect; several approved at once; two browsers deciding the same task; an acting
approver deciding during the delegation; axe on every screen."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from engine.attendance.thai_calendar import thai_date_short
from tests.support.accessibility import assert_accessible
from tests.support.approvals import next_weekday, today


def _menu(page, name: str):
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    page.get_by_role("dialog", name="เมนู").get_by_role("link", name=name, exact=True).click()


def _file_overtime(page, day, start="17:00", end="19:00", reason="ปิดงบประมาณ"):
    _menu(page, "ขอทำงานล่วงเวลา")
    expect(page.get_by_role("heading", level=1)).to_have_text("ขอทำงานล่วงเวลา")
    page.get_by_label("วันที่").fill(thai_date_short(day))
    page.get_by_label("ตั้งแต่เวลา").fill(start)
    page.get_by_label("ถึงเวลา").fill(end)
    page.get_by_label("เหตุผล").fill(reason)


def _send(page):
    page.get_by_role("button", name="ส่งคำขอ").click()
    expect(page.get_by_role("status")).to_have_text("ส่งคำขอแล้ว")


def _decide(page, app_url, requester_summary: str, decision: str, comment: str = ""):
    page.goto(app_url + "/approvals")
    page.get_by_role("link", name=re.compile(re.escape(requester_summary))).first.click()
    if comment:
        page.get_by_label("ความเห็น").fill(comment)
    page.get_by_role("button", name=decision, exact=True).click()
    expect(page.get_by_role("status")).to_have_text("บันทึกการพิจารณาแล้ว")


def test_overtime_returned_resubmitted_and_approved_shows_on_the_calendar(new_context, sign_in, demo_org, app_url,
                                                                          take_screenshot):
    phone = new_context("phone")
    phone.tolerate(r"status of 422")  # the form comes back with its field errors as 422
    employee = sign_in(phone.new_page(), "employee1")
    day = next_weekday()
    _file_overtime(employee, day, "17:00", "16:00")
    expect(employee.locator("#planned-hours")).to_have_text("-")
    employee.get_by_label("ถึงเวลา").fill("19:30")
    expect(employee.locator("#planned-hours")).to_have_text("2.5")  # shown as it is typed
    assert_accessible(employee)
    take_screenshot(employee, "overtime-form")
    employee.get_by_label("ถึงเวลา").fill("16:00")
    employee.get_by_role("button", name="ส่งคำขอ").click()
    expect(employee.locator("#end-error")).to_have_text("ต้องสิ้นสุดหลังเวลาเริ่ม (ภายในวันเดียวกัน)")
    expect(employee.get_by_label("ถึงเวลา")).to_have_attribute("aria-invalid", "true")
    assert_accessible(employee)
    employee.get_by_label("ถึงเวลา").fill("19:00")
    _send(employee)
    expect(employee.locator(".waiting-for")).to_contain_text("นางสาวพิมพ์ชนก ใจดี")
    assert_accessible(employee)

    boss = sign_in(new_context("phone").new_page(), "supervisor")
    boss.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    expect(boss.get_by_role("link", name=re.compile(r"^งานรออนุมัติ"))).to_contain_text("1")
    boss.keyboard.press("Escape")
    boss.goto(app_url + "/approvals")
    assert_accessible(boss)
    take_screenshot(boss, "inbox")
    _decide(boss, app_url, "นายกิตติพัฒน์", "ส่งกลับแก้ไข", "ขอเวลาเริ่ม 17:30")

    _menu(employee, "คำขอของฉัน")
    employee.locator(".request-row").first.click()
    expect(employee.locator(".request-fields")).to_contain_text("ส่งกลับให้แก้ไข")
    expect(employee.locator(".timeline")).to_contain_text("“ขอเวลาเริ่ม 17:30”")
    employee.get_by_role("link", name="แก้ไขและส่งใหม่").click()
    employee.get_by_label("ตั้งแต่เวลา").fill("17:30")
    employee.get_by_label("หมายเหตุถึงผู้อนุมัติ").fill("แก้ไขแล้ว")
    employee.get_by_role("button", name="ส่งอีกครั้ง").click()
    expect(employee.locator(".request-fields")).to_contain_text("17:30 - 19:00")

    _decide(boss, app_url, "นายกิตติพัฒน์", "อนุมัติ", "เห็นชอบ")
    employee.reload()
    expect(employee.locator(".request-fields")).to_contain_text("อนุมัติแล้ว")
    expect(employee.locator(".timeline")).to_contain_text("“เห็นชอบ”")
    employee.goto(app_url + f"/calendar?month={day:%Y-%m}&day={day.isoformat()}")
    expect(employee.locator(".calendar-requests")).to_contain_text("ทำงานล่วงเวลา 17:30-19:00 · อนุมัติแล้ว")
    expect(employee.locator(f"#day-{day.isoformat()}")).to_have_attribute("aria-label", re.compile("ทำงานล่วงเวลา อนุมัติแล้ว"))
    assert_accessible(employee)


def test_off_site_rejected_then_approved_and_a_missed_punch_from_the_calendar(new_context, sign_in, demo_org,
                                                                             app_url, take_screenshot):
    employee = sign_in(new_context("phone").new_page(), "employee1")
    first = next_weekday()
    for decision in ("ไม่อนุมัติ", "อนุมัติ"):
        _menu(employee, "ขอปฏิบัติงานนอกสถานที่")
        employee.get_by_label("วันแรก").fill(thai_date_short(first))
        employee.get_by_label("วันสุดท้าย").fill(thai_date_short(first))
        employee.get_by_label("สถานที่").fill("ศาลากลางจังหวัดนนทบุรี")
        employee.get_by_label("เหตุผล").fill("ประชุม")
        assert_accessible(employee)
        _send(employee)
        boss = sign_in(new_context("phone").new_page(), "supervisor")
        _decide(boss, app_url, "ศาลากลาง", decision)
        employee.reload()
        expect(employee.locator(".request-fields")).to_contain_text("ไม่อนุมัติ" if decision == "ไม่อนุมัติ" else "อนุมัติแล้ว")
    employee.goto(app_url + f"/calendar?month={first:%Y-%m}")
    expect(employee.locator(f"#day-{first.isoformat()}")).to_have_attribute("data-status", "offsite_approved")

    # A past working day without punches: the calendar offers the missed-punch form with the day filled in.
    missed = today() - timedelta(days=1)
    while missed.weekday() >= 5:
        missed -= timedelta(days=1)
    employee.goto(app_url + f"/calendar?month={missed:%Y-%m}&day={missed.isoformat()}")
    employee.locator(".missed-punch-link").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("ขอบันทึกเวลากรณีไม่สามารถบันทึกเวลาได้")
    expect(employee.get_by_label("วันที่")).to_have_value(thai_date_short(missed))
    expect(employee.get_by_label("เข้า (IN)")).to_be_checked()
    employee.get_by_label("เวลา", exact=True).fill("08:30")
    employee.get_by_label("สาเหตุที่บันทึกเวลาไม่ได้").select_option("device_down")
    employee.get_by_label("เหตุผล").fill("เครื่องสแกนเสีย")
    assert_accessible(employee)
    _send(employee)
    boss = sign_in(new_context("phone").new_page(), "supervisor")
    _decide(boss, app_url, "08:30 IN", "อนุมัติ")
    hr = sign_in(new_context("phone").new_page(), "hr")
    _decide(hr, app_url, "08:30 IN", "อนุมัติ")
    employee.goto(app_url + f"/calendar?month={missed:%Y-%m}&day={missed.isoformat()}")
    expect(employee.locator(".punch-list")).to_contain_text("08:30")


def test_three_approved_at_once(new_context, sign_in, demo_org, app_url, take_screenshot):
    employee = sign_in(new_context("phone").new_page(), "employee1")
    for start, end in (("17:00", "18:00"), ("18:00", "19:00"), ("19:00", "20:00")):
        _file_overtime(employee, next_weekday(), start, end)
        _send(employee)
    boss = sign_in(new_context("phone").new_page(), "supervisor")
    boss.goto(app_url + "/approvals?kind=overtime")
    boxes = boss.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    for box in boxes.all():
        box.check()
    take_screenshot(boss, "inbox-selected")
    boss.get_by_role("button", name="อนุมัติรายการที่เลือก").click()
    expect(boss.get_by_role("status")).to_have_text("อนุมัติแล้ว 3 รายการ")
    expect(boss.locator(".empty-inbox")).to_have_text("ไม่มีงานรออนุมัติ")
    _menu(employee, "คำขอของฉัน")
    expect(employee.locator(".status-chip")).to_have_text(["อนุมัติแล้ว"] * 3)


def test_two_browsers_decide_the_same_task_one_wins_the_other_is_told(new_context, sign_in, demo_org, app_url,
                                                                      take_screenshot):
    employee = sign_in(new_context("phone").new_page(), "employee1")
    _file_overtime(employee, next_weekday())
    _send(employee)
    first = sign_in(new_context("phone").new_page(), "supervisor")
    second = sign_in(new_context("desktop").new_page(), "supervisor")
    for page in (first, second):
        page.goto(app_url + "/approvals")
        page.get_by_role("link", name=re.compile("นายกิตติพัฒน์")).click()
        expect(page.get_by_role("button", name="อนุมัติ", exact=True)).to_be_visible()
    assert_accessible(first)
    take_screenshot(first, "task")
    first.get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(first.get_by_role("status")).to_have_text("บันทึกการพิจารณาแล้ว")
    second.get_by_role("button", name="ไม่อนุมัติ", exact=True).click()
    expect(second.get_by_role("status")).to_have_text("คำขอนี้ได้รับการพิจารณาไปแล้ว")
    expect(second.locator(".inbox-row")).to_have_count(0)
    expect(second.get_by_role("alert")).to_have_count(0)  # a message, not an error page
    take_screenshot(second, "already-considered")
    employee.reload()
    expect(employee.locator(".request-fields")).to_contain_text("อนุมัติแล้ว")


def test_an_acting_approver_decides_during_the_delegation(new_context, sign_in, demo_org, app_url, take_screenshot):
    employee = sign_in(new_context("phone").new_page(), "employee1")
    _file_overtime(employee, next_weekday())
    _send(employee)
    boss = sign_in(new_context("phone").new_page(), "supervisor")
    _menu(boss, "มอบหมายผู้อนุมัติแทน")
    boss.get_by_label("ผู้อนุมัติแทน").select_option("100059151")
    boss.get_by_label("วันแรก").fill(thai_date_short(today()))
    boss.get_by_label("วันสุดท้าย").fill(thai_date_short(today() + timedelta(days=7)))
    assert_accessible(boss)
    boss.get_by_role("button", name="บันทึก", exact=True).click()
    expect(boss.get_by_role("status")).to_have_text("บันทึกผู้อนุมัติแทนแล้ว")
    expect(boss.locator(".delegation")).to_contain_text("นางสาววรรณวิสา ทองมา")
    assert_accessible(boss)
    take_screenshot(boss, "delegations")
    delegate = sign_in(new_context("phone").new_page(), "employee2")
    _decide(delegate, app_url, "นายกิตติพัฒน์", "อนุมัติ", "แทนหัวหน้า")
    employee.reload()
    expect(employee.locator(".timeline")).to_contain_text("ปฏิบัติแทน นางสาวพิมพ์ชนก ใจดี")


def test_the_teams_day_for_a_supervisor_and_for_hr(new_context, sign_in, demo_org, app_url, session_factory,
                                                   take_screenshot):
    from datetime import datetime

    from tests.support.approvals import BANGKOK
    from tests.support.punches import add_punch

    moment = (datetime.now(BANGKOK) - timedelta(minutes=3)).replace(tzinfo=None, second=0, microsecond=0)
    with session_factory() as session:
        add_punch(session, "100059150", moment, "in")
        add_punch(session, "100059151", moment, "in", selfie_verdict="rejected")
        add_punch(session, "100059152", moment, "in", selfie_verdict="error")
    employee = sign_in(new_context("phone").new_page(), "employee4")
    _file_overtime(employee, next_weekday())
    _send(employee)
    boss = sign_in(new_context("phone").new_page(), "supervisor")
    _menu(boss, "วันนี้ของทีม")
    expect(boss.get_by_role("heading", level=1)).to_have_text("วันนี้ของทีม")
    expect(boss.locator(".team-member")).to_have_count(4)
    first = boss.locator('[data-code="100059150"]')
    expect(first.locator(".team-state")).to_have_text(re.compile(rf"(เข้างาน|มาสาย) เวลา {moment:%H:%M} · MOC-OPS"))
    expect(boss.locator('[data-code="100059151"] .flag')).to_have_text("เซลฟีไม่ผ่าน")
    assert_accessible(boss)
    take_screenshot(boss, "team-day")
    boss.locator('[data-code="100059153"]').get_by_role("link", name=re.compile("คำขอรออนุมัติ 1 รายการ")).click()
    expect(boss.locator(".inbox-row")).to_have_count(1)
    hr = sign_in(new_context("phone").new_page(), "hr")
    hr.goto(app_url + "/team/today")
    hr.get_by_label("หน่วยงาน (รวมหน่วยงานย่อย)").select_option("ICT")
    hr.get_by_role("button", name="แสดง", exact=True).click()
    expect(hr.locator('[data-code="10151"]')).to_be_visible()
    expect(hr.locator("#selfie-errors-title")).to_have_text("การตรวจเซลฟีที่ไม่สำเร็จ")
    expect(hr.get_by_role("link", name=re.compile("นายณัฐวุฒิ แก้วมณี · IN"))).to_be_visible()
    assert_accessible(hr)
    take_screenshot(hr, "team-day-hr")
