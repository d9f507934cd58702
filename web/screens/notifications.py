"""Notifications (`การแจ้งเตือน`): the viewer's notifications newest first, unread ones marked; mark one or
all read. The menu's badge counts the unread ones, so it follows on the next page.

Opening one (`/notifications/<id>/open`) marks it read and goes to the screen it is about
(engine/notifications/links.py). The buttons are plain forms that come back to the list, so they work
without script; older notifications come `PAGE_SIZE` at a time with `?before=<id>`.
"""
from __future__ import annotations

from flask import redirect, request, url_for

from engine.errors import InvalidInput
from engine.models import Notification
from engine.notifications.links import notification_url
from engine.notifications.service import mark_read, notifications_for
from web.blueprint import bp
from web.i18n import page_language
from web.pages import Viewer, render_screen, signed_in

PAGE_SIZE = 30


def _before() -> int | None:
    text = request.args.get("before")
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"before must be a notification id, got {text!r}", code="page_invalid",
                           errors={"before": ["Must be a notification id."]})
    return int(text)


def title_of(notification: Notification) -> str:
    english = page_language() == "en" and notification.title_en
    return notification.title_en if english else notification.title_th


def body_of(notification: Notification) -> str:
    english = page_language() == "en" and notification.body_en
    return notification.body_en if english else notification.body_th


@bp.route("/notifications")
@signed_in
def notifications(viewer: Viewer):
    page = notifications_for(session=viewer.db, employee=viewer.employee, limit=PAGE_SIZE, before_id=_before())
    return render_screen("notifications/list.html", page=page, title_of=title_of, body_of=body_of,
                         older=request.args.get("before") is not None)


@bp.route("/notifications/<int:notification_id>/open")
@signed_in
def open_notification(viewer: Viewer, notification_id: int):
    """Mark it read and go where it points (someone else's is the one 404 page)."""
    mark_read(session=viewer.db, employee=viewer.employee, notification_id=notification_id)
    return redirect(notification_url(viewer.db.get(Notification, notification_id)), 303)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@signed_in
def read_notification(viewer: Viewer, notification_id: int):
    mark_read(session=viewer.db, employee=viewer.employee, notification_id=notification_id)
    return redirect(url_for("web.notifications"), 303)


@bp.route("/notifications/read", methods=["POST"])
@signed_in
def read_all_notifications(viewer: Viewer):
    mark_read(session=viewer.db, employee=viewer.employee)
    return redirect(url_for("web.notifications"), 303)
