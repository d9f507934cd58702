"""The calendar (`ปฏิทิน`), the dashboard after sign-in: a six-week month from Sunday, days coloured by status,
and the chosen day's punches, each opening its detail. The same screen shows a subordinate's month.

`?month=YYYY-MM` (CE) picks the month and `?day=YYYY-MM-DD` the day; links work without script, and
htmx swaps only the `#calendar` section (calendar/_month.html) when it is there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from engine.attendance.calendar_for import calendar_for
from engine.attendance.thai_calendar import CalendarMonth, parse_month
from engine.directory.access import visible_employee
from engine.errors import InvalidInput
from engine.models import Employee
from web.blueprint import bp
from web.i18n import page_language
from web.pages import Viewer, render_screen, signed_in

# The day statuses of engine/attendance/day_rules.py, as the legend names them (in this order).
STATUS_LABELS = {
    "late": _l("Late"),
    "left_early": _l("Left early"),
    "absent": _l("Absent"),
    "incomplete": _l("Incomplete"),
    "holiday": _l("Holiday"),
    "offsite_approved": _l("Approved off-site work"),
    "pending": _l("Pending verification"),
    "leave": _l("Leave"),
    "normal": _l("Normal"),
}
# Shown without a colour of their own, so not in the legend.
PLAIN_LABELS = {"weekend": _l("Weekend"), "future": _l("Not yet")}
DAY_IDS = "day-{:%Y-%m-%d}"


@dataclass(frozen=True)
class Cell:
    """One square of the six-week grid."""

    day: date
    in_month: bool
    info: dict | None  # the calendar's day (in the month only)
    today: bool
    selected: bool

    @property
    def status(self) -> str:
        return self.info["status"] if self.info else ""

    @property
    def status_label(self) -> str:
        labels = [str(STATUS_LABELS.get(s) or PLAIN_LABELS.get(s) or s)
                  for s in (self.info.get("statuses") or [self.status])] if self.info else []
        return ", ".join(labels)


def six_weeks(month: CalendarMonth, days: list[dict], *, today: date, selected: date | None) -> list[list[Cell]]:
    """42 days in weeks from Sunday: the month's days with their status, the neighbours' days greyed."""
    by_date = {d["date"]: d for d in days}
    start = month.first_day - timedelta(days=(month.first_day.weekday() + 1) % 7)
    cells = [Cell(day, day in by_date, by_date.get(day), day == today, day == selected)
             for day in (start + timedelta(days=i) for i in range(42))]
    return [cells[i:i + 7] for i in range(0, 42, 7)]


def _neighbour(month: CalendarMonth, step: int) -> CalendarMonth:
    index = month.year * 12 + month.month - 1 + step
    return CalendarMonth(index // 12, index % 12 + 1)


def _chosen_day(month: CalendarMonth, today: date) -> date | None:
    text = request.args.get("day")
    if not text:
        return today if month.first_day <= today <= month.last_day else None
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        chosen = None
    if chosen is None or not month.first_day <= chosen <= month.last_day:
        raise InvalidInput(f"day must be a date of {month} (YYYY-MM-DD), got {text!r}", code="day_invalid")
    return chosen


def hours_text(info: dict | None) -> str:
    """`08:45 - 16:30`, the holiday's name in the page's language, or nothing on a day without work hours."""
    if not info:
        return ""
    if info.get("hours"):
        return info["hours"].replace("–", " - ")
    if page_language() == "en" and info.get("holiday_name_en"):
        return info["holiday_name_en"]
    return info.get("holiday_name_th") or ""


def _screen(viewer: Viewer, employee: Employee, *, endpoint: str, **route):
    calendar = calendar_for(session=viewer.db, settings=viewer.settings, employee=employee,
                            month=request.args.get("month"))
    month = parse_month(calendar["month"])
    today = calendar["today"]
    chosen = _chosen_day(month, today)
    days = {d["date"]: d for d in calendar["days"]}

    def link(**query) -> str:
        return url_for(endpoint, **route, **query)

    return render_screen(
        "calendar/page.html", fragment="calendar/_month.html",
        calendar=calendar, month=month, weeks=six_weeks(month, calendar["days"], today=today, selected=chosen),
        chosen=chosen, chosen_day=days.get(chosen), today=today, employee=employee,
        own=employee.id == viewer.employee.id, link=link, day_id=DAY_IDS.format,
        previous_month=_neighbour(month, -1), next_month=_neighbour(month, 1),
        legend=STATUS_LABELS, hours_text=hours_text)


def dashboard(viewer: Viewer):
    """The screen after sign-in: the viewer's own calendar (at `/`)."""
    return _screen(viewer, viewer.employee, endpoint="web.calendar")


@bp.route("/calendar")
@signed_in
def calendar(viewer: Viewer):
    return _screen(viewer, viewer.employee, endpoint="web.calendar")


@bp.route("/employees/<string:code>/calendar")
@signed_in
def employee_calendar(viewer: Viewer, code: str):
    """A subordinate's calendar: for everyone above them, hr and admin; anyone else gets the 404 page."""
    employee = visible_employee(session=viewer.db, viewer=viewer.employee, code=code)
    return _screen(viewer, employee, endpoint="web.employee_calendar", code=employee.code)
