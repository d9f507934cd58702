"""Which hours apply on a day: default, unit (up the tree), employee override, weekend, holiday."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event

from engine.errors import InvalidInput
from engine.models import Holiday
from engine.schedules.service import (
    DaySchedule,
    define_schedule,
    ensure_default_schedule,
    schedule_for,
    schedules_for_range,
    set_employee_schedule,
    set_unit_schedule,
)

MONDAY = date(2026, 3, 2)
SATURDAY = date(2026, 3, 7)


@pytest.fixture
def clerk(units, add_employee):
    return add_employee("10151", unit=units["DIV"])


def test_default_is_0845_to_1630_on_weekdays_even_before_the_row_exists(db_session, clerk):
    day = schedule_for(session=db_session, employee=clerk, day=MONDAY)

    assert day == DaySchedule(MONDAY, "workday", "default", time(8, 45), time(16, 30))
    assert day.label == "08:45–16:30"
    assert schedule_for(session=db_session, employee=clerk, day=SATURDAY).kind == "weekend"


def test_ensure_default_schedule_is_idempotent_and_an_edited_default_is_used(db_session, clerk):
    first = ensure_default_schedule(session=db_session)
    assert ensure_default_schedule(session=db_session).id == first.id
    assert (first.start_time, first.end_time, first.weekdays) == (time(8, 45), time(16, 30), "12345")

    define_schedule(session=db_session, name="default", start=time(8, 30), end=time(16, 30))
    assert schedule_for(session=db_session, employee=clerk, day=MONDAY).label == "08:30–16:30"


def test_unit_schedule_applies_below_it_from_its_date(db_session, units, clerk):
    early = define_schedule(session=db_session, name="early", start=time(7, 30), end=time(15, 30))
    set_unit_schedule(session=db_session, unit=units["DEP"], schedule=early, effective_from=date(2026, 3, 3))

    assert schedule_for(session=db_session, employee=clerk, day=MONDAY).label == "08:45–16:30"
    tuesday = schedule_for(session=db_session, employee=clerk, day=date(2026, 3, 3))
    assert tuesday.label == "07:30–15:30" and tuesday.schedule_name == "early"


def test_nearest_unit_wins_over_a_parent_unit(db_session, units, clerk):
    early = define_schedule(session=db_session, name="early", start=time(7, 30), end=time(15, 30))
    late = define_schedule(session=db_session, name="late", start=time(10, 0), end=time(18, 0))
    set_unit_schedule(session=db_session, unit=units["MIN"], schedule=early, effective_from=date(2026, 3, 1))
    set_unit_schedule(session=db_session, unit=units["DIV"], schedule=late, effective_from=date(2026, 1, 1))

    assert schedule_for(session=db_session, employee=clerk, day=MONDAY).schedule_name == "late"


def test_employee_override_from_a_date_beats_the_unit(db_session, units, clerk, add_employee):
    colleague = add_employee("10152", unit=units["DIV"])
    early = define_schedule(session=db_session, name="early", start=time(7, 30), end=time(15, 30))
    night = define_schedule(session=db_session, name="night", start=time(22, 0), end=time(6, 0), weekdays="67")
    set_unit_schedule(session=db_session, unit=units["DIV"], schedule=early, effective_from=date(2026, 3, 10))
    set_employee_schedule(session=db_session, employee=clerk, schedule=night, effective_from=date(2026, 3, 5))

    days = {d.day: d for d in schedules_for_range(session=db_session, employee=clerk,
                                                   start=date(2026, 3, 2), end=date(2026, 3, 15))}
    assert days[date(2026, 3, 4)].label == "08:45–16:30"   # before the override: default
    assert days[date(2026, 3, 5)].kind == "weekend"        # Thursday is not a night-shift day
    assert days[date(2026, 3, 7)].label == "22:00–06:00"   # Saturday night shift
    assert days[date(2026, 3, 14)].schedule_name == "night"  # own override beats the later unit one
    assert schedule_for(session=db_session, employee=colleague, day=date(2026, 3, 10)).schedule_name == "early"


def test_setting_the_same_date_again_replaces_the_assignment(db_session, clerk):
    early = define_schedule(session=db_session, name="early", start=time(7, 30), end=time(15, 30))
    late = define_schedule(session=db_session, name="late", start=time(10, 0), end=time(18, 0))
    first = set_employee_schedule(session=db_session, employee=clerk, schedule=early, effective_from=MONDAY)
    second = set_employee_schedule(session=db_session, employee=clerk, schedule=late, effective_from=MONDAY)

    assert first.id == second.id
    assert schedule_for(session=db_session, employee=clerk, day=MONDAY).schedule_name == "late"


def test_holiday_is_marked_with_its_names_even_on_a_weekend(db_session, clerk):
    db_session.add_all([
        Holiday(day=date(2026, 4, 13), name_th="วันสงกรานต์", name_en="Songkran Festival"),
        Holiday(day=date(2026, 12, 5), name_th="วันพ่อแห่งชาติ", name_en="National Father's Day"),
    ])
    db_session.flush()

    songkran = schedule_for(session=db_session, employee=clerk, day=date(2026, 4, 13))
    assert (songkran.kind, songkran.holiday_name_th, songkran.holiday_name_en) == (
        "holiday", "วันสงกรานต์", "Songkran Festival")
    assert songkran.start is None and songkran.label == "วันสงกรานต์"
    assert schedule_for(session=db_session, employee=clerk, day=date(2026, 12, 5)).kind == "holiday"


def test_month_range_runs_a_fixed_number_of_queries(db_session, db_engine, units, clerk):
    early = define_schedule(session=db_session, name="early", start=time(7, 30), end=time(15, 30))
    set_unit_schedule(session=db_session, unit=units["MIN"], schedule=early, effective_from=date(2026, 1, 1))
    set_employee_schedule(session=db_session, employee=clerk, schedule=early, effective_from=date(2026, 3, 20))
    db_session.add(Holiday(day=date(2026, 3, 3), name_th="วันมาฆบูชา"))
    db_session.flush()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db_engine, "before_cursor_execute", listener)
    try:
        month = schedules_for_range(session=db_session, employee=clerk, start=date(2026, 3, 1), end=date(2026, 3, 31))
    finally:
        event.remove(db_engine, "before_cursor_execute", listener)

    assert len(month) == 31 and [d.day.day for d in month] == list(range(1, 32))
    assert len(statements) <= 4
    assert [d.kind for d in month[:7]] == ["weekend", "workday", "holiday", "workday", "workday", "workday", "weekend"]
    assert sum(d.is_workday for d in month) == 21


def test_define_schedule_rejects_bad_weekdays_and_empty_hours(db_session):
    with pytest.raises(InvalidInput):
        define_schedule(session=db_session, name="x", start=time(8), end=time(16), weekdays="1238")
    with pytest.raises(InvalidInput):
        define_schedule(session=db_session, name="x", start=time(8), end=time(8))


def test_a_reversed_range_is_rejected(db_session, clerk):
    with pytest.raises(InvalidInput):
        schedules_for_range(session=db_session, employee=clerk, start=date(2026, 3, 2), end=date(2026, 3, 1))
