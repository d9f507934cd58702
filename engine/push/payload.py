"""What one notification looks like as a push: a small JSON object the service worker shows.

Shape (README, "Web Push"): {"v": 1, "id", "kind", "title", "body", "url", "lang", "created_at"}.
Encrypted it must stay under the 4 KB push services accept, so the body is cut to fit.
"""
from __future__ import annotations

import json

from engine.models import Notification
from engine.notifications.links import notification_url

PAYLOAD_VERSION = 1
# Push services take 4096 bytes of encrypted body; aes128gcm adds 86 bytes of header, 16 of tag and 1 of
# padding delimiter. Staying far below leaves room for services that count differently.
MAX_PAYLOAD_BYTES = 3000
BODY_MAX_CHARS = 500
# A rejected selfie matters while the person is still at the door; the rest can wait for the battery.
URGENCY_BY_KIND = {"selfie_rejected": "high"}


def push_urgency(notification: Notification) -> str:
    """RFC 8030 Urgency for this kind of notification."""
    return URGENCY_BY_KIND.get(notification.kind, "normal")


def push_topic(notification: Notification) -> str:
    """RFC 8030 Topic: a push service replaces an undelivered push of the same topic, so a retry of the
    same notification never waits in the queue twice."""
    return f"n{notification.id}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def push_payload(notification: Notification, *, language: str) -> bytes:
    """The UTF-8 JSON payload of `notification` in `language` ("th" or "en"), at most MAX_PAYLOAD_BYTES."""
    english = language == "en"
    title = (notification.title_en if english else notification.title_th) or notification.title_th
    body = (notification.body_en if english else notification.body_th) or notification.body_th or ""
    content = {"v": PAYLOAD_VERSION, "id": notification.id, "kind": notification.kind, "title": title,
               "body": _cut(body, BODY_MAX_CHARS), "url": notification_url(notification),
               "lang": "en" if english else "th", "created_at": notification.created_at.isoformat()}
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    while len(encoded) > MAX_PAYLOAD_BYTES:  # only titles and bodies near their limits ever get here
        content["body"] = _cut(content["body"], max(1, len(content["body"]) // 2)) if content["body"] else ""
        if not content["body"]:
            content["title"] = _cut(content["title"], max(1, len(content["title"]) // 2))
        encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return encoded
