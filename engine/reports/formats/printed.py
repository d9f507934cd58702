"""A report as printed matter: its words and cells in the asker's language, before any page is laid out
(what the PDF renderer and its page planner share)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.reports.formats.rows import body_rows
from engine.reports.formats.wording import DATE, LEGEND, NOTHING, PAGE, PRINTED, SIGNATURE, Wording
from engine.reports.table import ReportTable

# Sum of the columns' widths (characters) that still fits a portrait A4 page at 10 pt.
PORTRAIT_MAX_WIDTH = 110
# Beyond this the table switches to the small type of the grid.
COMPACT_MIN_WIDTH = 170


@dataclass
class PrintedReport:
    """A report's words and cells as they are printed, before any page is laid out."""
    language: str
    title: str
    organisation: str
    period: str
    columns: list[dict]                     # heading, kind, share (% of the table's width)
    rows: list[tuple[list[str], bool]]      # (cells, is_subtotal), in order
    totals: list[str] | None
    legend: list[tuple[str, str]]
    signatures: list[str]
    orientation: str
    compact: bool
    printed: str
    page_word: str
    words: dict[str, str] = field(default_factory=dict)


def printed_report(table: ReportTable, wording: Wording, *, printed_at: datetime | None = None) -> PrintedReport:
    total_width = sum(column.width for column in table.columns) or 1
    columns = [{"heading": wording.text(column.heading), "kind": column.kind,
                "share": round(100 * column.width / total_width, 3)} for column in table.columns]

    def cells(row):
        return [wording.cell(row.get(column.key), column.kind, grouped=True) for column in table.columns]

    printed = ""
    if printed_at is not None:
        local = wording.local(printed_at)
        printed = f"{wording.text(PRINTED)} {wording.short_date(local.date())} {local:%H:%M}"
    return PrintedReport(
        language=wording.language, title=wording.text(table.title), organisation=table.organisation,
        period=wording.period(table.filters), columns=columns,
        rows=[(cells(row), subtotal) for row, subtotal in body_rows(table)],
        totals=cells(table.totals) if table.totals is not None else None,
        legend=[(code, wording.text(meaning)) for code, meaning in table.legend],
        signatures=[wording.text(line) for line in table.signatures],
        orientation="portrait" if total_width <= PORTRAIT_MAX_WIDTH else "landscape",
        compact=total_width >= COMPACT_MIN_WIDTH, printed=printed, page_word=wording.text(PAGE),
        words={"nothing_word": wording.text(NOTHING), "legend_word": wording.text(LEGEND),
               "signature_word": wording.text(SIGNATURE), "date_word": wording.text(DATE)})
