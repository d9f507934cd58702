"""Schedules and their overrides per unit and per employee, as hr manages them through the API.

Each command here is one unit of work and commits; reading never does. Resolution (which
override applies to whom on which day) is `engine.schedules.service`.
"""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.service import get_employee_by_code
from engine.errors import InvalidInput, NotFound
from engine.models import Employee, OrgUnit, ScheduleAssignment, WorkSchedule
from engine.schedules.service import define_schedule, set_employee_schedule, set_unit_schedule

NAME_MAX = 100  # work_schedules.name


def list_schedules(*, session: Session) -> list[WorkSchedule]:
    """Every work schedule, by name."""
    return list(session.scalars(select(WorkSchedule).order_by(WorkSchedule.name)))


def save_schedule(*, session: Session, name: str, start: time, end: time, weekdays: str,
                  works_on_holidays: bool) -> WorkSchedule:
    """Create or change the named schedule; commits."""
    if len(name.strip()) > NAME_MAX:
        raise InvalidInput(f"A schedule name has at most {NAME_MAX} characters.", code="schedule_name_too_long")
    schedule = define_schedule(session=session, name=name, start=start, end=end, weekdays=weekdays,
                               works_on_holidays=works_on_holidays)
    session.commit()
    return schedule


def _unit(session: Session, code: str) -> OrgUnit:
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound(f"No unit has the code {code}.", code="unit_not_found")
    return unit


def _employee(session: Session, code: str) -> Employee:
    employee = get_employee_by_code(session=session, code=code)
    if employee is None:
        raise NotFound(f"No employee has the code {code}.", code="employee_not_found")
    return employee


def _schedule(session: Session, name: str) -> WorkSchedule:
    schedule = session.scalar(select(WorkSchedule).where(WorkSchedule.name == name))
    if schedule is None:
        raise InvalidInput(f"No schedule is named {name!r}; define it first (PUT /api/schedules/{{name}}).",
                           code="schedule_unknown")
    return schedule


def overrides_of(*, session: Session, unit_code: str | None = None,
                 employee_code: str | None = None) -> list[ScheduleAssignment]:
    """The schedule overrides of one unit or one employee, newest start first."""
    if unit_code is not None:
        target = ScheduleAssignment.unit_id == _unit(session, unit_code).id
    else:
        target = ScheduleAssignment.employee_id == _employee(session, employee_code).id
    return list(session.scalars(select(ScheduleAssignment).where(target)
                                .order_by(ScheduleAssignment.effective_from.desc(), ScheduleAssignment.id.desc())))


def set_override(*, session: Session, schedule_name: str, effective_from: date, unit_code: str | None = None,
                 employee_code: str | None = None) -> ScheduleAssignment:
    """Give a unit or an employee the named schedule from `effective_from` on (the same date again
    replaces that override); commits."""
    schedule = _schedule(session, schedule_name)
    if unit_code is not None:
        assignment = set_unit_schedule(session=session, unit=_unit(session, unit_code), schedule=schedule,
                                       effective_from=effective_from)
    else:
        assignment = set_employee_schedule(session=session, employee=_employee(session, employee_code),
                                           schedule=schedule, effective_from=effective_from)
    session.commit()
    return assignment


def remove_override(*, session: Session, override_id: int) -> None:
    """Delete one override (the unit's or the default schedule applies again); commits."""
    assignment = session.get(ScheduleAssignment, override_id)
    if assignment is None:
        raise NotFound("No schedule override has this id.", code="schedule_override_not_found")
    session.delete(assignment)
    session.commit()


def override_view(assignment: ScheduleAssignment, session: Session) -> dict:
    """One override as the API shows it."""
    unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
    employee = session.get(Employee, assignment.employee_id) if assignment.employee_id else None
    return {"id": assignment.id, "schedule": assignment.schedule.name, "effective_from": assignment.effective_from,
            "unit_code": unit.code if unit else None, "employee_code": employee.code if employee else None}
