"""A report as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Thai as mojibake),
one heading row in the asker's language, then the rows (with group subtotals); totals as a last row. Dates are written as people
read them (Buddhist era in Thai), numbers without thousands separators so spreadsheets read them."""
from __future__ import annotations

import csv
import io

from engine.reports.formats.rows import body_rows
from engine.reports.formats.wording import Wording
from engine.reports.table import ReportTable

BOM = "\ufeff"


def render_csv(table: ReportTable, wording: Wording) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(wording.headings(table.columns))
    rows = [row for row, _ in body_rows(table)] + ([table.totals] if table.totals is not None else [])
    for row in rows:
        writer.writerow([wording.cell(row.get(column.key), column.kind) for column in table.columns])
    return buffer.getvalue().encode("utf-8")
