"""Which working hours apply to an employee on a day, and the overrides that change them.

Resolution for one employee and day, first match wins:
1. the employee's own assignment with the latest `effective_from` on or before the day;
2. otherwise the assignment of the employee's unit, then of each parent unit up the tree
   (the nearest unit that has one on or before the day wins);
3. otherwise the schedule named "default" (08:45–16:30, Monday to Friday unless an admin
   has edited that row; the built-in values apply when the row does not exist yet).

A day in the holidays table is a `holiday` whatever the schedule says, even on a weekend, so
the calendar can show its name, unless the schedule works on holidays (shift work): then the day
is judged by the schedule's weekdays and hours as any other, and still carries the holiday's name.
Otherwise a day outside the schedule's weekdays is a `weekend`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.models import Employee, Holiday, OrgUnit, ScheduleAssignment, WorkSchedule

DEFAULT_SCHEDULE_NAME = "default"
DEFAULT_START = time(8, 45)
DEFAULT_END = time(16, 30)
DEFAULT_WEEKDAYS = "12345"

DayKind = Literal["workday", "weekend", "holiday"]


@dataclass(frozen=True)
class DaySchedule:
    """What one day is for one employee; `start`/`end` are set only on workdays."""

    day: date
    kind: DayKind
    schedule_name: str
    start: time | None = None
    end: time | None = None
    holiday_name_th: str = ""
    holiday_name_en: str = ""

    @property
    def label(self) -> str:
        """`08:45–16:30` (en dash) on a workday, the holiday's Thai name on a holiday, else empty."""
        if self.kind == "workday" and self.start and self.end:
            return f"{self.start:%H:%M}–{self.end:%H:%M}"
        if self.kind == "holiday":
            return self.holiday_name_th
        return ""

    @property
    def is_workday(self) -> bool:
        return self.kind == "workday"


@dataclass(frozen=True)
class _Hours:
    name: str
    start: time
    end: time
    weekdays: str
    works_on_holidays: bool = False


_BUILT_IN_DEFAULT = _Hours(DEFAULT_SCHEDULE_NAME, DEFAULT_START, DEFAULT_END, DEFAULT_WEEKDAYS)


def ensure_default_schedule(*, session: Session) -> WorkSchedule:
    """The schedule named "default", created as 08:45–16:30 Monday–Friday if it does not exist."""
    schedule = session.scalar(select(WorkSchedule).where(WorkSchedule.name == DEFAULT_SCHEDULE_NAME))
    if schedule is None:
        schedule = WorkSchedule(name=DEFAULT_SCHEDULE_NAME, start_time=DEFAULT_START, end_time=DEFAULT_END,
                                weekdays=DEFAULT_WEEKDAYS)
        session.add(schedule)
        session.flush()
    return schedule


def define_schedule(*, session: Session, name: str, start: time, end: time,
                    weekdays: str = DEFAULT_WEEKDAYS, works_on_holidays: bool = False) -> WorkSchedule:
    """Create the named schedule, or change its hours and weekdays if it exists (no commit).

    `weekdays` are ISO weekday digits, Monday=1: "12345" is Monday to Friday. An end before
    the start is a night shift ending the next morning. With `works_on_holidays` public holidays
    are working days on this schedule (shift work).
    """
    name = name.strip()
    if not name:
        raise InvalidInput("a schedule needs a name", code="schedule_name_missing")
    if start == end:
        raise InvalidInput("a schedule cannot start and end at the same time", code="schedule_empty")
    if not weekdays or any(d not in "1234567" for d in weekdays) or len(set(weekdays)) != len(weekdays):
        raise InvalidInput(f"weekdays '{weekdays}' must be distinct digits 1 (Monday) to 7 (Sunday)",
                           code="schedule_weekdays_invalid")
    schedule = session.scalar(select(WorkSchedule).where(WorkSchedule.name == name))
    if schedule is None:
        schedule = WorkSchedule(name=name)
        session.add(schedule)
    schedule.start_time, schedule.end_time, schedule.weekdays = start, end, "".join(sorted(weekdays))
    schedule.works_on_holidays = works_on_holidays
    session.flush()
    return schedule


def set_unit_schedule(*, session: Session, unit: OrgUnit, schedule: WorkSchedule,
                      effective_from: date) -> ScheduleAssignment:
    """Give a unit (and the units below it without their own) `schedule` from `effective_from` on."""
    return _assign(session, schedule, effective_from, unit_id=unit.id)


def set_employee_schedule(*, session: Session, employee: Employee, schedule: WorkSchedule,
                          effective_from: date) -> ScheduleAssignment:
    """Give one employee `schedule` from `effective_from` on, overriding their unit's."""
    return _assign(session, schedule, effective_from, employee_id=employee.id)


def _assign(session: Session, schedule: WorkSchedule, effective_from: date, **target: int) -> ScheduleAssignment:
    # One assignment per target and start date: setting the same date again replaces it.
    column, target_id = next(iter(target.items()))
    assignment = session.scalar(select(ScheduleAssignment).where(
        getattr(ScheduleAssignment, column) == target_id, ScheduleAssignment.effective_from == effective_from))
    if assignment is None:
        assignment = ScheduleAssignment(effective_from=effective_from, **target)
        session.add(assignment)
    assignment.schedule_id = schedule.id
    assignment.schedule = schedule
    session.flush()
    return assignment


