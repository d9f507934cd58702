"""A report's filters as the asker gives them (a month or a date range, unit, employee, status), checked."""
from __future__ import annotations

from datetime import date

from engine.attendance.thai_calendar import MonthInvalid, parse_month
from engine.errors import InvalidInput
from engine.reports.table import Filters

# A guard against a mistyped year, not a row cap: the longest period one report covers.
MAX_PERIOD_DAYS = 366


def parse_filters(*, today: date, month: str | None = None, start: date | None = None, end: date | None = None,
                  unit_code: str | None = None, include_subunits: bool = False, employee_code: str | None = None,
                  status: str | None = None) -> Filters:
    """`month` (CE `YYYY-MM`) or `start`/`end` (either alone is a one-day period); none: this month."""
    if month is not None and (start is not None or end is not None):
        raise InvalidInput("Give either month or from/to, not both.", code="period_ambiguous")
    if month is not None:
        try:
            parsed = parse_month(month)
        except MonthInvalid as exc:
            raise InvalidInput(str(exc), code="month_invalid") from exc
        start, end = parsed.first_day, parsed.last_day
    elif start is None and end is None:
        start, end = today.replace(day=1), parse_month(f"{today:%Y-%m}").last_day
    else:
        start, end = start or end, end or start
    if end < start:
        raise InvalidInput(f"The period ends ({end}) before it starts ({start}).", code="range_reversed")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(f"A report covers at most {MAX_PERIOD_DAYS} days.", code="range_too_long")
    return Filters(start=start, end=end, unit_code=unit_code or None, include_subunits=include_subunits,
                   employee_code=employee_code or None, status=status or None)
