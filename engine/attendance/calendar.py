"""The monthly attendance calendar of one employee: schedule, punches and status of every day."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.attendance.day_evaluation import evaluate_days
from engine.attendance.punch_days import TimedPunch, punch_window
from engine.attendance.punch_standing import standing_of
from engine.attendance.queries import as_view
from engine.attendance.thai_calendar import CalendarMonth, thai_date_short, thai_weekday_name
from engine.config import Settings
from engine.db import utcnow
from engine.models import Employee, Punch
from engine.schedules.service import schedules_for_range

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def _load_punches(session: Session, employee: Employee, month: CalendarMonth, tz: ZoneInfo) -> list[Punch]:
    start, end = punch_window(first_day=month.first_day, last_day=month.last_day, tz=tz)
    return list(session.scalars(
        select(Punch).options(joinedload(Punch.site), selectinload(Punch.face_verification),
                              selectinload(Punch.acceptance))
        .where(Punch.employee_id == employee.id, Punch.effective_at >= start, Punch.effective_at < end)
        .order_by(Punch.effective_at, Punch.id)
    ))


def month_calendar(*, session: Session, settings: Settings, employee: Employee, month: CalendarMonth,
                   now: datetime | None = None, offsite_days: frozenset[date] = frozenset()) -> dict:
    """Every day of `month` for `employee`: hours or holiday, punches in order, and the day status."""
    tz = ZoneInfo(settings.timezone)
    now_local = (now or utcnow()).astimezone(tz)
    schedules = {s.day: s for s in schedules_for_range(session=session, employee=employee,
                                                       start=month.first_day - timedelta(days=2),
                                                       end=month.last_day + timedelta(days=1))}
    rows = {p.id: p for p in _load_punches(session, employee, month, tz)}
    punches = [TimedPunch(p.id, p.recorded_at, p.direction, p.effective_at, standing_of(p)) for p in rows.values()]
    evaluated = evaluate_days(days=month.days(), schedules=schedules, punches=punches, settings=settings,
                              now_local=now_local, offsite_days=offsite_days)
    days = []
    for day, judged in evaluated.items():
        schedule, result, day_punches = judged.schedule, judged.result, judged.punches
        days.append({
            "date": day,
            "weekday_th": thai_weekday_name(day),
            "kind": schedule.kind,
            "hours": schedule.label if schedule.is_workday else None,
            "holiday_name_th": schedule.holiday_name_th or None,
            "holiday_name_en": schedule.holiday_name_en or None,
            "status": str(result.status),
            "statuses": [str(s) for s in result.statuses],
            "final": result.final,
            "missing": list(result.missing),
            "late_minutes": result.late_minutes,
            "early_minutes": result.early_minutes,
            "worked_minutes": result.worked_minutes,
            "provisional": result.provisional,
            "excluded_punches": [{"id": e.id, "time": f"{e.local_at:%H:%M}", "direction": e.direction,
                                  "reason": e.reason} for e in result.excluded],
            "punches": [as_view(rows[dp.id], tz) for dp in day_punches],
        })
    return {
        "month": str(month),
        "title_th": month.title,
        "title_en": f"{EN_MONTHS[month.month - 1]} {month.year}",
        "today": now_local.date(),
        "today_th": thai_date_short(now_local.date()),
        "employee": employee,
        "days": days,
        "summary": dict(Counter(d["status"] for d in days)),
    }
