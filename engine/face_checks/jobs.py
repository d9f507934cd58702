"""One attempt at checking a punch's selfie: the body of the `verify_selfie_job` actor.

Safe to run twice for one punch (re-delivery, the sweeper's re-send, a retry after a crash):
a finished verdict is never recomputed, and the verdict is written only over `pending`.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.face_checks.config import face_config
from engine.face_checks.face_thread import run_on_face_thread
from engine.models import FaceVerification, ProfilePhoto, Punch, SelfieImage, VerificationJob
from engine.notifications.service import notify
from face.replay import Fingerprint

log = logging.getLogger(__name__)

# What a rejection means for the record (engine/attendance/punch_standing.py), and what the employee can do.
NOT_COUNTED_TH = ("การบันทึกเวลานี้ไม่นับเป็นเวลาทำงาน จนกว่าฝ่ายบุคคลจะรับรอง "
                  "หรือยื่นคำขอกรณีไม่สามารถบันทึกเวลาได้สำหรับวันนั้น")
NOT_COUNTED_EN = ("This punch does not count as attendance unless hr accepts it; "
                  "you can file a missed-punch request for that day.")
# Replay checks look this far back in an employee's selfies; older ones are also past retention.
PRIOR_SELFIES = 1000


class RetryLater(RuntimeError):
    """This attempt failed; the broker should try again after its backoff."""


def check_punch_selfie(*, session_factory: sessionmaker[Session], settings: Settings, punch_id: int,
                       now: datetime | None = None) -> str:
    """Run one verification attempt for `punch_id` and return the status it leaves.

    Raises RetryLater when the attempt failed and attempts remain; after
    `settings.face_job_max_attempts` (crashed attempts included) the verdict becomes `error`.
    """
    with session_factory() as session:
        row = session.scalar(select(FaceVerification).where(FaceVerification.punch_id == punch_id))
        if row is None:
            log.warning("verification job for punch %s without a verification row; dropped", punch_id)
            return "missing"
        if row.status != "pending":
            _mark_job_done(session, punch_id, now)
            session.commit()
            return row.status
        if row.attempts >= settings.face_job_max_attempts:
            return _give_up(session, row, now, f"gave up after {row.attempts} attempts; last: {row.last_error}")
        row.attempts += 1  # committed before the work, so an attempt that crashes the worker still counts
        attempt = row.attempts
        session.commit()
    if settings.face_job_start_delay_seconds > 0:
        time.sleep(settings.face_job_start_delay_seconds)
    try:
        with session_factory() as session:
            verdict = _verdict(session, settings, punch_id)
    except Exception as exc:  # any failure is retried, then recorded; never swallowed silently
        log.exception("verification of punch %s failed (attempt %s)", punch_id, attempt)
        with session_factory() as session:
            row = session.scalar(select(FaceVerification).where(FaceVerification.punch_id == punch_id))
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if attempt >= settings.face_job_max_attempts:
                return _give_up(session, row, now, row.last_error)
            session.commit()
        raise RetryLater(f"punch {punch_id}: {exc}") from exc
    with session_factory() as session:
        return _store_verdict(session, settings, punch_id, verdict, now)


def _verdict(session: Session, settings: Settings, punch_id: int):
    from face.verification import verify_selfie

    config = face_config(settings)
    selfie = session.get(SelfieImage, punch_id)
    if selfie is None:
        raise LookupError("the selfie is no longer stored (purged after the retention period?)")
    profile = session.scalar(select(ProfilePhoto).where(ProfilePhoto.employee_id == selfie.employee_id,
                                                        ProfilePhoto.current.is_(True))
                             .order_by(ProfilePhoto.id.desc()).limit(1))
    # An embedding from another model lives in another space: as good as no profile photo.
    embedding = profile.embedding if profile is not None and profile.model_name == config.model_name else None
    prior = prior_fingerprints(session=session, employee_id=selfie.employee_id, except_punch_id=punch_id)
    return run_on_face_thread(verify_selfie, selfie=selfie.image, profile_embedding=embedding, prior=prior,
                              config=config)


def prior_fingerprints(*, session: Session, employee_id: int, except_punch_id: int | None = None) -> list[Fingerprint]:
    """Fingerprints of the employee's profile photos (history too) and recent selfies, for the replay check."""
    prior = [Fingerprint(sha256=sha, phash=phash, embedding=embedding) for sha, phash, embedding in session.execute(
        select(ProfilePhoto.sha256, ProfilePhoto.phash, ProfilePhoto.embedding)
        .where(ProfilePhoto.employee_id == employee_id))]
    selfies = session.scalars(
        select(FaceVerification.fingerprint)
        .where(FaceVerification.employee_id == employee_id, FaceVerification.fingerprint.is_not(None),
               FaceVerification.punch_id != (except_punch_id or -1))
        .order_by(FaceVerification.id.desc()).limit(PRIOR_SELFIES))
    prior.extend(Fingerprint.from_dict(data) for data in selfies if data)
    return prior


def _store_verdict(session: Session, settings: Settings, punch_id: int, verdict, now: datetime | None) -> str:
    now = now or utcnow()
    model_name = face_config(settings).model_name
    written = session.execute(
        update(FaceVerification)
        .where(FaceVerification.punch_id == punch_id, FaceVerification.status == "pending")
        .values(status=verdict.status, distance=verdict.distance, threshold=verdict.threshold,
                reason_codes=verdict.reason_codes, model_name=model_name,
                fingerprint=verdict.fingerprint.as_dict(), verified_at=now, last_error="")
    ).rowcount
    _mark_job_done(session, punch_id, now)
    if written and verdict.status == "rejected":
        _notify_rejection(session, settings, punch_id, verdict)
    session.commit()
    return verdict.status if written else session.scalar(
        select(FaceVerification.status).where(FaceVerification.punch_id == punch_id))


def _give_up(session: Session, row: FaceVerification, now: datetime | None, error: str) -> str:
    row.status = "error"
    row.last_error = error[:2000]
    row.verified_at = now or utcnow()
    _mark_job_done(session, row.punch_id, now)
    session.commit()
    log.error("verification of punch %s ended as error: %s", row.punch_id, error)
    return "error"


def _mark_job_done(session: Session, punch_id: int, now: datetime | None) -> None:
    session.execute(update(VerificationJob)
                    .where(VerificationJob.punch_id == punch_id, VerificationJob.done_at.is_(None))
                    .values(done_at=now or utcnow()))


def _notify_rejection(session: Session, settings: Settings, punch_id: int, verdict) -> None:
    from zoneinfo import ZoneInfo

    punch = session.get(Punch, punch_id)
    tz = ZoneInfo(settings.timezone)
    at = punch.effective_at.astimezone(tz)
    word_th = "เข้า" if punch.direction == "in" else "ออก"
    notify(session=session, recipient_id=punch.employee_id, kind="selfie_rejected",
           title_th=f"ภาพเซลฟีไม่ผ่านการตรวจสอบ: บันทึกเวลา{word_th} {at:%d/%m %H:%M}",
           title_en=f"Selfie not accepted: {punch.direction.upper()} punch at {at:%d/%m %H:%M}",
           body_th="\n".join([*(reason.advice_th for reason in verdict.reasons), NOT_COUNTED_TH]),
           body_en="\n".join([*(reason.advice_en for reason in verdict.reasons), NOT_COUNTED_EN]),
           data={"punch_id": punch_id, "reason_codes": verdict.reason_codes})
