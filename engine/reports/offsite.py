"""Off-site work (รายงานการทำงานนอกสถานที่): per request, the days, place, reason, decision, and the punches made
on those days (their count and the first IN and last OUT, from the attendance day projection)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import REQUEST_STATUSES, ApprovalRequest, AttendanceDay, Employee, OffsiteRequest
from engine.reports.people import DECIDER, EMPLOYEE_COLUMNS, PERSON_FIELDS, decider_id, with_person
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "offsite"
TITLE = "Off-site work report"
STATUSES = REQUEST_STATUSES
COLUMNS = [
    *EMPLOYEE_COLUMNS,
    Column("request_id", "Request", "integer", 8),
    Column("start_date", "From", "date", 12),
    Column("end_date", "To", "date", 12),
    Column("days", "Days", "integer", 6),
    Column("place", "Place", "text", 30),
    Column("reason", "Reason", "text", 30),
    Column("status", "Status", "status_code", 10),
    Column("decided_by", "Decided by", "text", 24),
    Column("decided_at", "Decided at", "datetime", 16),
    Column("punches", "Punches on those days", "integer", 8),
    Column("first_in", "First IN", "datetime", 16),
    Column("last_out", "Last OUT", "datetime", 16),
]


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """Off-site requests whose days overlap the period, as `viewer` may see them."""
    # The punches of the request's days, from the projection (which knows the attendance day of each punch).
    day_first = (select(func.min(AttendanceDay.first_in_at))
                 .where(AttendanceDay.employee_id == ApprovalRequest.requester_id,
                        AttendanceDay.day.between(OffsiteRequest.start_date, OffsiteRequest.end_date))
                 .scalar_subquery())
    day_last = (select(func.max(AttendanceDay.last_out_at))
                .where(AttendanceDay.employee_id == ApprovalRequest.requester_id,
                       AttendanceDay.day.between(OffsiteRequest.start_date, OffsiteRequest.end_date))
                .scalar_subquery())
    punch_count = (select(func.coalesce(func.sum(AttendanceDay.punches), 0))
                   .where(AttendanceDay.employee_id == ApprovalRequest.requester_id,
                          AttendanceDay.day.between(OffsiteRequest.start_date, OffsiteRequest.end_date))
                   .scalar_subquery())
    query = with_person(
        select(ApprovalRequest.id, ApprovalRequest.status, ApprovalRequest.reason, ApprovalRequest.decided_at,
               *PERSON_FIELDS, OffsiteRequest.start_date, OffsiteRequest.end_date, OffsiteRequest.place,
               DECIDER.name_th.label("decided_by"), day_first.label("first_in"), day_last.label("last_out"),
               punch_count.label("punches"))
        .join(OffsiteRequest, OffsiteRequest.request_id == ApprovalRequest.id)
        .outerjoin(DECIDER, DECIDER.id == decider_id()), ApprovalRequest.requester_id)
    query = query.where(ApprovalRequest.requester_id.in_(scope.employee_ids),
                        OffsiteRequest.start_date <= filters.end, OffsiteRequest.end_date >= filters.start)
    if filters.status:
        query = query.where(ApprovalRequest.status == filters.status)
    rows = [{
        "employee_code": r.employee_code, "employee_name": r.employee_name, "unit": r.unit, "request_id": r.id,
        "start_date": r.start_date, "end_date": r.end_date, "days": (r.end_date - r.start_date).days + 1,
        "place": r.place, "reason": r.reason, "status": r.status, "decided_by": r.decided_by,
        "decided_at": r.decided_at, "punches": r.punches, "first_in": _aware(r.first_in), "last_out": _aware(r.last_out),
    } for r in session.execute(query.order_by(Employee.code, OffsiteRequest.start_date, ApprovalRequest.id))]
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows,
                       organisation=settings.organisation_name)


def _aware(moment):
    # min()/max() over a UTC column come back without the column's type on SQLite: naive UTC text or datetime.
    from datetime import datetime, timezone

    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
