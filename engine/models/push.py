"""Web Push: the browsers that asked for pushes, and the outbox of pushes to send them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow

ENDPOINT_MAX_CHARS = 2048
PUSH_OUTCOMES = ("delivered", "gone", "failed", "expired", "disabled")


class PushSubscription(Base):
    """One browser's PushSubscription (endpoint and keys) for one employee."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    # A browser has one endpoint; if another person signs in on it and subscribes, the row moves to them.
    endpoint: Mapped[str] = mapped_column(String(ENDPOINT_MAX_CHARS), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))  # the browser's P-256 public key, base64url
    auth: Mapped[str] = mapped_column(String(64))  # the 16-byte auth secret, base64url
    language: Mapped[str] = mapped_column(String(2), default="th")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PushDelivery(Base):
    """Outbox row for one notification to one subscription, written in the notification's transaction.

    `sent_at` is the last hand-over to the broker; `claimed_at` the start of the last attempt (a lease,
    so two workers never post the same row at once); `done_at` with `outcome` ends it.
    """

    __tablename__ = "push_deliveries"
    __table_args__ = (Index("ix_push_deliveries_open", "done_at", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    # Kept when the subscription goes (the row then ends as `gone`).
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    send_error: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    status_code: Mapped[int | None] = mapped_column(Integer)
