"""A report as a PDF on A4 through WeasyPrint, from the Jinja template beside this module.

The Thai font is Sarabun from the `fontpkg-sarabun` package (OFL), loaded by `@font-face` and embedded
(subset) in every PDF, so the file reads the same on a machine without Thai fonts. The organisation, the
title and the period are a running header on every page, the heading row repeats on every page, and the
grand total closes the table once; tables wider than a portrait page (the day-by-day grid) are printed
landscape.

A small report is laid out as one document, numbered by CSS page counters (`หน้า 1 / 3`). A long one is
paginated here first (pdf_pagination.py) and its pages laid out in parts by several processes at once
(pdf_parts.py), each page numbered in print; when a part does not come out with the pages planned for it,
the report is laid out again as one document, so the plan only ever decides how fast, never what is printed.
"""
from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import ImageFile

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which a truncated selfie or
# profile photo would be read as a padded picture instead of refused (face/intake.py). Our reports embed no
# images, so Pillow's own setting is put back.
_truncated_images = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.html import UA, UA_COUNTER_STYLE  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images

from engine.reports.formats import pdf_pagination, pdf_parts  # noqa: E402
from engine.reports.formats.fonts import BOLD, REGULAR  # noqa: E402
from engine.reports.formats.printed import PrintedReport, printed_report  # noqa: E402
from engine.reports.formats.wording import Wording  # noqa: E402
from engine.reports.table import ReportTable  # noqa: E402

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Rows (with subtotals) from which a report is laid out in parts, and the fewest rows a part gets: below
# these, starting processes and merging files would cost more than they save.
PARTS_MIN_ROWS = 200
ROWS_PER_PART_MIN = 100


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
_environment.filters["css_string"] = _css_string
_stylesheet: CSS | None = None


def _css() -> CSS:
    global _stylesheet  # parsed once per process: the stylesheet never changes
    if _stylesheet is None:
        _stylesheet = CSS(filename=str(TEMPLATES / "report.css"))
    return _stylesheet


def markup(report: PrintedReport, sections: list[dict] | None = None, *, tail: bool = True,
           legend_on_new_page: bool = False, signatures_on_new_page: bool = False,
           first_page: int | None = None, page_total: int | None = None, calibration: bool = False) -> str:
    """The HTML WeasyPrint lays out (also handy to look at in a browser). `sections`: one dict per sheet
    (`rows`, `totals`, `row_ids`), each after the first starting a page; by default one sheet of every row.
    `tail`: the legend and signatures follow the last sheet, each on a new page when asked. Pages are
    numbered `หน้า i / N` by CSS counters, from `first_page` and of `page_total` when given (a part).
    `calibration`: ids on what pdf_pagination.measure reads."""
    if sections is None:
        sections = [{"rows": report.rows, "totals": report.totals}]
    return _environment.get_template("report.html").render(
        language=report.language, title=report.title, organisation=report.organisation, period=report.period,
        columns=report.columns, sections=sections, first_page=first_page, page_total=page_total,
        calibration=calibration,
        legend=report.legend if tail else [], signatures=report.signatures if tail else [],
        legend_on_new_page=legend_on_new_page, signatures_on_new_page=signatures_on_new_page,
        orientation=report.orientation, compact=report.compact,
        font_regular=REGULAR.as_uri(), font_bold=BOLD.as_uri(),
        page_word=report.page_word, printed=report.printed, **report.words)


# WeasyPrint's user-agent stylesheet without its rules for pseudo-elements of every element (footnote and
# note calls and markers; list markers keep theirs): a report has none, yet each such rule gave each of its
# tens of thousands of elements one more style to compute.
_USER_AGENT_CSS = CSS(string="\n".join(
    ("li" + line) if line.startswith("::marker") else line
    for line in UA.splitlines() if not line.startswith("::") or line.startswith("::marker")),
    counter_style=UA_COUNTER_STYLE)


class _ParsedReport(HTML):
    """The report page as WeasyPrint's `HTML`, from a tree the C expat parser built.

    The template is well-formed XHTML, and tinyhtml5 (pure Python) spent about a tenth of a 1,000-row PDF
    parsing it. Sets what `HTML.__init__` would after parsing (WeasyPrint is pinned, see pyproject.toml)."""

    def __init__(self, root: ElementTree.Element):
        self.base_url = TEMPLATES.as_uri() + "/"
        self.url_fetcher = URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        return [_USER_AGENT_CSS]


def _document(html: str) -> HTML:
    try:
        return _ParsedReport(ElementTree.fromstring(html))
    except ElementTree.ParseError:
        # Text XML refuses (a control character in a name, say) is still fine HTML.
        return HTML(string=html, base_url=str(TEMPLATES))


def laid_out(html: str):
    """The HTML laid out in pages: a WeasyPrint `Document`."""
    return _document(html).render(stylesheets=[_css()])


def pdf_of(html: str) -> tuple[bytes, int]:
    """The HTML as a PDF, and how many pages it has (what a process of pdf_parts renders)."""
    with _no_cycle_collection():
        document = laid_out(html)
        return document.write_pdf(), len(document.pages)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while WeasyPrint runs: its millions of boxes and styles made every full
    collection scan them again (a fifth of a 1,000-row PDF), and what a report leaves behind is freed after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def part_count(rows: int, processes: int = 0) -> int:
    """How many parts a report of `rows` rows is laid out in: one per process allowed (`processes`, 0: the
    CPUs this process may use), each of at least ROWS_PER_PART_MIN rows, and one below PARTS_MIN_ROWS."""
    if rows < PARTS_MIN_ROWS:
        return 1
    allowed = processes or _cpus()
    return max(1, min(allowed, rows // ROWS_PER_PART_MIN))


def planned_pages(report: PrintedReport) -> pdf_pagination.Plan | None:
    """The report's pages as planned from a calibration document WeasyPrint laid out."""
    calibration = laid_out(markup(report, pdf_pagination.calibration_sections(report), calibration=True))
    return pdf_pagination.plan(report, pdf_pagination.measure(calibration))


def render_in_parts(report: PrintedReport, parts: int) -> bytes | None:
    """The report paginated here and laid out in `parts` processes at once, or None when a part came out
    with other pages than planned (an estimate of a row's height was short) or a process failed."""
    plan = planned_pages(report)
    if plan is None:
        return None
    jobs = plan.parts(parts)
    try:
        results = pdf_parts.run(pdf_of, [markup(report, job.sections, tail=job.tail, first_page=job.first_page,
                                                page_total=plan.page_count,
                                                legend_on_new_page=plan.legend_on_new_page,
                                                signatures_on_new_page=plan.signatures_on_new_page) for job in jobs])
    except pdf_parts.PartFailed as failure:
        log.warning("a PDF part failed (%s); laying the report out as one document", failure)
        return None
    pages, planned = [pages for _, pages in results], [job.pages for job in jobs]
    if pages != planned:
        log.info("a PDF part came out with other pages than planned (%s, planned %s); laying the report out "
                 "as one document", pages, planned)
        return None
    return pdf_parts.merged([body for body, _ in results])


def render_pdf(table: ReportTable, wording: Wording, *, printed_at: datetime | None = None,
               processes: int = 0) -> bytes:
    """The report as a PDF; `processes` caps how many lay a long one out at once (0: one per CPU)."""
    report = printed_report(table, wording, printed_at=printed_at)
    with _no_cycle_collection():
        parts = part_count(len(report.rows), processes)
        if parts > 1:
            body = render_in_parts(report, parts)
            if body is not None:
                return body
        return laid_out(markup(report)).write_pdf()
