"""The rows a file shows, in order: each row, and after each group's last row its subtotal when the report
gives one (`ReportTable.group_by` and `group_totals`, e.g. an employee's month of overtime requests)."""
from __future__ import annotations

from typing import Iterator

from engine.reports.table import Cell, ReportTable

_NO_GROUP = object()


def body_rows(table: ReportTable) -> Iterator[tuple[dict[str, Cell], bool]]:
    """(row, is_subtotal) for every row and subtotal; a table without groups yields its rows alone."""
    group_by = getattr(table, "group_by", None)
    subtotals = getattr(table, "group_totals", None) or {}
    if not group_by or not subtotals:
        for row in table.rows:
            yield row, False
        return
    current = _NO_GROUP
    for row in table.rows:
        value = row.get(group_by)
        if current is not _NO_GROUP and value != current and current in subtotals:
            yield subtotals[current], True
        current = value
        yield row, False
    if current is not _NO_GROUP and current in subtotals:
        yield subtotals[current], True
