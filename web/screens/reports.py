"""Reports (`รายงาน`): the list of reports, one report on screen with its filters and a page of its table,
its downloads (CSV, XLSX, PDF), and the page of a file built in the background with its progress.

For supervisors (their reporting line), hr and admin (everyone); others get the one 404. A download
that would take longer than `report_background_seconds` goes to the `reports` queue: the button then
asks for a job and the job page follows its progress (htmx polls it; without script a link reloads it).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from math import ceil

from flask import redirect, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from api.context import opsta
from engine.attendance.thai_calendar import CalendarMonth
from engine.directory.profile import local_today
from engine.directory.service import list_units
from engine.errors import InvalidInput
from engine.reports.filters import parse_filters
from engine.reports.attendance_days import StaleDays
from engine.reports.formats import FILE_FORMATS, check_renderable, fits_pdf, render
from engine.reports.formats.rows import body_rows
from engine.reports.formats.wording import Wording
from engine.reports.jobs import (filters_of, judging_runs_in_background, prepare_report_days, report_file, report_job,
                                 runs_in_background, send_report_job, start_report_job)
from engine.reports.registry import REPORTS, build_report, days_to_judge, report_module
from engine.reports.table import Filters, ReportTable
from web.blueprint import bp
from web.i18n import page_language
from web.menu import report_readers
from web.pages import Viewer, render_screen, signed_in
from web.problems import message_for_code, problem_of

PAGE_SIZE = 50
MONTHS_OFFERED = 24
# Titles (message ids, the same as the reports' TITLE) and how each report's period is chosen on screen.
REPORT_TITLES = {
    "overtime": _l("Overtime report"),
    "offsite": _l("Off-site work report"),
    "missed-punch": _l("Missed punch requests report"),
    "attendance-summary": _l("Monthly attendance summary"),
    "attendance-grid": _l("Monthly attendance grid"),
    "daily-record": _l("Daily attendance record"),
    "overtime-claim": _l("Overtime claim form"),
}
PERIODS = {"attendance-summary": "month", "attendance-grid": "month", "overtime-claim": "month",
           "daily-record": "day"}
STATUS_LABELS = {"pending": _l("Pending"), "returned": _l("Returned"), "approved": _l("Approved"),
                 "rejected": _l("Rejected"), "cancelled": _l("Cancelled")}
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF"}


def _allowed(viewer: Viewer) -> None:
    if not report_readers(viewer):
        raise NotFound()


@dataclass(frozen=True)
class ReportEntry:
    name: str
    title: str
    period: str
    statuses: tuple[str, ...]


def _entry(name: str) -> ReportEntry:
    module = report_module(name)
    title = REPORT_TITLES.get(name)
    return ReportEntry(name, str(title) if title is not None else Wording(page_language()).text(module.TITLE),
                       getattr(module, "PERIOD", PERIODS.get(name, "range")), tuple(module.STATUSES))


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD).", code="date_invalid") from None


def _filters(entry: ReportEntry, args, today: date) -> Filters:
    """The filters of the form (a query string): a month, a range, or a day, with unit, employee, status."""
    month = args.get("month") or None
    start, end = _day(args.get("from"), "from"), _day(args.get("to"), "to")
    if entry.period == "day":
        start = end = _day(args.get("day"), "day") or today
        month = None
    elif entry.period == "month" or not (start or end):
        start = end = None
        month = month or f"{today:%Y-%m}"
    else:
        month = None
    return parse_filters(today=today, month=month, start=start, end=end, unit_code=args.get("unit") or None,
                         include_subunits=args.get("include_subunits") in ("1", "on", "true"),
                         employee_code=(args.get("employee") or "").strip() or None,
                         status=(args.get("status") or None) if entry.statuses else None)


def _query(filters: Filters, entry: ReportEntry) -> dict:
    """The filters as the form's fields, for links (paging, downloads, back from a job)."""
    start, end = filters.start, filters.end
    if entry.period == "day":
        fields = {"day": start.isoformat()}
    elif (start.day, end) == (1, CalendarMonth(start.year, start.month).last_day):
        fields = {"month": f"{start:%Y-%m}"}
    else:
        fields = {"from": start.isoformat(), "to": end.isoformat()}
    fields.update({key: value for key, value in (("unit", filters.unit_code), ("employee", filters.employee_code),
                                                 ("status", filters.status)) if value})
    if filters.include_subunits:
        fields["include_subunits"] = "1"
    return fields


