"""Reports: the requests list, and every named report (`GET /api/reports/{name}`) in json, csv, xlsx or pdf."""
from datetime import datetime
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Response

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Day, Flag, Text
from api.blueprints.request_schemas import ReportOut, ReportQuery
from api.context import db, opsta
from engine.reports.filters import parse_filters
from engine.reports.formats import check_format, render
from engine.reports.registry import build_report, report_module
from engine.requests.reports import requests_report

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")


@blp.route("/requests")
@blp.arguments(ReportQuery, location="query")
@blp.response(200, ReportOut)
@login_required()
def requests(query):
    """Requests of every kind whose day(s) fall in [from, to]; overtime with actual vs planned hours."""
    items = requests_report(session=db(), viewer=current_employee(), timezone=opsta().settings.timezone,
                            type=query["type"], status=query["status"], start=query["from_"], end=query["to"])
    return {"items": items, "count": len(items)}


class NamedReportQuery(ma.Schema):
    month = Text(load_default=None, validate=ma.validate.Length(max=7),
                 metadata={"description": "YYYY-MM (CE); or give from/to; neither: this month"})
    from_ = Day(load_default=None, data_key="from", metadata={"description": "first day (ISO date)"})
    to = Day(load_default=None, metadata={"description": "last day, inclusive (ISO date)"})
    unit = Text(load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "unit code"})
    include_subunits = Flag(load_default=False)
    employee = Text(load_default=None, validate=ma.validate.Length(max=16), metadata={"description": "employee code"})
    status = Text(load_default=None, validate=ma.validate.Length(max=16),
                  metadata={"description": "request status (overtime, offsite, missed-punch)"})
    format = Text(load_default="json", validate=ma.validate.Length(max=8), metadata={"description": "json, csv, xlsx, pdf"})
    language = Text(load_default="th", validate=ma.validate.OneOf(("th", "en")))


@blp.route("/<string:name>")
@blp.arguments(NamedReportQuery, location="query")
@login_required()
def named_report(query, name):
    """One report (overtime, offsite, missed-punch, attendance-summary, attendance-grid, daily-record,
    overtime-claim) for a month or a date range, a unit (with its sub-units), an employee and a status.

    Problems: 404 `report_not_found`, `unit_not_found`, `employee_not_found`; 403 `report_forbidden`;
    422 `report_format_unknown`, `range_reversed`, `month_invalid`, `period_ambiguous`, `status_invalid`,
    `report_needs_one_day`, `report_needs_month`, `report_too_large_for_pdf` (a PDF of more than
    `OPSTA_REPORT_PDF_MAX_CELLS` cells).
    """
    report_module(name)
    check_format(query["format"])
    settings = opsta().settings
    filters = parse_filters(today=datetime.now(ZoneInfo(settings.timezone)).date(), month=query["month"],
                            start=query["from_"], end=query["to"], unit_code=query["unit"],
                            include_subunits=query["include_subunits"], employee_code=query["employee"],
                            status=query["status"])
    table = build_report(name=name, session=db(), viewer=current_employee(), filters=filters, settings=settings)
    rendered = render(table, query["format"], query["language"], timezone=settings.timezone,
                      pdf_max_cells=settings.report_pdf_max_cells, pdf_processes=settings.report_pdf_processes)
    reply = Response(rendered.content, mimetype=rendered.media_type)
    if query["format"] != "json":
        reply.headers["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return reply
