"""Every format a report is delivered in: `render(table, fmt, language)` → (bytes, content type, file name).

    body, content_type, filename = render(table, "xlsx", "th")
    rendered = render(table, "pdf", "en"); rendered.content, rendered.media_type, rendered.filename

json for programs, csv for spreadsheets (UTF-8 with BOM), xlsx (typed cells, frozen headings), pdf (A4 to
print and sign). Each renderer knows only the `ReportTable` shape, never a particular report.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, NamedTuple

from engine.errors import InvalidInput
from engine.reports.formats.csv_format import render_csv
from engine.reports.formats.json_format import render_json
from engine.reports.formats.pdf_format import render_pdf
from engine.reports.formats.wording import Wording
from engine.reports.formats.xlsx_format import render_xlsx
from engine.reports.table import ReportTable

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)
# Formats people download as a file (json is the API's answer).
FILE_FORMATS = ("csv", "xlsx", "pdf")

Progress = Callable[[int, int], None]
# WeasyPrint keeps a whole PDF laid out in memory, about 17 KB and 1 ms of CPU a cell (a 10,000-row day-by-day
# grid took 6 GB, bench/reports.py): beyond this many cells a PDF is refused with advice instead of exhausting
# the worker. `OPSTA_REPORT_PDF_MAX_CELLS` changes it.
PDF_MAX_CELLS = 60_000


class UnknownFormat(InvalidInput):
    code = "report_format_unknown"


class TooLargeForPdf(InvalidInput):
    code = "report_too_large_for_pdf"


class Rendered(NamedTuple):
    """A rendered report: unpacks as (bytes, content type, file name)."""
    content: bytes
    media_type: str
    filename: str


def check_format(fmt: str) -> None:
    """422 `report_format_unknown` for a name that is no format."""
    if fmt not in CONTENT_TYPES:
        raise UnknownFormat(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}.", formats=list(FORMATS))


def fits_pdf(table: ReportTable, max_cells: int = PDF_MAX_CELLS) -> bool:
    return len(table.rows) * max(len(table.columns), 1) <= max_cells


def check_renderable(table: ReportTable, fmt: str, *, pdf_max_cells: int = PDF_MAX_CELLS) -> None:
    """422 `report_too_large_for_pdf` for a PDF of more than `pdf_max_cells` cells."""
    if fmt == "pdf" and not fits_pdf(table, pdf_max_cells):
        raise TooLargeForPdf(f"{len(table.rows):,} rows of {len(table.columns)} columns are too many for a PDF "
                             f"(at most {pdf_max_cells:,} cells): choose a unit or a shorter period, or download "
                             f"XLSX or CSV.", rows=len(table.rows), max_cells=pdf_max_cells)


def filename(table: ReportTable, fmt: str) -> str:
    """`overtime-2021-10.xlsx` for a whole month, `daily-record-2021-10-05.pdf` for a day, else from_to."""
    start, end = table.filters.start, table.filters.end
    if start == end:
        period = start.isoformat()
    elif start.day == 1 and (end + timedelta(days=1)).day == 1 and (end - start).days < 31:
        period = f"{start:%Y-%m}"
    else:
        period = f"{start.isoformat()}_{end.isoformat()}"
    return f"{table.name}-{period}.{fmt}"


def render(table: ReportTable, fmt: str, language: str = "th", *, timezone: str | None = None,
           printed_at: datetime | None = None, progress: Progress | None = None,
           pdf_max_cells: int = PDF_MAX_CELLS, pdf_processes: int = 0) -> Rendered:
    """The report as `fmt` in `language` (`th`: Buddhist-era dates, `en`: common era); aware datetimes are
    shown in `timezone`. An unknown format is an `UnknownFormat`, a PDF too large a `TooLargeForPdf` (422).
    `pdf_processes`: how many processes lay out a long PDF at once (0: one per CPU)."""
    check_format(fmt)
    check_renderable(table, fmt, pdf_max_cells=pdf_max_cells)
    wording = Wording(language, timezone)
    if fmt == "json":
        body = render_json(table, wording)
    elif fmt == "csv":
        body = render_csv(table, wording)
    elif fmt == "xlsx":
        body = render_xlsx(table, wording, progress=progress)
    else:
        body = render_pdf(table, wording, printed_at=printed_at, processes=pdf_processes)
    return Rendered(body, CONTENT_TYPES[fmt], filename(table, fmt))
