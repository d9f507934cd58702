"""The month's attendance grid: one row per employee, one column per day holding the day's status as a short
Thai code (the legend under the table), as in the monthly sheets of other HR systems, from the `attendance_days`
projection."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import AttendanceDay, Employee
from engine.reports.messages import N_
from engine.reports.people import EMPLOYEE_COLUMNS, UNIT
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "attendance-grid"
TITLE = "Monthly attendance grid"
STATUSES = ()
MAX_DAYS = 31

# day_rules status → (short Thai code, legend message id). Future and pending days are left blank.
CODES = {
    "normal": ("ม", N_("Present")),
    "late": ("ส", N_("Late")),
    "left_early": ("ก", N_("Left early")),
    "absent": ("ข", N_("Absent")),
    "incomplete": ("ค", N_("Incomplete punches")),
    "offsite_approved": ("น", N_("Approved off-site work")),
    "leave": ("ล", N_("Leave")),
    "holiday": ("ห", N_("Public holiday")),
    "weekend": ("-", N_("Weekend")),
    "future": ("", N_("Not yet")),
    "pending": ("", N_("Not yet")),
}
LEGEND = [(code, label) for status, (code, label) in CODES.items() if code]


def day_key(index: int) -> str:
    return f"d{index + 1:02d}"


def check(filters: Filters) -> None:
    """422 `range_too_long` for more days than the grid has columns for."""
    from engine.errors import InvalidInput

    if (filters.end - filters.start).days + 1 > MAX_DAYS:
        raise InvalidInput(f"The grid shows at most {MAX_DAYS} days; ask for one month.", code="range_too_long")


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """The grid for the period (at most 31 days, one column each)."""
    days = [filters.start + timedelta(days=n) for n in range((filters.end - filters.start).days + 1)]
    # Two plain queries and the pivot in Python: one MAX(CASE …) per day made PostgreSQL hash 31 aggregates
    # per employee (about 4x slower for 10,000 people, bench/reports.py), and both dialects can run this.
    people = session.execute(
        select(Employee.id, Employee.code, Employee.name_th, func.coalesce(UNIT.name_th, "").label("unit"))
        .outerjoin(UNIT, UNIT.id == Employee.unit_id)
        .where(Employee.id.in_(scope.employee_ids),
               Employee.id.in_(select(AttendanceDay.employee_id)
                               .where(AttendanceDay.day.between(filters.start, filters.end))))
        .order_by(func.coalesce(UNIT.name_th, ""), Employee.code)).all()
    column_of = {day: n for n, day in enumerate(days)}
    statuses: dict[int, list[str]] = {}
    # Core, not the ORM's result processing: a row per employee-day, 300,000 for a ministry's month.
    for employee_id, day, status in session.connection().execute(
            select(AttendanceDay.employee_id, AttendanceDay.day, AttendanceDay.status)
            .where(AttendanceDay.employee_id.in_(scope.employee_ids),
                   AttendanceDay.day.between(filters.start, filters.end))):
        codes = statuses.get(employee_id)
        if codes is None:
            codes = statuses[employee_id] = [""] * len(days)
        codes[column_of[day]] = CODES.get(status, ("?", ""))[0]
    keys = [day_key(n) for n in range(len(days))]
    columns = [*EMPLOYEE_COLUMNS, *(Column(key, str(day.day), "status_code", 3) for key, day in zip(keys, days))]
    rows = []
    for employee_id, code, name, unit in people:
        row = {"employee_code": code, "employee_name": name, "unit": unit}
        row.update(zip(keys, statuses.get(employee_id, ())))
        rows.append(row)
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=columns, rows=rows, legend=LEGEND,
                       organisation=settings.organisation_name)