def schedule_for(*, session: Session, employee: Employee, day: date) -> DaySchedule:
    """What `day` is for `employee`: a workday with hours, a weekend, or a named holiday."""
    return schedules_for_range(session=session, employee=employee, start=day, end=day)[0]


def schedules_for_range(*, session: Session, employee: Employee, start: date, end: date) -> list[DaySchedule]:
    """One `DaySchedule` per day from `start` to `end` inclusive, in four queries whatever the length."""
    if end < start:
        raise InvalidInput("the range ends before it starts", code="range_reversed")
    unit_chain = _unit_chain(session, employee.unit_id)
    targets = [ScheduleAssignment.employee_id == employee.id]
    if unit_chain:
        targets.append(ScheduleAssignment.unit_id.in_(unit_chain))
    assignments = list(session.scalars(
        select(ScheduleAssignment).where(or_(*targets), ScheduleAssignment.effective_from <= end)
        .order_by(ScheduleAssignment.effective_from.desc(), ScheduleAssignment.id.desc())))
    holidays = {h.day: h for h in session.scalars(select(Holiday).where(Holiday.day.between(start, end)))}
    default = _default_hours(session)

    # Candidate lists, nearest target first; within each, latest start first.
    own = [a for a in assignments if a.employee_id == employee.id]
    by_unit = [[a for a in assignments if a.unit_id == unit_id] for unit_id in unit_chain]
    days: list[DaySchedule] = []
    day = start
    while day <= end:
        hours = _hours_on(day, [own, *by_unit]) or default
        days.append(_day_schedule(day, hours, holidays.get(day)))
        day += timedelta(days=1)
    return days


def schedules_for_employees(*, session: Session, employees: list[tuple[int, int | None]], start: date,
                            end: date) -> dict[int, dict[date, DaySchedule]]:
    """`schedules_for_range` for many (employee id, unit id) pairs at once, in four queries whatever their number."""
    if end < start:
        raise InvalidInput("the range ends before it starts", code="range_reversed")
    parent_of = dict(session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    assignments = list(session.scalars(
        select(ScheduleAssignment).where(ScheduleAssignment.effective_from <= end)
        .order_by(ScheduleAssignment.effective_from.desc(), ScheduleAssignment.id.desc())))
    holidays = {h.day: h for h in session.scalars(select(Holiday).where(Holiday.day.between(start, end)))}
    default = _default_hours(session)
    own: dict[int, list[ScheduleAssignment]] = {}
    by_unit: dict[int, list[ScheduleAssignment]] = {}
    for assignment in assignments:
        if assignment.employee_id is not None:
            own.setdefault(assignment.employee_id, []).append(assignment)
        else:
            by_unit.setdefault(assignment.unit_id, []).append(assignment)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    result: dict[int, dict[date, DaySchedule]] = {}
    for employee_id, unit_id in employees:
        chain, unit = [], unit_id
        while unit is not None and unit in parent_of and unit not in chain:
            chain.append(unit)
            unit = parent_of[unit]
        candidates = [own.get(employee_id, []), *(by_unit.get(u, []) for u in chain)]
        result[employee_id] = {day: _day_schedule(day, _hours_on(day, candidates) or default, holidays.get(day))
                               for day in days}
    return result


def _unit_chain(session: Session, unit_id: int | None) -> list[int]:
    """The unit and its ancestors, nearest first, from one query over the (small) unit table."""
    if unit_id is None:
        return []
    parent_of = dict(session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    chain: list[int] = []
    while unit_id is not None and unit_id in parent_of and unit_id not in chain:
        chain.append(unit_id)
        unit_id = parent_of[unit_id]
    return chain


def _default_hours(session: Session) -> _Hours:
    row = session.scalar(select(WorkSchedule).where(WorkSchedule.name == DEFAULT_SCHEDULE_NAME))
    return _hours(row) if row is not None else _BUILT_IN_DEFAULT


def _hours(schedule: WorkSchedule) -> _Hours:
    return _Hours(schedule.name, schedule.start_time, schedule.end_time, schedule.weekdays,
                  bool(schedule.works_on_holidays))


def _hours_on(day: date, candidates: list[list[ScheduleAssignment]]) -> _Hours | None:
    for assignments in candidates:
        for assignment in assignments:
            if assignment.effective_from <= day:
                return _hours(assignment.schedule)
    return None


def _day_schedule(day: date, hours: _Hours, holiday: Holiday | None) -> DaySchedule:
    names = {"holiday_name_th": holiday.name_th, "holiday_name_en": holiday.name_en} if holiday else {}
    if holiday is not None and not hours.works_on_holidays:
        return DaySchedule(day, "holiday", hours.name, **names)
    if str(day.isoweekday()) not in hours.weekdays:
        return DaySchedule(day, "weekend", hours.name, **names)
    return DaySchedule(day, "workday", hours.name, hours.start, hours.end, **names)
