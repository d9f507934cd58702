"""The scheduler judges this month's and last month's days in the background, within its budget, and a report
of them then finds every day already judged."""
import dataclasses
from datetime import date, datetime, timezone

from sqlalchemy import func, select

from engine.models import AttendanceDay, Employee, Holiday
from engine.reports.attendance_days import refresh_attendance_days
from engine.reports.day_upkeep import keep_attendance_days, upkeep_period
from engine.scheduler import periodic_jobs, run_once

JULY_5 = datetime(2026, 7, 5, 3, 0, tzinfo=timezone.utc)   # 10:00 in Bangkok


def test_the_period_is_last_month_and_this_month_up_to_yesterday():
    assert upkeep_period(date(2026, 7, 5)) == (date(2026, 6, 1), date(2026, 7, 4))
    assert upkeep_period(date(2026, 7, 1)) == (date(2026, 6, 1), date(2026, 6, 30))
    assert upkeep_period(date(2027, 1, 1)) == (date(2026, 12, 1), date(2026, 12, 31))


def _rows(session_factory):
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(AttendanceDay))


def test_the_upkeep_judges_the_days_so_a_report_judges_none(june, session_factory, settings):
    active = _active(session_factory)
    assert keep_attendance_days(session_factory=session_factory, settings=settings, now=JULY_5) == {
        "evaluated": active * 34}                      # 1 June .. 4 July
    assert _rows(session_factory) == active * 34
    with session_factory() as session:                 # the June report: nothing left to judge
        assert refresh_attendance_days(session=session, settings=settings,
                                       employee_ids=select(Employee.id).where(Employee.active.is_(True)),
                                       start=date(2026, 6, 1), end=date(2026, 6, 30), now=JULY_5) == 0
    assert keep_attendance_days(session_factory=session_factory, settings=settings, now=JULY_5) == {"evaluated": 0}
    # A new holiday makes its day stale for everyone; the next tick judges that day only.
    with session_factory() as session:
        session.add(Holiday(day=date(2026, 6, 26), name_th="วันหยุดพิเศษ", name_en="Special holiday"))
        session.commit()
    assert keep_attendance_days(session_factory=session_factory, settings=settings, now=JULY_5) == {
        "evaluated": active}
    with session_factory() as session:
        assert {row.status for row in session.scalars(select(AttendanceDay).where(
            AttendanceDay.day == date(2026, 6, 26)))} == {"holiday"}


def test_a_spent_budget_leaves_the_rest_to_the_next_tick(june, session_factory, settings):
    spent = dataclasses.replace(settings, attendance_upkeep_budget_seconds=0.0)
    assert keep_attendance_days(session_factory=session_factory, settings=spent, now=JULY_5) == {"evaluated": 0}
    assert _rows(session_factory) == 0
    assert keep_attendance_days(session_factory=session_factory, settings=settings, now=JULY_5)["evaluated"] > 0


def test_the_scheduler_runs_the_upkeep(june, session_factory, settings):
    results = run_once(periodic_jobs(settings=settings, session_factory=session_factory), now=JULY_5)
    assert results["attendance days"] == {"evaluated": _active(session_factory) * 34}


def _active(session_factory):
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(Employee).where(Employee.active.is_(True)))
