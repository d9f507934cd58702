"""Announcements (ประกาศ) and notifications (การแจ้งเตือน) on a phone: hr publishes two through the page;
the employee's menu badge counts their notifications; the list shows them pinned first and unread;
opening one marks it read and the badge follows; on the notifications page marking one, then all, read
empties the badge."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from engine.models import Employee
from engine.notifications.service import notify
from tests.support.accessibility import assert_accessible


def _menu(page):
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    menu = page.get_by_role("dialog", name="เมนู")
    expect(menu).to_be_visible()
    return menu


def _badge(page):
    menu = _menu(page)
    badge = menu.locator(".menu-link", has_text="การแจ้งเตือน").locator(".badge")
    return menu, badge


def _publish(page, title: str, body: str, *, pinned: bool = False):
    """Fill in and send the publishing form; it comes back, empty, for the next one."""
    page.get_by_label("หัวข้อ").fill(title)
    page.get_by_label("ข้อความ").fill(body)
    if pinned:
        page.get_by_label("ปักหมุดไว้ด้านบน").check()
    page.get_by_role("button", name="เผยแพร่", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("เผยแพร่แล้ว")


def test_hr_publishes_and_the_employee_reads_and_the_badge_follows(new_context, sign_in, demo_org, session_factory,
                                                                   take_screenshot):
    hr = sign_in(new_context("phone").new_page(), "hr")
    _menu(hr).get_by_role("link", name="ประกาศ", exact=True).click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("ประกาศ")
    hr.get_by_role("link", name="เผยแพร่ประกาศ").click()
    _publish(hr, "ปิดปรับปรุงระบบวันเสาร์", "ระบบจะปิดปรับปรุงตั้งแต่ 08:00 น.")
    _publish(hr, "ประชุมประจำเดือน", "ห้องประชุม 1 เวลา 10:00 น.", pinned=True)
    expect(hr.locator(".managed-list li")).to_have_count(2)
    assert_accessible(hr)
    take_screenshot(hr, "publish")

    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == "100059150"))
        notify(session=session, recipient_id=employee.id, kind="test", title_th="ทดสอบการแจ้งเตือน", title_en="Test")
        session.commit()

    page = sign_in(new_context("phone").new_page(), "employee1")
    menu, badge = _badge(page)
    expect(badge).to_have_text("3")
    menu.get_by_role("link", name="ประกาศ", exact=True).click()
    items = page.locator(".announcement-list li")
    expect(items.locator(".item-title")).to_have_text(["ประชุมประจำเดือน", "ปิดปรับปรุงระบบวันเสาร์"])
    expect(page.locator(".announcement-list li.unread")).to_have_count(2)
    expect(items.first.locator(".chip-unread")).to_have_text("ยังไม่อ่าน")
    assert_accessible(page)
    take_screenshot(page, "announcements")
    page.get_by_role("link", name="ปิดปรับปรุงระบบวันเสาร์").click()
    expect(page.locator(".announcement-body")).to_have_text("ระบบจะปิดปรับปรุงตั้งแต่ 08:00 น.")
    assert_accessible(page)
    page.get_by_role("link", name="ประกาศทั้งหมด").click()
    expect(page.locator(".announcement-list li.unread")).to_have_count(1)
    menu, badge = _badge(page)
    expect(badge).to_have_text("2")

    menu.get_by_role("link", name="การแจ้งเตือน").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("การแจ้งเตือน")
    expect(page.locator(".notification.unread")).to_have_count(2)
    assert_accessible(page)
    take_screenshot(page, "notifications")
    page.get_by_role("button", name="อ่านแล้ว: ทดสอบการแจ้งเตือน").click()
    expect(page.locator(".notification.unread")).to_have_count(1)
    _, badge = _badge(page)
    expect(badge).to_have_text("1")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="อ่านทั้งหมดแล้ว").click()
    expect(page.locator(".notification.unread")).to_have_count(0)
    _, badge = _badge(page)
    expect(badge).to_have_count(0)
