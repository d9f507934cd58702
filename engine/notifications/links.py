"""Where a notification takes its reader in the web app: one answer for its list entry and its push.

Every path here is a screen of the web app (tests/web/test_notification_links.py checks each one against
the app's routes), so a tap never lands on a dead link. A notification naming nothing with a screen of
its own (a terminal gone silent, the holiday calendar) opens the notification list. A new kind of screen
gets its line here when it lands.
"""
from __future__ import annotations

from engine.models import Notification

# The first of these keys in a notification's data decides the path (web.announcement, web.my_request, which
# takes an approver on to their task, and web.punch_detail).
TARGETS = (("announcement_id", "/announcements/{}"), ("request_id", "/requests/{}"), ("punch_id", "/punches/{}"))
NOTIFICATION_LIST = "/notifications"


def notification_url(notification: Notification) -> str:
    """The web app path a notification opens; the notification list when it names nothing with a screen."""
    data = notification.data or {}
    for key, path in TARGETS:
        if isinstance(data.get(key), int) and not isinstance(data.get(key), bool):
            return path.format(data[key])
    return NOTIFICATION_LIST
