"""The host's clock for BPMN scripts and timers: 'now' plus holiday-aware working days."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Holiday
from engine.workflow.sandbox import SandboxClock, make_script_engine
from engine.workflow.script_pool import ScriptLimits

# Far enough ahead for any "n working days" an analyst would draw.
HOLIDAY_HORIZON_DAYS = 120
# session.info key of the holidays one transaction has already read: (transaction, first, last, days).
_READ_KEY = "opsta.holidays_read"


def holidays_between(*, session: Session, start: date, end: date) -> frozenset[date]:
    """Public holidays from `start` to `end` inclusive."""
    return frozenset(session.scalars(select(Holiday.day).where(Holiday.day >= start, Holiday.day <= end)))


def is_holiday(*, session: Session, day: date, around: date | None = None) -> bool:
    """Whether `day` is a public holiday, reading the holidays at most once per operation.

    The first question reads the whole horizon from `around` (default `day`), so the form check and
    the timer expressions of one submit share a single query; the memo belongs to the current
    transaction, so a holiday added and committed since is always seen.
    """
    transaction = session.get_transaction()
    known = session.info.get(_READ_KEY)
    if known is None or known[0] is not transaction or not known[1] <= day <= known[2]:
        first = min(around or day, day)
        last = max(first + timedelta(days=HOLIDAY_HORIZON_DAYS), day)
        known = session.info[_READ_KEY] = (transaction, first, last,
                                           holidays_between(session=session, start=first, end=last))
    return day in known[3]


def working_day_rule(*, session: Session, start: date):
    """`is_working_day(day)`: Monday to Friday and not a public holiday of the holidays table.

    The holidays are read when the rule is first asked (most steps run no timer expression at all).
    """
    def is_working_day(day: date) -> bool:
        return day.weekday() < 5 and not is_holiday(session=session, day=day, around=start)

    return is_working_day


def is_working_day(*, session: Session, day: date) -> bool:
    """Whether `day` is a working day (weekday and not a public holiday)."""
    return day.weekday() < 5 and day not in holidays_between(session=session, start=day, end=day)


def script_engine_at(*, session: Session, now: datetime, timezone: str, limits: ScriptLimits | None = None):
    """A sandboxed script engine whose `now()` is `now` and whose working days skip holidays.

    It serves one host operation: all its scripts together may take `limits.timeout_s`.
    """
    limits = limits or ScriptLimits()
    rule = working_day_rule(session=session, start=now.date() - timedelta(days=1))
    return make_script_engine(clock=SandboxClock(now=lambda: now, is_working_day=rule, timezone=timezone),
                              limits=limits, budget_s=limits.timeout_s)

