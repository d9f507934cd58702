"""Create, list, count and mark in-app notifications; each new one also queues its Web Push."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.errors import NotFound
from engine.models import Employee, Notification
from engine.push.outbox import queue_pushes


def notify(*, session: Session, recipient_id: int, kind: str, title_th: str, title_en: str,
           body_th: str = "", body_en: str = "", data: dict | None = None) -> Notification:
    """Add a notification and the pushes to its recipient's browsers in the caller's transaction (no commit)."""
    notification = Notification(recipient_id=recipient_id, kind=kind, title_th=title_th, title_en=title_en,
                                body_th=body_th, body_en=body_en, data=data or {})
    session.add(notification)
    session.flush()
    queue_pushes(session=session, notifications=[(notification.id, recipient_id)])
    return notification


@dataclass(frozen=True)
class Message:
    """One notification's content for `notify_many`."""

    recipient_id: int
    kind: str
    title_th: str
    title_en: str
    body_th: str = ""
    body_en: str = ""
    data: dict | None = None


def notify_many(*, session: Session, messages: list[Message], now: datetime | None = None) -> dict[int, int]:
    """Add many notifications at once (an announcement to a whole office) and their pushes (no commit).

    Returns {recipient id: notification id}; give each recipient at most one message.
    """
    if not messages:
        return {}
    now = now or utcnow()
    rows = [{"recipient_id": m.recipient_id, "kind": m.kind, "title_th": m.title_th, "title_en": m.title_en,
             "body_th": m.body_th, "body_en": m.body_en, "data": m.data or {}, "created_at": now}
            for m in messages]
    made = session.execute(insert(Notification).returning(Notification.id, Notification.recipient_id,
                                                          sort_by_parameter_order=True), rows).all()
    queue_pushes(session=session, notifications=[(row.id, row.recipient_id) for row in made], now=now)
    return {row.recipient_id: row.id for row in made}


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    unread_count: int
    next_before_id: int | None  # pass as `before_id` for the next (older) page; None on the last one


def unread_count(*, session: Session, employee_id: int) -> int:
    """How many of the employee's notifications are unread (the menu badge): one indexed count."""
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == employee_id, Notification.read_at.is_(None))) or 0


def notifications_for(*, session: Session, employee: Employee, unread_only: bool = False, limit: int = 50,
                      before_id: int | None = None) -> NotificationPage:
    """The employee's notifications newest first, `limit` at a time, older than `before_id` when given."""
    query = select(Notification).where(Notification.recipient_id == employee.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    # Ids grow with time, so they order the list and page it without gaps while new ones arrive.
    items = list(session.scalars(query.order_by(Notification.id.desc()).limit(limit + 1)))
    more = len(items) > limit
    items = items[:limit]
    return NotificationPage(items=items, unread_count=unread_count(session=session, employee_id=employee.id),
                            next_before_id=items[-1].id if more else None)


def mark_read(*, session: Session, employee: Employee, notification_id: int | None = None) -> None:
    """Mark one notification (or, without an id, all of them) as read; commits."""
    query = update(Notification).where(Notification.recipient_id == employee.id, Notification.read_at.is_(None))
    if notification_id is not None:
        if session.scalar(select(Notification.id).where(Notification.id == notification_id,
                                                        Notification.recipient_id == employee.id)) is None:
            raise NotFound("No notification with this id is yours.", code="notification_not_found")
        query = query.where(Notification.id == notification_id)
    session.execute(query.values(read_at=utcnow()))
    session.commit()
