"""A report as an Excel workbook (XlsxWriter in constant-memory mode: each row is flushed as it is written,
so a 10,000-employee grid stays small in memory).

Layout: the title, then the organisation and the period, then the heading row (frozen, so it stays on screen),
the rows, the totals in bold, then the legend and the signature lines. Cells keep their type: dates are
Excel dates shown in the Buddhist era in Thai (`[$-107041E]`, Excel's Thai-locale Buddhist calendar), numbers
are numbers with a format by column kind.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter

from engine.reports.formats.rows import body_rows
from engine.reports.formats.wording import NO, SIGNATURE, YES, Wording
from engine.reports.table import Cell, Column, ReportTable

SHEET_NAME_MAX = 31
# Characters Excel refuses in a sheet name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADING_ROW = 2           # 0: title, 1: organisation and period, 2: headings
BUDDHIST_ERA = "[$-107041E]"
NUMBER_FORMATS = {
    "integer": "0",
    "minutes": "0",
    "decimal": "0.00",
    "hours": "0.00",
    "money": "#,##0.00",
    "time": "hh:mm",
}
DATE_FORMAT = "d/m/yyyy"
DATETIME_FORMAT = "d/m/yyyy hh:mm"


def sheet_name(title: str) -> str:
    """A sheet name Excel accepts: no `[]:*?/\\`, at most 31 characters, not blank."""
    cleaned = SHEET_NAME_FORBIDDEN.sub(" ", title).strip().strip("'")
    return cleaned[:SHEET_NAME_MAX].rstrip() or "Report"


def number_format(kind: str, wording: Wording) -> str | None:
    """The Excel number format of a column kind in this language (None: General)."""
    era = BUDDHIST_ERA if wording.thai else ""
    if kind == "date":
        return era + DATE_FORMAT
    if kind == "datetime":
        return era + DATETIME_FORMAT
    return NUMBER_FORMATS.get(kind)


class _Formats:
    """XlsxWriter formats, made once per workbook (each `add_format` is a style record in the file)."""

    def __init__(self, workbook: xlsxwriter.Workbook, columns: list[Column], wording: Wording) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.heading = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                            "valign": "top"})
        self.cells = []
        self.totals = []
        for column in columns:
            spec = {"num_format": number_format(column.kind, wording)} if number_format(column.kind, wording) else {}
            if column.kind == "status_code":
                spec["align"] = "center"
            self.cells.append(workbook.add_format(spec) if spec else None)
            self.totals.append(workbook.add_format({**spec, "bold": True, "top": 1}))


def _excel_value(value: Cell, wording: Wording):
    if isinstance(value, datetime):
        return wording.local(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_cell(sheet, row: int, col: int, value: Cell, cell_format, wording: Wording) -> None:
    value = _excel_value(value, wording)
    if value is None:
        if cell_format is not None:
            sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, datetime | date | time):
        sheet.write_datetime(row, col, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_string(row, col, wording.text(YES if value else NO), cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)


def render_xlsx(table: ReportTable, wording: Wording, *, progress=None) -> bytes:
    """The workbook's bytes; `progress(done, total)` is called every few thousand rows (background jobs)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    title = wording.text(table.title)
    sheet = workbook.add_worksheet(sheet_name(title))
    formats = _Formats(workbook, table.columns, wording)
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, column.width)
    sheet.freeze_panes(HEADING_ROW + 1, 0)
    sheet.write_string(0, 0, title, formats.title)
    sheet.write_string(1, 0, " · ".join(part for part in (table.organisation, wording.period(table.filters)) if part))
    for col, heading in enumerate(wording.headings(table.columns)):
        sheet.write_string(HEADING_ROW, col, heading, formats.heading)
    row_number = HEADING_ROW
    total = len(table.rows)
    done = 0
    for row, subtotal in body_rows(table):
        row_number += 1
        cell_formats = formats.totals if subtotal else formats.cells
        for col, column in enumerate(table.columns):
            _write_cell(sheet, row_number, col, row.get(column.key), cell_formats[col], wording)
        done += not subtotal
        if progress is not None and not subtotal and done % 2000 == 0:
            progress(done, total)
    if table.totals is not None:
        row_number += 1
        for col, column in enumerate(table.columns):
            _write_cell(sheet, row_number, col, table.totals.get(column.key), formats.totals[col], wording)
    if table.legend:
        row_number += 2
        for code, meaning in table.legend:
            row_number += 1
            sheet.write_string(row_number, 0, code)
            sheet.write_string(row_number, 1, wording.text(meaning))
    for line in table.signatures:
        row_number += 3
        sheet.write_string(row_number, 0, f"{wording.text(SIGNATURE)} ........................................")
        sheet.write_string(row_number + 1, 0, f"({wording.text(line)})")
        row_number += 1
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(HEADING_ROW)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return output.getvalue()
