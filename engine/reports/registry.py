"""Every report by the name the API and the web screens use, and the one entry point that builds one."""
from __future__ import annotations

from types import ModuleType

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.errors import InvalidInput, NotFound
from engine.models import Employee
from engine.reports import (attendance_grid, attendance_summary, daily_record, missed_punch, offsite, overtime,
                            overtime_claim)
from engine.reports.attendance_days import StaleDays, stale_days
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


def build_report(*, name: str, session: Session, viewer: Employee, filters: Filters,
                 settings: Settings) -> ReportTable:
    """Build report `name`; a status filter must be one the report knows (422 `status_invalid`)."""
    module = report_module(name)
    if filters.status is not None and filters.status not in module.STATUSES:
        allowed = ", ".join(module.STATUSES) or "none (this report has no status filter)"
        raise InvalidInput(f"status {filters.status!r} does not apply to the {name} report; allowed: {allowed}.",
                           code="status_invalid")
    return module.build(session=session, viewer=viewer, filters=filters, settings=settings)


def days_to_judge(*, name: str, session: Session, viewer: Employee, filters: Filters,
                  settings: Settings) -> StaleDays:
    """The days building report `name` would judge before it can read the projection: a period the scheduler
    has not judged (an older month) can take a minute for a whole ministry."""
    if not getattr(report_module(name), "READS_DAYS", True):
        return StaleDays({})
    scope = report_scope(session=session, viewer=viewer, filters=filters)
    return stale_days(session=session, settings=settings, employee_ids=scope.employee_ids, start=filters.start,
                      end=filters.end)
