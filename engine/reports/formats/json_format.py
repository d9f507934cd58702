"""A `ReportTable` as JSON: the columns (key, heading message id, kind), rows keyed by column, totals, legend."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, time
from decimal import Decimal

from engine.reports.table import ReportTable


def _cell(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_document(table: ReportTable) -> dict:
    """The JSON document of `table` (also what the web screens can read)."""
    def cells(row):
        return {key: _cell(value) for key, value in row.items()} if row is not None else None

    return {
        "name": table.name, "title": table.title, "organisation": table.organisation,
        "filters": {key: _cell(value) for key, value in asdict(table.filters).items()},
        "columns": [asdict(column) for column in table.columns],
        "rows": [cells(row) for row in table.rows], "count": len(table.rows),
        "totals": cells(table.totals), "group_by": table.group_by,
        "group_totals": [cells(subtotal) for subtotal in table.group_totals.values()],
        "legend": [{"code": code, "label": label} for code, label in table.legend],
        "signatures": table.signatures,
    }


def render(table: ReportTable, language: str) -> bytes:
    # Headings stay message ids in JSON: a client translates them (or reads the csv/xlsx/pdf).
    return json.dumps(as_document(table), ensure_ascii=False).encode("utf-8")
