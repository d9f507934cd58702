"""Columns and SQL pieces every per-person report shares: who (code, name, position, unit) and who decided."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from engine.models import ApprovalRequest, Employee, InboxTask, OrgUnit
from engine.reports.table import Column

EMPLOYEE_COLUMNS = [
    Column("employee_code", "Employee code", "text", 12),
    Column("employee_name", "Name", "text", 28),
    Column("unit", "Unit", "text", 24),
]
UNIT = aliased(OrgUnit, name="person_unit")
DECIDER = aliased(Employee, name="decider")
PERSON_FIELDS = (Employee.code.label("employee_code"), Employee.name_th.label("employee_name"),
                 UNIT.name_th.label("unit"))


def with_person(query, employee_id_column):
    """Join the employee and their unit to `query` on `employee_id_column`."""
    return (query.join(Employee, Employee.id == employee_id_column)
            .outerjoin(UNIT, UNIT.id == Employee.unit_id))


def decider_id():
    """The employee who made the request's last decision (an approver's task, not the requester's)."""
    return (select(InboxTask.completed_by_id)
            .where(InboxTask.request_id == ApprovalRequest.id, InboxTask.decision.is_not(None),
                   or_(InboxTask.lane.is_(None), InboxTask.lane != "requester"))
            .order_by(InboxTask.completed_at.desc(), InboxTask.id.desc()).limit(1).scalar_subquery())


def hours(minutes: int | None) -> Decimal | None:
    """Minutes as hours with two decimals (display only; sums are made in SQL on minutes)."""
    return None if minutes is None else (Decimal(minutes) / 60).quantize(Decimal("0.01"))