def _months(today: date, chosen: date, wording: Wording) -> list[tuple[str, str]]:
    """The last two years of months, newest first, and the chosen one if older, labelled as the page reads
    them (BE in Thai)."""
    months, year, month = [], today.year, today.month
    for _ in range(MONTHS_OFFERED):
        months.append((f"{year:04d}-{month:02d}", wording.month_title(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    if f"{chosen:%Y-%m}" not in dict(months):
        months.append((f"{chosen:%Y-%m}", wording.month_title(chosen.year, chosen.month)))
    return months


def _units(viewer: Viewer) -> list:
    """The units offered: every unit for hr and admin, the viewer's own unit and those below it for others."""
    units = list_units(session=viewer.db)
    if viewer.has_role("hr", "admin"):
        return units
    own = next((unit for unit in units if unit.id == viewer.employee.unit_id), None)
    return [unit for unit in units if own is not None and own.code in unit.path]


def _days_left(viewer: Viewer, name: str, filters: Filters) -> StaleDays | None:
    """The days still to judge when judging them first would keep the request waiting (a period nobody has
    reported on yet, an older month: a minute for a ministry); None when the report can be built now."""
    stale = days_to_judge(name=name, session=viewer.db, viewer=viewer.employee, filters=filters,
                          settings=viewer.settings)
    return stale if judging_runs_in_background(stale=stale, settings=viewer.settings) else None


def _build(viewer: Viewer, name: str, filters: Filters) -> ReportTable:
    return build_report(name=name, session=viewer.db, viewer=viewer.employee, filters=filters,
                        settings=viewer.settings)


@bp.route("/reports")
@signed_in
def reports(viewer: Viewer):
    _allowed(viewer)
    return render_screen("reports/list.html", entries=[_entry(name) for name in REPORTS])


@bp.route("/reports/<name>")
@signed_in
def report(viewer: Viewer, name: str):
    _allowed(viewer)
    entry = _entry(name)
    today = local_today(viewer.settings)
    wording = Wording(page_language(), viewer.settings.timezone)
    try:
        filters = _filters(entry, request.args, today)
        pending = _days_left(viewer, name, filters)
        if pending is not None:
            # An older month of a large office: its days are judged by the reports queue while the page waits.
            prepare_report_days(session=viewer.db, queue=opsta().report_queue, requester=viewer.employee,
                                report=name, filters=filters)
            return render_screen("reports/report.html", fragment="reports/_preparing.html", preparing=True,
                                 days=pending.count, title=entry.title, period=wording.period(filters),
                                 **_form_context(viewer, entry, filters, today, wording))
        table = _build(viewer, name, filters)
    except InvalidInput as refused:
        # Filters the report cannot take: the screen again with why in the table's place, so that the form
        # can be corrected (htmx swaps only the table: an error page there would show nothing).
        filters = _form_filters(entry, request.args, today)
        return render_screen("reports/report.html", fragment="reports/_table.html", status=refused.status,
                             problem=problem_of(refused),
                             **_form_context(viewer, entry, filters, today, wording))
    # Pages of lines: the rows with each group's subtotal after its last row, as in the files.
    lines = list(body_rows(table))
    pages = max(1, ceil(len(lines) / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = lines[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    before = sum(1 for _, subtotal in lines[:(page - 1) * PAGE_SIZE] if not subtotal)
    shown_rows = sum(1 for _, subtotal in shown if not subtotal)
    query = _query(filters, entry)
    downloads = [{"format": fmt, "label": FORMAT_LABELS[fmt],
                  "background": runs_in_background(rows=len(table.rows), columns=len(table.columns), fmt=fmt,
                                                   settings=viewer.settings),
                  "too_large": fmt == "pdf" and not fits_pdf(table, viewer.settings.report_pdf_max_cells),
                  "url": url_for("web.report_file", name=name, format=fmt, **query)} for fmt in FILE_FORMATS]
    return render_screen(
        "reports/report.html", fragment="reports/_table.html", **_form_context(viewer, entry, filters, today, wording),
        title=wording.text(table.title), period=wording.period(filters), organisation=table.organisation,
        headings=wording.headings(table.columns), kinds=[column.kind for column in table.columns],
        rows=[([wording.cell(row.get(column.key), column.kind, grouped=True) for column in table.columns], subtotal)
              for row, subtotal in shown],
        totals=([wording.cell(table.totals.get(column.key), column.kind, grouped=True) for column in table.columns]
                if table.totals is not None and page == pages else None),
        legend=[(code, wording.text(meaning)) for code, meaning in table.legend],
        count=len(table.rows), page=page, pages=pages, first=before + 1 if shown_rows else before,
        last=before + shown_rows,
        page_url=lambda number: url_for("web.report", name=name, **query, page=number), downloads=downloads)


def _form_filters(entry: ReportEntry, args, today: date) -> Filters:
    """What the form shows when the filters asked for were refused: this month (or today), with the unit,
    employee and status as they were sent."""
    start, end = today.replace(day=1), CalendarMonth(today.year, today.month).last_day
    if entry.period == "day":
        start = end = today
    return Filters(start=start, end=end, unit_code=args.get("unit") or None,
                   include_subunits=args.get("include_subunits") in ("1", "on", "true"),
                   employee_code=(args.get("employee") or "").strip() or None, status=args.get("status") or None)


def _form_context(viewer: Viewer, entry: ReportEntry, filters: Filters, today: date, wording: Wording) -> dict:
    """What the filter form needs: the chosen filters, the months, units and statuses offered."""
    return dict(entry=entry, filters=filters, query=_query(filters, entry), form=request.args,
                months=_months(today, filters.start, wording), units=_units(viewer),
                statuses=[(status, STATUS_LABELS.get(status, status)) for status in entry.statuses])


def _file_asked(viewer: Viewer, name: str, values) -> tuple[str, Filters]:
    """The format and filters of a file asked for (query or form), after the viewer's access is checked."""
    _allowed(viewer)
    entry = _entry(name)
    fmt = values.get("format", "")
    if fmt not in FILE_FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FILE_FORMATS)}.", code="report_format_unknown")
    return fmt, _filters(entry, values, local_today(viewer.settings))


@bp.route("/reports/<name>/file", endpoint="report_file")
@signed_in
def report_file_download(viewer: Viewer, name: str):
    """A file answered at once (the screen links here only for files quick to make)."""
    fmt, filters = _file_asked(viewer, name, request.args)
    if _days_left(viewer, name, filters) is not None:
        return _start_job(viewer, name, fmt, filters)
    table = _build(viewer, name, filters)
    check_renderable(table, fmt, pdf_max_cells=viewer.settings.report_pdf_max_cells)   # before any job
    if runs_in_background(rows=len(table.rows), columns=len(table.columns), fmt=fmt, settings=viewer.settings):
        return _start_job(viewer, name, fmt, filters)
    rendered = render(table, fmt, page_language(), timezone=viewer.settings.timezone,
                      pdf_max_cells=viewer.settings.report_pdf_max_cells,
                      pdf_processes=viewer.settings.report_pdf_processes)
    return send_file(io.BytesIO(rendered.content), mimetype=rendered.media_type, as_attachment=True,
                     download_name=rendered.filename, max_age=0)


def _start_job(viewer: Viewer, name: str, fmt: str, filters: Filters):
    job = start_report_job(session=viewer.db, requester=viewer.employee, report=name, fmt=fmt,
                           language=page_language(), filters=filters)
    send_report_job(session=viewer.db, queue=opsta().report_queue, job=job)
    return redirect(url_for("web.report_job_page", job_id=job.id), 303)


@bp.route("/reports/<name>/jobs", methods=["POST"])
@signed_in
def report_job_start(viewer: Viewer, name: str):
    """A large file: asked for here, built by the `reports` queue, followed on the job page."""
    fmt, filters = _file_asked(viewer, name, request.form)
    return _start_job(viewer, name, fmt, filters)


@bp.route("/reports/jobs/<int:job_id>")
@signed_in
def report_job_page(viewer: Viewer, job_id: int):
    job = report_job(session=viewer.db, requester=viewer.employee, job_id=job_id)
    wording = Wording(page_language(), viewer.settings.timezone)
    start, end = job.period
    return render_screen("reports/job.html", fragment="reports/_job.html", job=job,
                         title=str(REPORT_TITLES.get(job.report, job.report)),
                         period=wording.period(Filters(start=start, end=end)),
                         format_label=FORMAT_LABELS.get(job.format, job.format),
                         error_message=message_for_code(job.error_code) if job.state == "failed" else None,
                         back=_back_to_report(job))


def _back_to_report(job) -> str | None:
    """The report screen with the job's filters (None when the report is gone)."""
    if job.report not in REPORTS:
        return None
    return url_for("web.report", name=job.report, **_query(filters_of(job.filters), _entry(job.report)))


@bp.route("/reports/jobs/<int:job_id>/file")
@signed_in
def report_job_file(viewer: Viewer, job_id: int):
    job, path = report_file(session=viewer.db, requester=viewer.employee, job_id=job_id, settings=viewer.settings)
    return send_file(path, mimetype=job.content_type, as_attachment=True, download_name=job.file_name, max_age=0)
