"""Every report by the name the API and the web screens use, and the one entry point that builds one."""
from __future__ import annotations

from types import ModuleType

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.errors import InvalidInput, NotFound
from engine.models import Employee
from engine.reports import (attendance_grid, attendance_summary, daily_record, missed_punch, offsite, overtime,
                            overtime_claim)
from engine.reports.attendance_days import StaleDays, refresh_attendance_days, stale_days
from engine.reports.scope import report_scope
from engine.reports.table import Filters, ReportTable

REPORTS: dict[str, ModuleType] = {module.NAME: module for module in (
    overtime, offsite, missed_punch, attendance_summary, attendance_grid, daily_record, overtime_claim)}


def report_module(name: str) -> ModuleType:
    """The module of report `name`; 404 `report_not_found` for any other name."""
    try:
        return REPORTS[name]
    except KeyError:
        raise NotFound(f"There is no report named {name!r}; reports: {', '.join(REPORTS)}.",
                       code="report_not_found") from None


def checked_report(name: str, filters: Filters) -> ModuleType:
    """Report `name`, once `filters` suit it: a status it knows (422 `status_invalid`) and the period it
    is made for (its own `check`: one day, one month, at most 31 days)."""
    module = report_module(name)
    if filters.status is not None and filters.status not in module.STATUSES:
        allowed = ", ".join(module.STATUSES) or "none (this report has no status filter)"
        raise InvalidInput(f"status {filters.status!r} does not apply to the {name} report; allowed: {allowed}.",
                           code="status_invalid")
    check = getattr(module, "check", None)
    if check is not None:
        check(filters)
    return module


def _reads_days(module: ModuleType) -> bool:
    return getattr(module, "READS_DAYS", True)


def build_report(*, name: str, session: Session, viewer: Employee, filters: Filters,
                 settings: Settings) -> ReportTable:
    """Build report `name` for whom `viewer` may see (scope.py), after judging the period's stale days of
    those people into the projection when the report reads it."""
    module = checked_report(name, filters)
    scope = report_scope(session=session, viewer=viewer, filters=filters)
    if _reads_days(module):
        refresh_attendance_days(session=session, settings=settings, employee_ids=scope.employee_ids,
                                start=filters.start, end=filters.end)
    return module.build(session=session, viewer=viewer, filters=filters, settings=settings, scope=scope)


def days_to_judge(*, name: str, session: Session, viewer: Employee, filters: Filters,
                  settings: Settings) -> StaleDays:
    """The days building report `name` would judge before it can read the projection: a period the scheduler
    has not judged (an older month) can take a minute for a whole ministry. Filters that do not suit the
    report are refused here already, before any job is started for them."""
    module = checked_report(name, filters)
    if not _reads_days(module):
        return StaleDays({})
    scope = report_scope(session=session, viewer=viewer, filters=filters)
    return stale_days(session=session, settings=settings, employee_ids=scope.employee_ids, start=filters.start,
                      end=filters.end)
