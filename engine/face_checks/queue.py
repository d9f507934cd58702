"""The `face` queue: the `verify_selfie_job` actor, sending jobs, and the embedded worker.

Jobs are sent after the punch's transaction commits; a failed send only leaves the outbox row
unsent, for the sweeper. Face work needs one thread per process: workers run
`dramatiq engine.face_checks.worker --queues face --threads 1`, the embedded worker one thread.
"""
from __future__ import annotations

import logging
from datetime import datetime

import dramatiq
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from engine.broker import JobQueue
from engine.config import Settings
from engine.db import utcnow
from engine.face_checks.jobs import check_punch_selfie
from engine.models import VerificationJob

log = logging.getLogger(__name__)

FACE_QUEUE = "face"
ACTOR_NAME = "verify_selfie_job"


def declare_verify_actor(broker: dramatiq.Broker, *, settings: Settings,
                         session_factory: sessionmaker[Session]) -> dramatiq.Actor:
    """Declare `verify_selfie_job(punch_id)` on `broker`'s `face` queue, bound to this database."""

    def verify_selfie_job(punch_id: int) -> None:
        check_punch_selfie(session_factory=session_factory, settings=settings, punch_id=punch_id)

    # Our own attempt counter decides when to give up (a killed worker never reaches Dramatiq's
    # Retries middleware), so Dramatiq's limit only has to be higher.
    return dramatiq.actor(verify_selfie_job, actor_name=ACTOR_NAME, queue_name=FACE_QUEUE, broker=broker,
                          max_retries=settings.face_job_max_attempts + 2,
                          min_backoff=settings.face_job_min_backoff_ms,
                          max_backoff=settings.face_job_max_backoff_ms,
                          time_limit=settings.face_job_time_limit_ms)


class FaceQueue(JobQueue):
    """The `face` queue: one thread, since face models are bound to one thread per process anyway."""


def face_queue(*, settings: Settings, session_factory: sessionmaker[Session]) -> FaceQueue:
    """A queue on a new broker for `settings`; with `memory://` its worker starts at the first send."""
    from engine.broker import make_broker

    broker = make_broker(settings)
    actor = declare_verify_actor(broker, settings=settings, session_factory=session_factory)
    return FaceQueue(broker=broker, actor=actor, embedded=settings.embedded_broker)


def send_verification(*, session: Session, queue: FaceQueue, punch_id: int, now: datetime | None = None) -> bool:
    """Send the job of a committed punch and note it in the outbox (commits); False if the broker is down."""
    now = now or utcnow()
    try:
        queue.send(punch_id)
    except Exception as exc:  # Redis down or unreachable: the punch stands, the sweeper re-sends
        log.warning("verification job for punch %s not sent, left for the sweeper: %s", punch_id, exc)
        session.execute(update(VerificationJob).where(VerificationJob.punch_id == punch_id)
                        .values(send_error=f"{type(exc).__name__}: {exc}"[:2000]))
        session.commit()
        return False
    session.execute(update(VerificationJob).where(VerificationJob.punch_id == punch_id)
                    .values(sent_at=now, sends=VerificationJob.sends + 1, send_error=""))
    session.commit()
    return True
