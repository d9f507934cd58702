"""The monthly attendance summary: per employee, subtotals per unit and a grand total, all SQL aggregates over
the attendance day projection (`attendance_days`) and approved overtime (`overtime_worked`).

- working days: days the person's schedule has work (leave and off-site days included);
- present: working days with at least one punch that counts;
- late / left early: days with that problem left after excuses, and their minutes;
- absent, incomplete: days with that problem left after excuses;
- holidays: public holidays (weekends are not counted);
- off-site days: working days covered by an approved off-site request;
- overtime hours: minutes of approved overtime actually worked, as hours;
- rejected selfies: punches left out because their selfie was rejected and hr did not accept them.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, case, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import ApprovalRequest, AttendanceDay, Employee, OvertimeWorked
from engine.reports.people import EMPLOYEE_COLUMNS, UNIT, hours
from engine.reports.scope import Scope
from engine.reports.table import Column, Filters, ReportTable

NAME = "attendance-summary"
TITLE = "Monthly attendance summary"
STATUSES = ()
FIGURES = [
    Column("working_days", "Working days", "integer", 8),
    Column("present", "Present", "integer", 8),
    Column("late", "Late (times)", "integer", 8),
    Column("late_minutes", "Late (minutes)", "minutes", 8),
    Column("left_early", "Left early (times)", "integer", 8),
    Column("early_minutes", "Left early (minutes)", "minutes", 8),
    Column("absent", "Absent", "integer", 8),
    Column("incomplete", "Incomplete", "integer", 8),
    Column("holidays", "Holidays", "integer", 8),
    Column("offsite_days", "Approved off-site days", "integer", 8),
    Column("overtime_hours", "Approved overtime hours", "hours", 8),
    Column("rejected_selfies", "Rejected selfie punches", "integer", 8),
]
COLUMNS = [*EMPLOYEE_COLUMNS, *FIGURES]


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _figures(scope_ids, filters: Filters):
    workday = AttendanceDay.kind == "workday"
    return [
        _count(workday).label("working_days"),
        _count(workday & AttendanceDay.present).label("present"),
        _count(AttendanceDay.late).label("late"),
        func.sum(AttendanceDay.late_minutes).label("late_minutes"),
        _count(AttendanceDay.left_early).label("left_early"),
        func.sum(AttendanceDay.early_minutes).label("early_minutes"),
        _count(AttendanceDay.absent).label("absent"),
        _count(AttendanceDay.incomplete).label("incomplete"),
        _count(AttendanceDay.kind == "holiday").label("holidays"),
        _count(AttendanceDay.offsite).label("offsite_days"),
        func.sum(AttendanceDay.rejected_selfies).label("rejected_selfies"),
    ]


def _overtime_minutes(scope_ids, filters: Filters):
    return (select(OvertimeWorked.employee_id, func.sum(OvertimeWorked.worked_minutes).label("minutes"))
            .join(ApprovalRequest, ApprovalRequest.id == OvertimeWorked.request_id)
            .where(ApprovalRequest.status == "approved", OvertimeWorked.employee_id.in_(scope_ids),
                   OvertimeWorked.work_date.between(filters.start, filters.end))
            .group_by(OvertimeWorked.employee_id).subquery("approved_overtime"))


COUNTED = [column.key for column in FIGURES if column.key != "overtime_hours"] + ["overtime"]


def _summary(session: Session, scope_ids, filters: Filters):
    """One statement, one pass over the projection: per employee (level 0), per unit (1) and in total (2),
    from a CTE of one row per employee; rows in level, unit, code order."""
    days = (select(AttendanceDay.employee_id, *_figures(scope_ids, filters))
            .where(AttendanceDay.employee_id.in_(scope_ids), AttendanceDay.day.between(filters.start, filters.end))
            .group_by(AttendanceDay.employee_id).subquery("employee_days"))
    overtime = _overtime_minutes(scope_ids, filters)
    per_employee = (
        select(func.coalesce(UNIT.name_th, "").label("unit"), Employee.code.label("code"),
               Employee.name_th.label("name_th"),
               *(cast(func.coalesce(getattr(days.c, key), 0), Integer).label(key) for key in COUNTED[:-1]),
               cast(func.coalesce(overtime.c.minutes, 0), Integer).label("overtime"))
        .select_from(Employee).join(days, days.c.employee_id == Employee.id)
        .outerjoin(overtime, overtime.c.employee_id == Employee.id)
        .outerjoin(UNIT, UNIT.id == Employee.unit_id)).cte("per_employee")
    figures = [per_employee.c[key] for key in COUNTED]

    def sums():
        return [cast(func.coalesce(func.sum(column), 0), Integer).label(column.key) for column in figures]

    levels = union_all(
        select(literal(0).label("level"), per_employee.c.unit, per_employee.c.code, per_employee.c.name_th, *figures),
        select(literal(1), per_employee.c.unit, literal(""), literal(""), *sums()).group_by(per_employee.c.unit),
        select(literal(2), literal(""), literal(""), literal(""), *sums()),
    ).subquery("levels")
    return session.execute(select(levels).order_by(levels.c.level, levels.c.unit, levels.c.code))


def _figures_of(row) -> dict:
    values = {column.key: getattr(row, column.key) for column in FIGURES if column.key != "overtime_hours"}
    values["overtime_hours"] = hours(row.overtime) or Decimal("0.00")
    return values


def build(*, session: Session, viewer: Employee, filters: Filters, settings: Settings,
          scope: Scope) -> ReportTable:
    """The summary for the period; rows by unit then employee code, a subtotal per unit."""
    rows, group_totals, totals = [], {}, None
    for r in _summary(session, scope.employee_ids, filters):
        if r.level == 0:
            rows.append({"employee_code": r.code, "employee_name": r.name_th, "unit": r.unit, **_figures_of(r)})
        elif r.level == 1:
            group_totals[r.unit] = {"unit": r.unit, **_figures_of(r)}
        else:
            totals = _figures_of(r)
    return ReportTable(name=NAME, title=TITLE, filters=filters, columns=COLUMNS, rows=rows, totals=totals, group_by="unit", group_totals=group_totals,
                       organisation=settings.organisation_name)
