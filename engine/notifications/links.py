"""Where a notification takes its reader in the web app: one answer for its list entry and its push."""
from __future__ import annotations

from engine.models import Notification

# The first of these keys in a notification's data decides the path.
TARGETS = (("announcement_id", "/announcements/{}"), ("request_id", "/requests/{}"), ("punch_id", "/punches/{}"))


def notification_url(notification: Notification) -> str:
    """The web app path a notification opens; `/notifications` when it names nothing to open."""
    data = notification.data or {}
    for key, path in TARGETS:
        if isinstance(data.get(key), int) and not isinstance(data.get(key), bool):
            return path.format(data[key])
    return "/notifications"
