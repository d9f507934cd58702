"""The people of a unit and every unit below it (hr's view of a part of the organisation)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.units import units_within
from engine.models import Employee

MAX_MEMBERS = 1000


def unit_members(*, session: Session, unit_id: int) -> list[Employee]:
    """Active employees of the unit and its sub-units, by code (at most MAX_MEMBERS)."""
    units = units_within(session=session, unit_ids={unit_id})
    return list(session.scalars(select(Employee).where(Employee.unit_id.in_(units), Employee.active.is_(True))
                                .order_by(Employee.code).limit(MAX_MEMBERS)))
