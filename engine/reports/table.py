"""The shape every report produces and every format renders.

A report is a query plus a layout: it fills a `ReportTable`; the renderers (CSV, XLSX, PDF, JSON and the web
screen) know nothing about overtime or attendance, only about columns, rows and groups. Headings are message
ids, translated by the renderer in the asker's language, so one table serves Thai and English.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal, Union

# The kind of a column decides its XLSX number format, its CSV text and its alignment in the PDF.
ColumnKind = Literal["text", "integer", "decimal", "hours", "minutes", "money", "date", "datetime", "time",
                     "status_code"]

Cell = Union[str, int, Decimal, float, date, datetime, time, None]


@dataclass(frozen=True)
class Column:
    key: str            # stable, English, used as the JSON field name and CSV header id
    heading: str        # a message id (English), translated by the renderer
    kind: ColumnKind = "text"
    width: int = 12     # characters, for XLSX column widths and PDF proportions


@dataclass(frozen=True)
class Filters:
    """What the asker chose, already validated and checked against what they may see."""
    start: date
    end: date                    # inclusive
    unit_code: str | None = None
    include_subunits: bool = False
    employee_code: str | None = None
    status: str | None = None


@dataclass
class ReportTable:
    name: str                    # overtime, offsite, missed-punch, attendance-summary, attendance-grid, ...
    title: str                   # a message id
    filters: Filters
    columns: list[Column]
    rows: list[dict[str, Cell]] = field(default_factory=list)   # keyed by Column.key
    # Totals shown under the rows (same keys as columns; missing keys are blank).
    totals: dict[str, Cell] | None = None
    # A legend under the table, e.g. the grid's status codes: [(code, message id)].
    legend: list[tuple[str, str]] = field(default_factory=list)
    # Lines printed under the table for signatures (daily record, overtime claim), as message ids.
    signatures: list[str] = field(default_factory=list)
    organisation: str = ""
    # Rows come sorted by this column (e.g. the employee); `group_totals` holds the subtotal shown under
    # each group's last row, keyed by the group's value (same keys as columns). Renderers that ignore
    # them still show every row and the grand total.
    group_by: str | None = None
    group_totals: dict[Cell, dict[str, Cell]] = field(default_factory=dict)
