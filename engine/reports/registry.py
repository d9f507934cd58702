"""Which reports exist: their names (as in `GET /api/reports/{name}`), titles, period and filters, and where
each one's `build(*, session, viewer, filters, settings) -> ReportTable` lives (`engine/reports/<module>.py`).

The screens, the background jobs and the API look reports up here by name; an unknown name is a 404
problem. A report whose module is not there yet (built in another branch) is listed but not `available`.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Literal

from engine.errors import NotFound
from engine.reports.messages import N_
from engine.reports.table import ReportTable

Build = Callable[..., ReportTable]
# How the period is chosen on screen: a month, a date range (or a month), or one day.
PeriodKind = Literal["month", "range", "day"]
REQUEST_STATUSES = ("pending", "returned", "approved", "rejected", "cancelled")
STATUS_LABELS = {"pending": N_("Pending"), "returned": N_("Returned"), "approved": N_("Approved"),
                 "rejected": N_("Rejected"), "cancelled": N_("Cancelled")}


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str                      # a message id
    module: str                     # under engine.reports
    period: PeriodKind = "range"
    statuses: tuple[str, ...] = ()  # the status filter's choices; empty: no status filter


REPORTS = (
    ReportKind("overtime", N_("Overtime report"), "overtime", "range", REQUEST_STATUSES),
    ReportKind("offsite", N_("Off-site work report"), "offsite", "range", REQUEST_STATUSES),
    ReportKind("missed-punch", N_("Missed punch requests report"), "missed_punch", "range", REQUEST_STATUSES),
    ReportKind("attendance-summary", N_("Monthly attendance summary"), "attendance_summary", "month"),
    ReportKind("attendance-grid", N_("Monthly attendance grid"), "attendance_grid", "month"),
    ReportKind("daily-record", N_("Daily attendance record"), "daily_record", "day"),
    ReportKind("overtime-claim", N_("Overtime claim form"), "overtime_claim", "month"),
)
_BY_NAME = {kind.name: kind for kind in REPORTS}
# Builders set in code rather than found by module (tests, and reports added by a plug-in).
_registered: dict[str, tuple[ReportKind, Build]] = {}


class UnknownReport(NotFound):
    code = "report_unknown"


def register(kind: ReportKind, build: Build) -> None:
    """Serve `kind` with `build` (replacing any report of that name)."""
    _registered[kind.name] = (kind, build)


def unregister(name: str) -> None:
    _registered.pop(name, None)


def report_kind(name: str) -> ReportKind:
    """The report called `name`; an unknown one is `UnknownReport` (404)."""
    if name in _registered:
        return _registered[name][0]
    if name not in _BY_NAME:
        raise UnknownReport(f"There is no report called {name!r}.", names=[kind.name for kind in REPORTS])
    return _BY_NAME[name]


def builder(name: str) -> Build:
    """The `build` function of report `name`; `UnknownReport` when it does not exist (yet)."""
    if name in _registered:
        return _registered[name][1]
    kind = report_kind(name)
    try:
        module = importlib.import_module(f"engine.reports.{kind.module}")
    except ModuleNotFoundError as missing:
        if missing.name != f"engine.reports.{kind.module}":
            raise
        raise UnknownReport(f"The report {name!r} is not available.") from None
    return module.build


def available() -> list[ReportKind]:
    """The reports that can be built, in the order of the menu."""
    kinds = []
    for kind in [*REPORTS, *(kind for kind, _ in _registered.values() if kind.name not in _BY_NAME)]:
        try:
            builder(kind.name)
        except UnknownReport:
            continue
        kinds.append(_registered[kind.name][0] if kind.name in _registered else kind)
    return kinds
