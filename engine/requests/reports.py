"""The requests report: every kind, filtered, with overtime actual vs planned hours from punches."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine.attendance.punch_standing import counts_toward_attendance, standing_of
from engine.directory.service import is_in_reporting_line_above
from engine.errors import Forbidden
from engine.models import ApprovalRequest, Employee, Punch
from engine.requests.queries import request_view

WIDE_ROLES = frozenset({"hr", "admin"})
REPORT_LIMIT = 5000


def _subject_dates(request: ApprovalRequest) -> tuple[date, date]:
    d = request.details
    if request.type == "overtime":
        return d.work_date, d.work_date
    if request.type == "offsite":
        return d.start_date, d.end_date
    return d.punch_date, d.punch_date


def actual_overtime_hours(*, session: Session, request: ApprovalRequest, timezone: str) -> float | None:
    """Hours of the planned window actually covered by the day's first IN and last OUT that count
    (`punch_standing`: a punch whose selfie was rejected is not attendance); None without both."""
    zone = ZoneInfo(timezone)
    d = request.overtime
    day_start = datetime.combine(d.work_date, datetime.min.time(), zone)
    punches = [punch for punch in session.scalars(
        select(Punch).options(selectinload(Punch.face_verification), selectinload(Punch.acceptance))
        .where(Punch.employee_id == request.requester_id, Punch.effective_at >= day_start,
               Punch.effective_at < day_start + timedelta(days=1)).order_by(Punch.effective_at))
        if counts_toward_attendance(standing_of(punch))]
    ins = [p.effective_at for p in punches if p.direction == "in"]
    outs = [p.effective_at for p in punches if p.direction == "out"]
    if not ins or not outs:
        return None
    begin = max(min(ins), datetime.combine(d.work_date, d.planned_start, zone))
    end = min(max(outs), datetime.combine(d.work_date, d.planned_end, zone))
    return round(max((end - begin).total_seconds(), 0) / 3600, 2)


def requests_report(*, session: Session, viewer: Employee, timezone: str, type: str | None = None,
                    start: date | None = None, end: date | None = None, status: str | None = None) -> list[dict]:
    """Requests whose day(s) overlap [start, end]: all of them for hr/admin, subordinates' for a supervisor."""
    wide = bool(viewer.roles & WIDE_ROLES)
    if not wide and session.scalar(select(Employee.id).where(Employee.supervisor_id == viewer.id).limit(1)) is None:
        raise Forbidden("The requests report is for hr, admin and supervisors.", code="report_forbidden")
    query = select(ApprovalRequest).order_by(ApprovalRequest.created_at, ApprovalRequest.id).limit(REPORT_LIMIT)
    if type:
        query = query.where(ApprovalRequest.type == type)
    if status:
        query = query.where(ApprovalRequest.status == status)
    rows = []
    for request in session.scalars(query):
        first, last = _subject_dates(request)
        if (start and last < start) or (end and first > end):
            continue
        if not wide and not is_in_reporting_line_above(session=session, viewer_id=viewer.id,
                                                        employee_id=request.requester_id):
            continue
        row = request_view(session, request)
        if request.type == "overtime":
            row["actual_hours"] = actual_overtime_hours(session=session, request=request, timezone=timezone)
        rows.append(row)
    return rows
