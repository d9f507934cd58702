"""Working hours of one day, as both day assignment (`punch_days`) and day status (`day_rules`) read them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class HoursLike(Protocol):
    """Working hours of one day; `engine.schedules.service.DaySchedule` fits (start None = no work)."""

    start: time | None
    end: time | None


@dataclass(frozen=True)
class WorkHours:
    """Working hours in org-local wall-clock time; an end at or before the start ends the next day."""

    start: time
    end: time


def is_work_day(hours: HoursLike | None) -> bool:
    """True when the hours exist and have both a start and an end."""
    return hours is not None and hours.start is not None and hours.end is not None


def work_period(*, hours: HoursLike, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local start and end instants of the hours worked on `day`; a night shift ends the next date."""
    end_day = day + timedelta(days=1) if hours.end <= hours.start else day
    return datetime.combine(day, hours.start, tzinfo=tz), datetime.combine(end_day, hours.end, tzinfo=tz)
