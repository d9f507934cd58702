"""The push outbox: one row per (new notification, subscription of its recipient), in the notification's
transaction, so a committed notification always has its pushes waiting and a rolled-back one has none.

The ids of the rows a session wrote are kept in `session.info` until it commits; the dispatcher
(`engine.push.queue.send_after_commit`) then hands them to the `push` queue, and the sweeper catches
whatever that missed.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.models import PushDelivery, PushSubscription

# session.info key: ids of push deliveries written in the session's current transaction.
WRITTEN_DELIVERIES = "opsta.push_deliveries"
CHUNK = 500


def queue_pushes(*, session: Session, notifications: Iterable[tuple[int, int]],
                 now: datetime | None = None) -> list[int]:
    """Write a push delivery for each subscription of each (notification id, recipient id) (no commit).

    Recipients without a subscription cost one look-up and no row. Returns the new rows' ids.
    """
    pairs = list(notifications)
    if not pairs:
        return []
    now = now or utcnow()
    recipients = sorted({recipient for _, recipient in pairs})
    subscriptions: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(recipients), CHUNK):
        for subscription_id, employee_id in session.execute(
                select(PushSubscription.id, PushSubscription.employee_id)
                .where(PushSubscription.employee_id.in_(recipients[start:start + CHUNK]))):
            subscriptions[employee_id].append(subscription_id)
    rows = [{"notification_id": notification_id, "subscription_id": subscription_id, "created_at": now}
            for notification_id, recipient in pairs for subscription_id in subscriptions.get(recipient, ())]
    if not rows:
        return []
    ids = list(session.scalars(insert(PushDelivery).returning(PushDelivery.id), rows))
    session.info.setdefault(WRITTEN_DELIVERIES, []).extend(ids)
    return ids
