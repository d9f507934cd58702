"""Periodic jobs of face verification: re-send outbox jobs, and delete selfies past retention.

Call them from the scheduler loop every `settings.face_sweep_interval_seconds`; they are also
`opsta face sweep` and `opsta face purge-selfies`.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.face_checks.config import prepare_face_runtime
from engine.face_checks.queue import FACE_QUEUE, FaceQueue, face_queue, send_verification
from engine.models import SelfieImage, VerificationJob

log = logging.getLogger(__name__)

SWEEP_BATCH = 500


def face_verification_tick(session_factory: sessionmaker[Session], settings: Settings,
                           now: datetime | None = None, *, queue: FaceQueue | None = None) -> dict:
    """Both periodic jobs at once, for the scheduler loop: sweep the outbox, purge old selfies."""
    swept = sweep_verification_outbox(session_factory, settings, now, queue=queue)
    return {**swept, "purged": purge_selfies(session_factory, settings, now)}


def sweep_verification_outbox(session_factory: sessionmaker[Session], settings: Settings,
                              now: datetime | None = None, *, queue: FaceQueue | None = None) -> dict:
    """Send outbox jobs never sent (the broker was down) or sent too long ago and still not done.

    Returns counts {"due", "sent", "failed"}. Stops at the first failed send: the broker is down.
    Pass the app's queue when there is one. Without it, a new queue is made; with `memory://`
    that means this process checks the selfies itself before returning.
    """
    now = now or utcnow()
    resend_before = now - timedelta(seconds=settings.face_job_resend_after_seconds)
    with session_factory() as session:
        due = list(session.scalars(
            select(VerificationJob.punch_id)
            .where(VerificationJob.done_at.is_(None),
                   or_(VerificationJob.sent_at.is_(None), VerificationJob.sent_at < resend_before))
            .order_by(VerificationJob.id).limit(SWEEP_BATCH)))
        if not due:
            return {"due": 0, "sent": 0, "failed": 0}
        own_queue = queue is None
        if own_queue:
            queue = face_queue(settings=settings, session_factory=session_factory)
            if queue.embedded:
                prepare_face_runtime(settings)
        sent = 0
        for punch_id in due:
            if not send_verification(session=session, queue=queue, punch_id=punch_id, now=now):
                break
            sent += 1
    if own_queue and queue.embedded:  # nobody else would ever run the in-memory jobs
        queue.broker.join(FACE_QUEUE)
        queue.stop()
    result = {"due": len(due), "sent": sent, "failed": int(sent < len(due))}
    if sent < len(due):
        log.warning("outbox sweep: %s of %s verification jobs sent; the broker is down", sent, len(due))
    return result


def purge_selfies(session_factory: sessionmaker[Session], settings: Settings, now: datetime | None = None) -> int:
    """Delete selfie images older than `selfie_retention_days`; verdicts and fingerprints stay. Returns the count."""
    cutoff = (now or utcnow()) - timedelta(days=settings.selfie_retention_days)
    with session_factory() as session:
        deleted = session.execute(delete(SelfieImage).where(SelfieImage.created_at < cutoff)).rowcount
        session.commit()
    return deleted or 0
