"""The scheduler's upkeep of the attendance day projection: the days of this month and the last are judged in
the background as they end, so a report of them reads rows already there (the monthly summary of 10,000 people
in about a second, bench/reports.py) instead of judging 300,000 days while somebody waits; the days a change made
stale (a new holiday, a changed schedule, a late punch) are judged again soon after.

Each tick works for at most `attendance_upkeep_budget_seconds`, a chunk of employees per transaction
(`attendance_days.refresh_attendance_days`), and the next tick goes on where it stopped. Today is left to the
reports: its days are not final until they end. Deactivated employees are left to the reports too.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.models import Employee
from engine.reports.attendance_days import forget_period, refresh_attendance_days


def upkeep_period(today: date) -> tuple[date, date]:
    """From the first day of last month to yesterday: the months people report on."""
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return first_of_last_month, today - timedelta(days=1)


def keep_attendance_days(*, session_factory: sessionmaker[Session], settings: Settings, now: datetime) -> dict[str, int]:
    """Judge the stale days of `upkeep_period` for every active employee, until the budget is spent."""
    start, end = upkeep_period(now.astimezone(ZoneInfo(settings.timezone)).date())
    deadline = time.monotonic() + settings.attendance_upkeep_budget_seconds
    with session_factory() as session:
        evaluated = refresh_attendance_days(session=session, settings=settings,
                                            employee_ids=select(Employee.id).where(Employee.active.is_(True)),
                                            start=start, end=end, now=now, deadline=deadline)
    return {"evaluated": evaluated}


def judge_period(*, session_factory: sessionmaker[Session], settings: Settings, start: date, end: date,
                 again: bool = False, now: datetime | None = None) -> int:
    """Judge every stale day of `start`..`end` for every employee (`opsta reports judge-days`); with `again`,
    forget the period's days first, so days judged by an older version of the day rules are judged anew.
    Returns the number of days judged."""
    with session_factory() as session:
        if again:
            forget_period(session=session, start=start, end=end)
            session.commit()
        return refresh_attendance_days(session=session, settings=settings, employee_ids=select(Employee.id),
                                       start=start, end=end, now=now)
