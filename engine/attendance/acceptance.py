"""hr accepts a punch whose selfie check failed, so that it counts: with a reason, once, on the record.

The punch itself is never changed (the ledger is append-only); the acceptance is its own row, which
is the audit record of who decided, when and why, shown in the punch's detail. Afterwards the
punch counts (`punch_standing`), and its owner is told.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from engine.attendance.punch_standing import OVERRULABLE
from engine.config import Settings
from engine.db import utcnow
from engine.errors import Conflict, Forbidden, NotFound
from engine.models import Employee, Punch, PunchAcceptance
from engine.notifications.service import notify


def accept_punch(*, session: Session, settings: Settings, hr: Employee, punch_id: int, reason: str,
                 now: datetime | None = None) -> Punch:
    """Record hr's acceptance of a punch whose selfie was rejected (or could not be checked); commits."""
    punch = session.get(Punch, punch_id, options=[joinedload(Punch.face_verification), joinedload(Punch.acceptance)])
    if punch is None:
        raise NotFound("No punch with this id.", code="punch_not_found")
    if punch.employee_id == hr.id:
        raise Forbidden("Nobody accepts their own punch; ask another hr member.", code="own_punch")
    verdict = punch.face_verification
    if not punch.verification_required or verdict is None or verdict.status not in OVERRULABLE:
        status = verdict.status if verdict is not None else "not_required"
        raise Conflict(f"Only a punch whose selfie was rejected or could not be checked can be accepted; "
                       f"this one is {status}.", code="punch_not_excluded", verification_status=status)
    if punch.acceptance is not None:
        raise Conflict("This punch was already accepted.", code="punch_already_accepted")
    moment = now or utcnow()
    session.add(PunchAcceptance(punch_id=punch.id, accepted_by_id=hr.id, reason=reason.strip(),
                                verification_status=verdict.status, accepted_at=moment))
    at = punch.effective_at.astimezone(ZoneInfo(settings.timezone))
    word_th = "เข้า" if punch.direction == "in" else "ออก"
    notify(session=session, recipient_id=punch.employee_id, kind="punch_accepted",
           title_th=f"ฝ่ายบุคคลรับรองการบันทึกเวลา{word_th} {at:%d/%m %H:%M} แล้ว",
           title_en=f"hr accepted your {punch.direction.upper()} punch at {at:%d/%m %H:%M}",
           body_th=f"นับเป็นเวลาทำงานแล้ว เหตุผล: {reason.strip()}",
           body_en=f"It now counts as attendance. Reason: {reason.strip()}",
           data={"punch_id": punch.id})
    try:
        session.commit()
    except IntegrityError as exc:  # another hr member accepted it at the same moment
        session.rollback()
        raise Conflict("This punch was already accepted.", code="punch_already_accepted") from exc
    session.expire(punch, ["acceptance"])
    return punch
