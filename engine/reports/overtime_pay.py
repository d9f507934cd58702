"""Overtime pay as SQL expressions, from the rates and caps in settings (see `engine.config`, overtime_*).

The cap applies per person per day, to the minutes of approved requests actually worked (`overtime_worked`);
with `overtime_whole_hours` a part of an hour is not paid, as the regulation is commonly applied.
"""
from __future__ import annotations

from sqlalchemy import Numeric, case, cast, literal

from engine.config import Settings


def payable_hours(minutes, day_kind, settings: Settings):
    """Hours paid for `minutes` worked on a day of `day_kind` (workday, weekend, holiday), capped."""
    if settings.overtime_whole_hours:
        worked = minutes // 60    # integer division on both backends
    else:
        worked = cast(minutes, Numeric(10, 2)) / 60
    cap = case((day_kind == "workday", literal(settings.overtime_cap_workday_hours)),
               else_=literal(settings.overtime_cap_holiday_hours))
    return case((worked > cap, cap), else_=worked)


def rate(day_kind, settings: Settings):
    """Baht per hour on a day of `day_kind`."""
    return case((day_kind == "workday", literal(settings.overtime_rate_workday)),
                else_=literal(settings.overtime_rate_holiday))
