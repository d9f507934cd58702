"""The `push` queue: the `send_push` actor, handing outbox rows to it after commit, and the embedded worker.

Pushes are network waits, not CPU: workers run `dramatiq engine.push.worker --queues push --threads 8`;
with `memory://` the app runs them in threads of its own. A failed hand-over only leaves the row
unsent, for the sweeper.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterable

import dramatiq
from sqlalchemy import event, update
from sqlalchemy.orm import Session, sessionmaker

from engine.broker import JobQueue, make_broker
from engine.config import Settings
from engine.db import utcnow
from engine.models import PushDelivery
from engine.push.delivery import claim_lease, deliver_push
from engine.push.outbox import WRITTEN_DELIVERIES

log = logging.getLogger(__name__)

PUSH_QUEUE = "push"
ACTOR_NAME = "send_push"
EMBEDDED_THREADS = 2


class PushQueue(JobQueue):
    """The `push` queue of this process."""


def push_queue(*, settings: Settings, session_factory: sessionmaker[Session]) -> PushQueue:
    """A queue on a new broker for `settings`, its actor bound to this database."""
    broker = make_broker(settings)

    def send_push(delivery_id: int) -> None:
        deliver_push(session_factory=session_factory, settings=settings, delivery_id=delivery_id)

    # Our own attempt counter decides when a push fails; Dramatiq's limit only has to be higher.
    actor = dramatiq.actor(send_push, actor_name=ACTOR_NAME, queue_name=PUSH_QUEUE, broker=broker,
                           max_retries=settings.push_job_max_attempts + 2,
                           min_backoff=settings.push_job_min_backoff_ms, max_backoff=settings.push_job_max_backoff_ms,
                           time_limit=int(claim_lease(settings).total_seconds() * 1000))
    return PushQueue(broker=broker, actor=actor, embedded=settings.embedded_broker, worker_threads=EMBEDDED_THREADS)


def send_pushes(*, session: Session, queue: JobQueue, delivery_ids: Iterable[int],
                now: datetime | None = None) -> int:
    """Hand committed outbox rows to the broker and note it in them (commits); stops at the first failed
    hand-over (the broker is down) and returns how many were handed over."""
    now = now or utcnow()
    sent: list[int] = []
    error = ""
    for delivery_id in delivery_ids:
        try:
            queue.send(delivery_id)
        except Exception as exc:  # Redis down or unreachable: the rows wait for the sweeper
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning("push %s not handed to the broker, left for the sweeper: %s", delivery_id, exc)
            session.execute(update(PushDelivery).where(PushDelivery.id == delivery_id).values(send_error=error))
            break
        sent.append(delivery_id)
    if sent:
        session.execute(update(PushDelivery).where(PushDelivery.id.in_(sent))
                        .values(sent_at=now, sends=PushDelivery.sends + 1, send_error=""))
    session.commit()
    return len(sent)


def send_after_commit(*, session_factory: sessionmaker[Session], queue: JobQueue) -> None:
    """Make every session of `session_factory` hand the push rows it wrote to `queue` once it commits.

    Notifications are made in many places (requests, selfie checks, terminals, announcements); this way
    each push leaves when its notification is committed, wherever that is, and never before.
    """

    @event.listens_for(session_factory, "after_commit")
    def _hand_over(session: Session) -> None:
        ids = session.info.pop(WRITTEN_DELIVERIES, None)
        if ids:
            # The committed session may not run SQL inside this hook; the note goes through a new one.
            try:
                with session_factory() as own:
                    send_pushes(session=own, queue=queue, delivery_ids=ids)
            except Exception:  # noqa: BLE001 - the notification is committed; the sweeper sends the rest
                log.exception("pushes %s not handed over after commit; left for the sweeper", ids)

    @event.listens_for(session_factory, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(WRITTEN_DELIVERIES, None)
