"""Overtime (รายงานการทำงานล่วงเวลา): per request, planned against worked hours, the decision and who made it,
the amount due; per employee, the period's total (capped per day, see `overtime_pay`)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import REQUEST_STATUSES, ApprovalRequest, Employee, OvertimeRequest, OvertimeWorked
from engine.reports import overtime_pay
from engine.reports.people import DECIDER, EMPLOYEE_COLUMNS, PERSON_FIELDS, decider_id, hours, with_person
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "overtime"
TITLE = "Overtime report"
STATUSES = REQUEST_STATUSES
COLUMNS = [
    *EMPLOYEE_COLUMNS,
    Column("request_id", "Request", "integer", 8),
    Column("work_date", "Date", "date", 12),
    Column("day_kind", "Day", "status_code", 10),
    Column("planned_start", "Planned from", "time", 8),
    Column("planned_end", "Planned to", "time", 8),
    Column("planned_hours", "Planned hours", "hours", 8),
    Column("worked_hours", "Worked hours", "hours", 8),
    Column("status", "Status", "status_code", 10),
    Column("decided_by", "Decided by", "text", 24),
    Column("decided_at", "Decided at", "datetime", 16),
    Column("payable_hours", "Payable hours", "hours", 8),
    Column("amount", "Amount (baht)", "money", 10),
]


def approved_days(scope_ids, filters: Filters, settings: Settings):
    """Per employee and day: approved overtime minutes worked, payable hours and amount (SQL subquery)."""
    minutes = func.sum(func.coalesce(OvertimeWorked.worked_minutes, 0))
    day = (select(OvertimeWorked.employee_id, OvertimeWorked.work_date, OvertimeWorked.day_kind,
                  func.sum(OvertimeWorked.planned_minutes).label("planned_minutes"), minutes.label("worked_minutes"),
                  overtime_pay.payable_hours(minutes, OvertimeWorked.day_kind, settings).label("payable_hours"))
           .join(ApprovalRequest, ApprovalRequest.id == OvertimeWorked.request_id)
           .where(ApprovalRequest.status == "approved", OvertimeWorked.employee_id.in_(scope_ids),
                  OvertimeWorked.work_date.between(filters.start, filters.end))
           .group_by(OvertimeWorked.employee_id, OvertimeWorked.work_date, OvertimeWorked.day_kind)
           .subquery("approved_overtime_days"))
    return day, (day.c.payable_hours * overtime_pay.rate(day.c.day_kind, settings))


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """The overtime report for `filters` as `viewer` may see it."""
    approved = ApprovalRequest.status == "approved"
    own_hours = overtime_pay.payable_hours(func.coalesce(OvertimeWorked.worked_minutes, 0), OvertimeWorked.day_kind,
                                           settings)
    query = with_person(
        select(ApprovalRequest.id, ApprovalRequest.status, ApprovalRequest.decided_at, *PERSON_FIELDS,
               OvertimeRequest.work_date, OvertimeRequest.planned_start, OvertimeRequest.planned_end,
               OvertimeWorked.planned_minutes, OvertimeWorked.worked_minutes, OvertimeWorked.day_kind,
               DECIDER.name_th.label("decided_by"),
               case((approved, own_hours), else_=0).label("payable"))
        .join(OvertimeRequest, OvertimeRequest.request_id == ApprovalRequest.id)
        .outerjoin(OvertimeWorked, OvertimeWorked.request_id == ApprovalRequest.id)
        .outerjoin(DECIDER, DECIDER.id == decider_id()), ApprovalRequest.requester_id)
    query = query.where(ApprovalRequest.requester_id.in_(scope.employee_ids),
                        OvertimeRequest.work_date.between(filters.start, filters.end))
    if filters.status:
        query = query.where(ApprovalRequest.status == filters.status)
    rows = []
    for r in session.execute(query.order_by(Employee.code, OvertimeRequest.work_date, ApprovalRequest.id)):
        payable = Decimal(r.payable or 0) if r.status == "approved" else Decimal(0)
        rate = settings.overtime_rate_workday if r.day_kind == "workday" else settings.overtime_rate_holiday
        rows.append({
            "employee_code": r.employee_code, "employee_name": r.employee_name, "unit": r.unit,
            "request_id": r.id, "work_date": r.work_date, "day_kind": r.day_kind, "planned_start": r.planned_start,
            "planned_end": r.planned_end, "planned_hours": hours(r.planned_minutes),
            "worked_hours": hours(r.worked_minutes), "status": r.status, "decided_by": r.decided_by,
            "decided_at": r.decided_at, "payable_hours": payable.quantize(Decimal("0.01")),
            "amount": (payable * Decimal(str(rate))).quantize(Decimal("0.01")),
        })
    group_totals, totals = employee_totals(session=session, scope_ids=scope.employee_ids, filters=filters,
                                           settings=settings)
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows, totals=totals,
                       group_by="employee_code", group_totals=group_totals, organisation=settings.organisation_name)


def employee_totals(*, session: Session, scope_ids, filters: Filters, settings: Settings):
    """Approved overtime per employee for the period (capped per day), and the grand total."""
    day, amount = approved_days(scope_ids, filters, settings)
    per_employee = (select(Employee.code, func.sum(day.c.planned_minutes), func.sum(day.c.worked_minutes),
                           func.sum(day.c.payable_hours), func.sum(amount))
                    .join(day, day.c.employee_id == Employee.id).group_by(Employee.code))
    group_totals, grand = {}, {"planned_hours": Decimal(0), "worked_hours": Decimal(0), "payable_hours": Decimal(0),
                               "amount": Decimal(0)}
    for code, planned, worked, payable, money in session.execute(per_employee):
        subtotal = {"employee_code": code, "planned_hours": hours(int(planned or 0)),
                    "worked_hours": hours(int(worked or 0)),
                    "payable_hours": Decimal(str(payable or 0)).quantize(Decimal("0.01")),
                    "amount": Decimal(str(money or 0)).quantize(Decimal("0.01"))}
        group_totals[code] = subtotal
        for key in grand:
            grand[key] += subtotal[key]
    return group_totals, grand
