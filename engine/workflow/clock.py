"""The host's clock for BPMN scripts and timers: 'now' plus holiday-aware working days."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Holiday
from engine.workflow.sandbox import SandboxClock, make_script_engine

# Far enough ahead for any "n working days" an analyst would draw.
HOLIDAY_HORIZON_DAYS = 120


def holidays_between(*, session: Session, start: date, end: date) -> frozenset[date]:
    """Public holidays from `start` to `end` inclusive."""
    return frozenset(session.scalars(select(Holiday.day).where(Holiday.day >= start, Holiday.day <= end)))


def working_day_rule(*, session: Session, start: date, days: int = HOLIDAY_HORIZON_DAYS):
    """`is_working_day(day)`: Monday to Friday and not a public holiday of the holidays table.

    The holidays are read when the rule is first asked (most steps run no timer expression at all).
    """
    holidays: list[frozenset[date]] = []

    def is_working_day(day: date) -> bool:
        if day.weekday() >= 5:
            return False
        if not holidays:
            holidays.append(holidays_between(session=session, start=start, end=start + timedelta(days=days)))
        if not start <= day <= start + timedelta(days=days):
            return day not in holidays_between(session=session, start=day, end=day)
        return day not in holidays[0]

    return is_working_day


def is_working_day(*, session: Session, day: date) -> bool:
    """Whether `day` is a working day (weekday and not a public holiday)."""
    return day.weekday() < 5 and day not in holidays_between(session=session, start=day, end=day)


def script_engine_at(*, session: Session, now: datetime, timezone: str):
    """A sandboxed script engine whose `now()` is `now` and whose working days skip holidays."""
    rule = working_day_rule(session=session, start=now.date() - timedelta(days=1))
    return make_script_engine(clock=SandboxClock(now=lambda: now, is_working_day=rule, timezone=timezone))
