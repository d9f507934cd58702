"""In-app notifications (the menu badge) and the workflow's notification outbox: one column set for both."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow


class NotificationContent:
    """Who a notification is for and what it says, in Thai and English."""

    recipient_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[str] = mapped_column(String(48))
    title_th: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    body_th: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    # Where a client should take the user, e.g. {"punch_id": 12} or {"request_id": 3}.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The columns of NotificationContent, in table order.
CONTENT_COLUMNS = ("recipient_id", "kind", "title_th", "title_en", "body_th", "body_en", "data", "created_at")


class Notification(NotificationContent, Base):
    """One notification in a person's list: selfie rejections, approvals, device alerts, …"""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_id", "recipient_id"),
                      Index("ix_notifications_created_at", "created_at"),
                      Index("ix_notifications_recipient_read", "recipient_id", "read_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, sort_order=1)  # after the content, as migrated


class OutboxMessage(NotificationContent, Base):
    """A notification decided inside a workflow transaction, delivered as a `Notification` afterwards."""

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, sort_order=1)
