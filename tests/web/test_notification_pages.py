"""Notifications (การแจ้งเตือน) over HTTP: newest first in the page's language, unread marked; opening one
marks it read and goes to its screen; mark one or all read and the menu's badge follows; nobody opens or
marks someone else's. Every link a notification can have is a screen of the web app."""
from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from engine.models import Employee
from engine.notifications.links import NOTIFICATION_LIST, TARGETS
from engine.notifications.service import notify
from tests.support.http_browser import csrf_token_of


def _notify(session_factory, code: str, *titles, data=None) -> list[int]:
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        ids = [notify(session=session, recipient_id=employee.id, kind="test", title_th=title,
                      title_en=f"EN {title}", data=data).id for title in titles]
        session.commit()
    return ids


def _badge(client, base) -> str | None:
    found = re.search(r'การแจ้งเตือน <span class="badge">(\d+)</span>', client.get(f"{base}/menu", timeout=30).text)
    return found.group(1) if found else None


def test_mark_one_then_all_read_and_the_badge_follows(live_app, signed_in, session_factory):
    first, second, third = _notify(session_factory, "100059150", "หนึ่ง", "สอง", "สาม")
    client, page = signed_in("employee1")
    listing = client.get(f"{live_app.url}/notifications", timeout=30)
    assert re.findall(r'<span class="item-title"><span class="unread-dot" aria-hidden="true"></span>([^<]+)',
                      listing.text) == ["สาม", "สอง", "หนึ่ง"]
    assert _badge(client, live_app.url) == "3"
    token = csrf_token_of(listing.text)
    reply = client.post(f"{live_app.url}/notifications/{second}/read", data={"csrf_token": token}, timeout=30)
    assert reply.url.endswith("/notifications") and "ยังไม่ได้อ่าน 2 รายการ" in reply.text
    assert _badge(client, live_app.url) == "2"
    client.post(f"{live_app.url}/notifications/read", data={"csrf_token": token}, timeout=30)
    assert _badge(client, live_app.url) is None
    english = client.get(f"{live_app.url}/notifications", cookies={"opsta_lang": "en"}, timeout=30)
    assert "EN สาม" in english.text and "unread-dot" not in english.text


def test_opening_one_marks_it_read_and_goes_to_its_screen(live_app, signed_in, session_factory):
    [about_punch] = _notify(session_factory, "100059150", "ภาพใบหน้าไม่ผ่าน", data={"punch_id": 123456})
    [other] = _notify(session_factory, "100059151", "ของคนอื่น")
    client, _ = signed_in("employee1")
    reply = client.get(f"{live_app.url}/notifications/{about_punch}/open", allow_redirects=False, timeout=30)
    assert reply.status_code == 303 and reply.headers["Location"].endswith("/punches/123456")
    assert _badge(client, live_app.url) is None
    theirs = client.get(f"{live_app.url}/notifications/{other}/open", timeout=30)
    nothing = client.get(f"{live_app.url}/notifications/999999/open", timeout=30)
    assert theirs.status_code == nothing.status_code == 404 and theirs.text == nothing.text
    token = csrf_token_of(client.get(f"{live_app.url}/notifications", timeout=30).text)
    assert client.post(f"{live_app.url}/notifications/{other}/read", data={"csrf_token": token},
                       timeout=30).status_code == 404


def test_every_notification_link_is_a_web_screen(live_app):
    urls = live_app.app.url_map.bind("localhost")
    for _key, path in TARGETS:
        try:
            endpoint, _ = urls.match(path.format(1), method="GET")
        except (NotFound, MethodNotAllowed):
            raise AssertionError(f"{path} is no screen of the web app") from None
        assert endpoint.startswith("web."), path
    assert urls.match(NOTIFICATION_LIST, method="GET")[0] == "web.notifications"
