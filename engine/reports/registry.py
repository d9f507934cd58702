"""Every report by the name the API and the web screens use, and the one entry point that builds one.

Each report is a module `engine/reports/<module>.py` with `NAME`, `TITLE` (a message id), `STATUSES` (the
status filter's choices, empty for none) and `build(*, session, viewer, filters, settings) -> ReportTable`.
(The reports-data branch owns this module; this copy has the same interface and lists only the report
modules that exist, so the formats, jobs and screens can be built and tested before the reports land.)
"""
from __future__ import annotations

import importlib
from types import ModuleType

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.errors import InvalidInput, NotFound
from engine.models import Employee
from engine.reports.table import Filters, ReportTable

MODULES = ("overtime", "offsite", "missed_punch", "attendance_summary", "attendance_grid", "daily_record",
           "overtime_claim")


def _present_modules() -> dict[str, ModuleType]:
    found = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"engine.reports.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"engine.reports.{name}":
                raise
            continue
        found[module.NAME] = module
    return found


REPORTS: dict[str, ModuleType] = _present_modules()


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
