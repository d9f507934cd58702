"""Who an employee can name as an acting approver: active people of their own unit and the units above it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.units import units_above
from engine.models import Employee

MAX_COLLEAGUES = 500


def colleagues(*, session: Session, employee: Employee) -> list[Employee]:
    """Active employees of `employee`'s unit and the units above it (not `employee`), by code."""
    units = [employee.unit_id, *units_above(session=session, unit_id=employee.unit_id)] if employee.unit_id else []
    return list(session.scalars(
        select(Employee).where(Employee.unit_id.in_(units), Employee.active.is_(True), Employee.id != employee.id)
        .order_by(Employee.code).limit(MAX_COLLEAGUES)))
