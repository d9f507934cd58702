"""A report as a PDF on A4 through WeasyPrint, from the Jinja template beside this module.

The Thai font is Sarabun from the `fontpkg-sarabun` package (OFL), loaded by `@font-face` and embedded
(subset) in every PDF, so the file reads the same on a machine without Thai fonts. Page numbers
(`หน้า 1 / 3`) come from CSS page counters; the organisation, the title and the period are a running header
on every page; tables wider than a portrait page (the day-by-day grid) are printed landscape.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
import fontpkg_sarabun
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

from engine.reports.formats.rows import body_rows
from engine.reports.formats.wording import DATE, LEGEND, NOTHING, PAGE, PRINTED, SIGNATURE, Wording
from engine.reports.table import ReportTable

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_FILES = Path(fontpkg_sarabun.ROOT) / "files"
# Sum of the columns' widths (characters) that still fits a portrait A4 page at 10 pt.
PORTRAIT_MAX_WIDTH = 110
# Beyond this the table switches to the small type of the grid.
COMPACT_MIN_WIDTH = 170


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


def report_html(table: ReportTable, wording: Wording, *, printed_at: datetime | None = None) -> str:
    """The HTML WeasyPrint lays out (also handy to look at in a browser)."""
    total_width = sum(column.width for column in table.columns) or 1
    columns = [{"heading": wording.text(column.heading), "kind": column.kind,
                "share": round(100 * column.width / total_width, 3)} for column in table.columns]

    def cells(row):
        return [wording.cell(row.get(column.key), column.kind, grouped=True) for column in table.columns]

    printed = ""
    if printed_at is not None:
        local = wording.local(printed_at)
        printed = f"{wording.text(PRINTED)} {wording.short_date(local.date())} {local:%H:%M}"
    return _environment.get_template("report.html").render(
        language=wording.language, title=wording.text(table.title), organisation=table.organisation,
        period=wording.period(table.filters), columns=columns, rows=((cells(row), subtotal) for row, subtotal in body_rows(table)),
        totals=cells(table.totals) if table.totals is not None else None,
        legend=[(code, wording.text(meaning)) for code, meaning in table.legend],
        signatures=[wording.text(line) for line in table.signatures],
        orientation="portrait" if total_width <= PORTRAIT_MAX_WIDTH else "landscape",
        compact=total_width >= COMPACT_MIN_WIDTH,
        font_regular=(FONT_FILES / "Sarabun-Regular.ttf").as_uri(), font_bold=(FONT_FILES / "Sarabun-Bold.ttf").as_uri(),
        page_word=wording.text(PAGE), printed=printed, nothing_word=wording.text(NOTHING),
        legend_word=wording.text(LEGEND), signature_word=wording.text(SIGNATURE),
        date_word=wording.text(DATE))


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


def _document(markup: str) -> HTML:
    try:
        return _ParsedReport(ElementTree.fromstring(markup))
    except ElementTree.ParseError:
        # Text XML refuses (a control character in a name, say) is still fine HTML.
        return HTML(string=markup, base_url=str(TEMPLATES))


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


def render_pdf(table: ReportTable, wording: Wording, *, printed_at: datetime | None = None) -> bytes:
    with _no_cycle_collection():
        return _document(report_html(table, wording, printed_at=printed_at)).write_pdf(stylesheets=[_css()])
