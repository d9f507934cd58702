"""Announcements (ประกาศ) over HTTP: hr publishes through the page's form; the employee it is for sees it
unread, pinned first, and opening it marks it (and its notification) read; someone outside its units
and a non-publisher get the one 404 page; a bad form comes back as typed with the problem."""
from __future__ import annotations

import html
import re

from tests.support.http_browser import csrf_token_of


def _publish(client, base, **fields):
    page = client.get(f"{base}/announcements/new", timeout=30)
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_token_of(page.text), "title": "ปิดปรับปรุงระบบ", "body": "วันเสาร์นี้\nทั้งวัน",
            "include_sub_units": "on", **fields}
    return client.post(f"{base}/announcements", data=data, timeout=30)


def _titles(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<span class="item-title">(?:<span[^>]*></span>)?([^<]+)</span>', page)]


def test_hr_publishes_and_the_employee_reads_it(live_app, signed_in):
    hr, _ = signed_in("hr")
    reply = _publish(hr, live_app.url, unit="ICT")
    assert reply.status_code == 200 and reply.url.endswith("/announcements/new?published=1")
    assert "เผยแพร่แล้ว" in reply.text and "ปิดปรับปรุงระบบ" in reply.text
    assert _publish(hr, live_app.url, title="ประกาศสำคัญ", pinned="on").status_code == 200  # everyone, pinned

    employee, _ = signed_in("employee1")
    listing = employee.get(f"{live_app.url}/announcements", timeout=30)
    assert _titles(listing.text) == ["ประกาศสำคัญ", "ปิดปรับปรุงระบบ"]  # pinned first
    assert listing.text.count('class="announcement unread') == 2 and "ยังไม่ได้อ่าน 2 รายการ" in listing.text
    link = re.search(r'href="(/announcements/\d+)"[^>]*>\s*<span class="item-lines">\s*<span class="item-title">'
                     r'(?:<span[^>]*></span>)?ปิดปรับปรุงระบบ', listing.text).group(1)
    menu_before = employee.get(f"{live_app.url}/menu", timeout=30).text
    assert re.search(r'การแจ้งเตือน <span class="badge">2</span>', menu_before)
    detail = employee.get(live_app.url + link, timeout=30)
    assert "ปิดปรับปรุงระบบ" in detail.text and "วันเสาร์นี้\nทั้งวัน" in detail.text
    again = employee.get(f"{live_app.url}/announcements", timeout=30)
    assert again.text.count('class="announcement unread') == 1
    assert re.search(r'การแจ้งเตือน <span class="badge">1</span>', employee.get(f"{live_app.url}/menu", timeout=30).text)

    # hr works in OPS, above ICT: an announcement for ICT is not for them (the same 404 as none at all).
    unknown = hr.get(f"{live_app.url}/announcements/999999", timeout=30)
    assert unknown.status_code == 404
    assert _titles(hr.get(f"{live_app.url}/announcements", timeout=30).text) == ["ประกาศสำคัญ"]
    other = hr.get(live_app.url + link, timeout=30)
    assert other.status_code == 404 and other.text == unknown.text


def test_only_hr_and_admin_get_the_publishing_page(live_app, signed_in):
    employee, page = signed_in("employee1")
    assert employee.get(f"{live_app.url}/announcements/new", timeout=30).status_code == 404
    token = csrf_token_of(page.text)
    assert employee.post(f"{live_app.url}/announcements", data={"csrf_token": token, "title": "x"},
                         timeout=30).status_code == 404
    assert "เผยแพร่ประกาศ" not in employee.get(f"{live_app.url}/announcements", timeout=30).text
    admin, _ = signed_in("admin")
    assert admin.get(f"{live_app.url}/announcements/new", timeout=30).status_code == 200


def test_a_bad_form_comes_back_as_typed_with_the_problem(live_app, signed_in):
    hr, _ = signed_in("hr")
    reply = _publish(hr, live_app.url, title="มีลิงก์", link="javascript:alert(1)")
    assert reply.status_code == 422 and 'data-problem-code="link_invalid"' in reply.text
    assert 'value="มีลิงก์"' in reply.text and "ลิงก์ต้องเป็นที่อยู่เว็บเต็ม" in reply.text
    late = _publish(hr, live_app.url, publish_at="2030-01-02T08:00", expires_at="2030-01-01T08:00")
    assert late.status_code == 422 and 'data-problem-code="expiry_before_publish"' in late.text
