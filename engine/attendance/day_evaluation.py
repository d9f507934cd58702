"""Judge a run of one employee's days from their schedules and punches: what the calendar shows and the
attendance day projection (`engine.reports.attendance_days`) stores, from one function so they agree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from engine.attendance.day_rules import DayStatus, day_status
from engine.attendance.punch_days import DayPunch, TimedPunch, assign_punch_days
from engine.attendance.punch_standing import counts_toward_attendance
from engine.config import Settings
from engine.schedules.service import DaySchedule


@dataclass(frozen=True)
class EvaluatedDay:
    schedule: DaySchedule
    result: DayStatus
    punches: list[DayPunch]   # every punch placed on the day, excluded ones included, in time order


def punches_by_day(*, punches: list[TimedPunch], schedules: Mapping[date, DaySchedule], settings: Settings,
                   tz: ZoneInfo) -> dict[date, list[DayPunch]]:
    """Days of the punches that count; an excluded punch is shown on the day it would have fallen on,
    but never moves another punch to a different day (it takes no part in the assignment)."""
    def assign(chosen):
        return assign_punch_days(punches=chosen, schedules={d: (s if s.is_workday else None) for d, s in schedules.items()},
                                 tz=tz, day_boundary=time.fromisoformat(settings.day_boundary),
                                 late_out_window=timedelta(minutes=settings.late_out_window_minutes))

    counting = [p for p in punches if counts_toward_attendance(p.standing)]
    by_day = assign(counting)
    if len(counting) < len(punches):
        for day, placed in assign(punches).items():
            shown = [dp for dp in placed if not counts_toward_attendance(dp.standing)]
            if shown:
                by_day[day] = sorted(by_day.get(day, []) + shown, key=lambda dp: dp.local_at)
    return by_day


def evaluate_days(*, days: Iterable[date], schedules: Mapping[date, DaySchedule], punches: list[TimedPunch],
                  settings: Settings, now_local: datetime, offsite_days: frozenset[date] = frozenset()
                  ) -> dict[date, EvaluatedDay]:
    """Each of `days` judged by `day_rules.day_status`. `schedules` must cover two days before the first
    and one after the last, and `punches` the `punch_days.punch_window` of the span."""
    tz = ZoneInfo(settings.timezone)
    by_day = punches_by_day(punches=punches, schedules=schedules, settings=settings, tz=tz)
    evaluated = {}
    for day in days:
        schedule = schedules[day]
        day_punches = by_day.get(day, [])
        result = day_status(day=day, schedule=schedule if schedule.is_workday else None, punches=day_punches,
                            now_local=now_local, grace_minutes=settings.late_grace_minutes,
                            holiday_name=schedule.holiday_name_th if schedule.kind == "holiday" else None,
                            offsite_approved=day in offsite_days)
        evaluated[day] = EvaluatedDay(schedule, result, day_punches)
    return evaluated
