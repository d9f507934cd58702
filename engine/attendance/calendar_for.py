"""The calendar a person asks for: a `YYYY-MM` month (this month by default) with approved off-site days,
and on each day the requests that change it or still wait on it (`requests`)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.attendance.calendar import month_calendar
from engine.attendance.thai_calendar import MonthInvalid, parse_month
from engine.config import Settings
from engine.db import utcnow
from engine.errors import InvalidInput
from engine.models import Employee
from engine.requests.calendar_marks import request_marks
from engine.requests.effects import offsite_days


def calendar_for(*, session: Session, settings: Settings, employee: Employee, month: str | None,
                 now: datetime | None = None) -> dict:
    """`month_calendar` of `employee` for `month` (CE `YYYY-MM`, None = this month); 422 `month_invalid`."""
    if month is None:
        month = f"{(now or utcnow()).astimezone(ZoneInfo(settings.timezone)):%Y-%m}"
    try:
        parsed = parse_month(month)
    except MonthInvalid as exc:
        raise InvalidInput(str(exc), code="month_invalid") from exc
    offsite = offsite_days(session=session, employee_id=employee.id, first=parsed.first_day, last=parsed.last_day)
    calendar = month_calendar(session=session, settings=settings, employee=employee, month=parsed, now=now,
                              offsite_days=offsite)
    marks = request_marks(session=session, employee_id=employee.id, first=parsed.first_day, last=parsed.last_day)
    for day in calendar["days"]:
        day["requests"] = marks.get(day["date"], [])
    return calendar
