"""Create, list and mark in-app notifications."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.errors import NotFound
from engine.models import Employee, Notification


def notify(*, session: Session, recipient_id: int, kind: str, title_th: str, title_en: str,
           body_th: str = "", body_en: str = "", data: dict | None = None) -> Notification:
    """Add a notification in the caller's transaction (no commit)."""
    notification = Notification(recipient_id=recipient_id, kind=kind, title_th=title_th, title_en=title_en,
                                body_th=body_th, body_en=body_en, data=data or {})
    session.add(notification)
    return notification


def notifications_for(*, session: Session, employee: Employee, unread_only: bool = False,
                      limit: int = 50) -> tuple[list[Notification], int]:
    """The newest notifications of `employee` and how many are unread."""
    query = select(Notification).where(Notification.recipient_id == employee.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    items = list(session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))
    return items, unread_count(session=session, employee_id=employee.id)


def unread_count(*, session: Session, employee_id: int) -> int:
    """How many of the employee's notifications are unread (the menu's badge)."""
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == employee_id, Notification.read_at.is_(None))) or 0


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
