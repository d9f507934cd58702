"""The push outbox sweep: re-send rows never handed to the broker or handed over long ago and still open.

Run by the scheduler every `settings.push_sweep_interval_seconds`.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.models import PushDelivery
from engine.push.queue import PushQueue, push_queue, send_pushes

log = logging.getLogger(__name__)

SWEEP_BATCH = 1000


def sweep_push_outbox(*, session_factory: sessionmaker[Session], settings: Settings, now: datetime | None = None,
                      queue: PushQueue | None = None) -> dict:
    """Send open rows that were never sent (the broker was down) or whose last hand-over and attempt are
    older than `push_resend_after_seconds`. Returns counts {"due", "sent", "failed"}.

    Pass the app's queue when there is one. Without it a new queue is made; with `memory://` that means
    this process posts the pushes itself before returning.
    """
    now = now or utcnow()
    before = now - timedelta(seconds=settings.push_resend_after_seconds)
    with session_factory() as session:
        due = list(session.scalars(
            select(PushDelivery.id)
            .where(PushDelivery.done_at.is_(None),
                   or_(PushDelivery.sent_at.is_(None),
                       and_(PushDelivery.sent_at < before,
                            or_(PushDelivery.claimed_at.is_(None), PushDelivery.claimed_at < before))))
            .order_by(PushDelivery.id).limit(SWEEP_BATCH)))
        if not due:
            return {"due": 0, "sent": 0, "failed": 0}
        own_queue = queue is None
        if own_queue:
            queue = push_queue(settings=settings, session_factory=session_factory)
        sent = send_pushes(session=session, queue=queue, delivery_ids=due, now=now)
    if own_queue and queue.embedded:  # nobody else would ever run the in-memory jobs
        queue.join()
        queue.stop()
    if sent < len(due):
        log.warning("push sweep: %s of %s pushes handed over; the broker is down", sent, len(due))
    return {"due": len(due), "sent": sent, "failed": int(sent < len(due))}
