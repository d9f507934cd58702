"""A report as JSON for programs: field names are the columns' keys, dates ISO 8601, headings translated."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

from engine.reports.formats.wording import Wording
from engine.reports.table import Cell, ReportTable


def json_value(value: Cell):
    """ISO dates and times (datetimes keep their offset), numbers as numbers."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def _row(row: dict[str, Cell], keys: list[str]) -> dict:
    return {key: json_value(row.get(key)) for key in keys}


def as_document(table: ReportTable, wording: Wording) -> dict:
    """The report as one JSON-ready dict (the API's `format=json` answer)."""
    keys = [column.key for column in table.columns]
    filters = table.filters
    group_totals = getattr(table, "group_totals", None) or {}
    return {
        "name": table.name,
        "title": wording.text(table.title),
        "title_id": table.title,
        "organisation": table.organisation,
        "period": wording.period(filters),
        "filters": {"from": filters.start.isoformat(), "to": filters.end.isoformat(), "unit": filters.unit_code,
                    "include_subunits": filters.include_subunits, "employee": filters.employee_code,
                    "status": filters.status},
        "columns": [{"key": column.key, "heading": wording.text(column.heading), "heading_id": column.heading,
                     "kind": column.kind, "width": column.width} for column in table.columns],
        "rows": [_row(row, keys) for row in table.rows],
        "count": len(table.rows),
        "totals": _row(table.totals, keys) if table.totals is not None else None,
        "group_by": getattr(table, "group_by", None),
        "group_totals": [_row(subtotal, keys) for subtotal in group_totals.values()],
        "legend": [{"code": code, "label": wording.text(meaning)} for code, meaning in table.legend],
        "signatures": [wording.text(line) for line in table.signatures],
    }


def render_json(table: ReportTable, wording: Wording) -> bytes:
    return json.dumps(as_document(table, wording), ensure_ascii=False).encode("utf-8")
