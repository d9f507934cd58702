"""What a finished request does to attendance: a punch for a missed punch, off-site days in the calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.attendance.ledger import append_punch
from engine.models import ApprovalRequest, OffsiteRequest, Punch


def record_requested_punch(*, session: Session, request: ApprovalRequest, now: datetime, timezone: str) -> Punch:
    """Append the punch an approved missed-punch request stands for, linked to the request."""
    details = request.missed_punch
    if details.punch_id is not None:
        return session.get(Punch, details.punch_id)
    at = datetime.combine(details.punch_date, details.punch_time, ZoneInfo(timezone))
    punch = Punch(employee_id=request.requester_id, direction=details.direction, source="request",
                  recorded_at=now, effective_at=at, offline=False, is_mock=False,
                  note=request.reason[:500], address="", place_label="", flags=[], verification_required=False,
                  request_id=request.id)
    append_punch(session=session, punch=punch)
    details.punch_id = punch.id
    return punch


def apply_outcome(*, session: Session, request: ApprovalRequest, now: datetime, timezone: str) -> None:
    """Attendance effects of an approved request (rejected and cancelled ones change nothing)."""
    if request.status == "approved" and request.type == "missed_punch":
        record_requested_punch(session=session, request=request, now=now, timezone=timezone)


def offsite_days(*, session: Session, employee_id: int, first: date, last: date) -> frozenset[date]:
    """Days between `first` and `last` covered by the employee's approved off-site requests."""
    rows = session.execute(
        select(OffsiteRequest.start_date, OffsiteRequest.end_date).join(ApprovalRequest)
        .where(ApprovalRequest.requester_id == employee_id, ApprovalRequest.status == "approved",
               OffsiteRequest.start_date <= last, OffsiteRequest.end_date >= first))
    days: set[date] = set()
    for start, end in rows:
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)
