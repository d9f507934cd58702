"""Requests when time could not be recorded (รายงานคำขอกรณีที่ไม่สามารถบันทึกเวลาได้): per request, the day, time
and direction asked for, the reason, the decision and the punch the approval created."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import REQUEST_STATUSES, ApprovalRequest, Employee, MissedPunchRequest, Punch
from engine.reports.people import DECIDER, EMPLOYEE_COLUMNS, PERSON_FIELDS, decider_id, with_person
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "missed-punch"
TITLE = "Missed punch requests report"
STATUSES = REQUEST_STATUSES
READS_DAYS = False   # requests and their punches only, not the attendance day projection
COLUMNS = [
    *EMPLOYEE_COLUMNS,
    Column("request_id", "Request", "integer", 8),
    Column("punch_date", "Date", "date", 12),
    Column("punch_time", "Time", "time", 8),
    Column("direction", "Direction", "status_code", 8),
    Column("reason_code", "Reason", "status_code", 14),
    Column("reason", "Details", "text", 30),
    Column("status", "Status", "status_code", 10),
    Column("decided_by", "Decided by", "text", 24),
    Column("decided_at", "Decided at", "datetime", 16),
    Column("punch_id", "Punch created", "integer", 10),
    Column("punch_at", "Punch time", "datetime", 16),
]


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """Missed-punch requests for days in the period, as `viewer` may see them."""
    query = with_person(
        select(ApprovalRequest.id, ApprovalRequest.status, ApprovalRequest.reason, ApprovalRequest.decided_at,
               *PERSON_FIELDS, MissedPunchRequest.punch_date, MissedPunchRequest.punch_time,
               MissedPunchRequest.direction, MissedPunchRequest.reason_code, MissedPunchRequest.punch_id,
               Punch.effective_at.label("punch_at"), DECIDER.name_th.label("decided_by"))
        .join(MissedPunchRequest, MissedPunchRequest.request_id == ApprovalRequest.id)
        .outerjoin(Punch, Punch.id == MissedPunchRequest.punch_id)
        .outerjoin(DECIDER, DECIDER.id == decider_id()), ApprovalRequest.requester_id)
    query = query.where(ApprovalRequest.requester_id.in_(scope.employee_ids),
                        MissedPunchRequest.punch_date.between(filters.start, filters.end))
    if filters.status:
        query = query.where(ApprovalRequest.status == filters.status)
    rows = [{
        "employee_code": r.employee_code, "employee_name": r.employee_name, "unit": r.unit, "request_id": r.id,
        "punch_date": r.punch_date, "punch_time": r.punch_time, "direction": r.direction,
        "reason_code": r.reason_code, "reason": r.reason, "status": r.status, "decided_by": r.decided_by,
        "decided_at": r.decided_at, "punch_id": r.punch_id, "punch_at": r.punch_at,
    } for r in session.execute(query.order_by(Employee.code, MissedPunchRequest.punch_date, ApprovalRequest.id))]
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows,
                       organisation=settings.organisation_name)
