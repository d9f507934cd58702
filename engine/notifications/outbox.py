"""Deliver the workflow's notification outbox as in-app notifications.

Workflow host operations write their messages to the outbox and deliver them in the same transaction;
the scheduler delivers anything left over (e.g. rows written by a process that died before delivering).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.models import OutboxMessage
from engine.models.notifications import CONTENT_COLUMNS
from engine.notifications.service import notify


def deliver(*, session: Session, messages: Iterable[OutboxMessage], now: datetime | None = None) -> int:
    """Turn outbox rows into notifications and mark them delivered (no commit)."""
    count = 0
    for message in messages:
        if message.delivered_at is not None:
            continue
        notify(session=session, **{column: getattr(message, column) for column in CONTENT_COLUMNS
                                   if column != "created_at"})
        message.delivered_at = now or utcnow()
        count += 1
    return count


def deliver_pending(*, session: Session, limit: int = 500) -> int:
    """Deliver undelivered outbox rows, oldest first (no commit); skips rows another process is delivering."""
    query = (select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None))
             .order_by(OutboxMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return deliver(session=session, messages=list(session.scalars(query)))
