"""A long report's pages planned before WeasyPrint lays them out, so that its parts can be laid out at once.

WeasyPrint itself measures the report once, on a small calibration document: the report's own heading row,
a one-line row, a two-line row, a subtotal, the grand total, the legend and the signatures. That gives how
much of a page the rows may fill, each kind of row's height, and each column's width, type size and
wrapping. A row's lines are then estimated from its cells' text widths in Sarabun (fontTools advance widths:
Thai vowel and tone marks advance nothing, so the sum is what Pango shapes to, within kerning), and rows are
packed into pages.

The estimate errs tall: a page that ends a little short costs nothing, while a row that does not fit would
push every later page on. pdf_format.render_in_parts sees that by its part's page count and lays the report
out as one document instead, so a wrong guess costs time, never a wrong page number.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from markupsafe import Markup

from engine.reports.formats.fonts import BOLD, REGULAR
from engine.reports.formats.printed import PrintedReport

ONE_LINE, TWO_LINES, SUBTOTAL, TOTAL = "calibration-one-line", "calibration-two-lines", "calibration-subtotal", "total"
# A text within this share of its cell's width takes one line (kerning and rounding).
FIT = 0.97
# A line of Thai that breaks between words is counted as filling this much of its width.
THAI_FILL = 0.75
# Each line past the first is counted this much (CSS px) taller than a line break makes it: wrapped lines of
# mixed scripts came out up to half a pixel taller.
LINE_ALLOWANCE = 1.0
# Rows stop this far (CSS px) above the page's foot: room for the table's bottom border and rounding.
FOOT = 2.0
WRAPPING = {"normal", "pre-wrap", "pre-line", "break-spaces"}


class FontWidths:
    """Advance widths of a TrueType font, to measure text without laying it out."""

    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True)
        metrics = font["hmtx"].metrics
        self.per_em = font["head"].unitsPerEm
        self.advance = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
        # A character Sarabun lacks is drawn in a fallback font: counted as wide as an M.
        self.unknown = self.advance.get(ord("M"), self.per_em)

    def width(self, text: str, size: float) -> float:
        """The width of `text` (white space collapsed, as HTML shows it) at `size`, in the size's unit."""
        advance, unknown = self.advance, self.unknown
        return sum(advance.get(ord(character), unknown) for character in " ".join(text.split())) * size / self.per_em


@lru_cache(maxsize=None)
def _font(path: str) -> FontWidths:
    return FontWidths(Path(path))


@dataclass(frozen=True)
class Measures:
    """Lengths in CSS px, as WeasyPrint laid the calibration document out."""
    capacity: float          # of rows a page holds under its heading row
    row: float               # a one-line row
    line: float              # each further line of a row
    subtotal: float          # a one-line subtotal row
    total: float             # a one-line grand total row (0 without one)
    legend: float            # 0 without one
    signatures: float        # 0 without them
    widths: tuple[float, ...]   # each column's content width
    sizes: tuple[float, ...]    # each column's type size
    wraps: tuple[bool, ...]     # whether each column's text wraps


def calibration_sections(report: PrintedReport) -> list[dict]:
    """The one sheet WeasyPrint measures: a one-line row, a two-line row (a line break in its first cell),
    a subtotal and, when the report has one, the grand total."""
    columns = len(report.columns)
    one = ["0"] * columns
    two = [Markup("0<br/>0"), *one[1:]]
    return [{"rows": [(one, False), (two, False), (one, True)], "row_ids": [ONE_LINE, TWO_LINES, SUBTOTAL],
             "totals": one if report.totals is not None else None}]


def measure(document) -> Measures | None:
    """The measures read off the laid-out calibration document; None when it took more than one page."""
    if len(document.pages) != 1:
        return None
    # The laid-out boxes of the page (WeasyPrint's Page._page_box: WeasyPrint is pinned, see pyproject.toml).
    page = document.pages[0]._page_box
    boxes: dict[str, object] = {}
    for box in page.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("id"):
            boxes.setdefault(element.get("id"), box)   # the outermost box of each element comes first

    def top(name: str) -> float:
        return boxes[name].position_y

    after_table = top("legend" if "legend" in boxes else "signatures" if "signatures" in boxes else "end")
    has_total = TOTAL in boxes
    cells = list(boxes[ONE_LINE].children)
    row = top(TWO_LINES) - top(ONE_LINE)
    return Measures(
        capacity=page.content_box_y() + page.height - top(ONE_LINE) - FOOT,
        row=row, line=(top(SUBTOTAL) - top(TWO_LINES)) - row,
        subtotal=(top(TOTAL) if has_total else after_table) - top(SUBTOTAL),
        total=after_table - top(TOTAL) if has_total else 0.0,
        legend=(top("signatures" if "signatures" in boxes else "end") - top("legend")) if "legend" in boxes else 0.0,
        signatures=top("end") - top("signatures") if "signatures" in boxes else 0.0,
        widths=tuple(cell.width for cell in cells), sizes=tuple(cell.style["font_size"] for cell in cells),
        wraps=tuple(cell.style["white_space"] in WRAPPING for cell in cells))


def _thai(word: str) -> bool:
    return any("\u0e00" <= character <= "\u0e7f" for character in word)


def text_lines(text: str, width: float, size: float, font: FontWidths) -> int:
    """At least the lines `text` takes in a cell `width` wide. Words are laid as if unbreakable, each moving
    whole to the next line when it does not fit: the browser may also break Thai (written without spaces)
    between words inside a run, and a line breaking at more places never takes more lines. A word longer
    than a line is broken: Thai between its words, each line filling THAI_FILL of the width or more; Latin
    anywhere (`overflow-wrap: break-word`)."""
    limit, space = width * FIT, font.advance.get(ord(" "), 0) * size / font.per_em
    lines, used = 1, 0.0
    for word in text.split():
        needed = font.width(word, size)
        if used and used + space + needed <= limit:
            used += space + needed
            continue
        if used:
            lines += 1
        per_line = limit * THAI_FILL if _thai(word) else limit
        extra = math.ceil(needed / per_line) - 1 if needed > limit else 0   # lines a too-long word breaks onto
        lines += extra
        used = needed - extra * per_line
    return lines


def _lines(cells: list[str], measures: Measures, font: FontWidths) -> int:
    lines = 1
    for text, width, size, wraps in zip(cells, measures.widths, measures.sizes, measures.wraps):
        if wraps and text:   # a cell that does not wrap spills sideways, never downwards
            lines = max(lines, text_lines(text, width, size, font))
    return lines


@dataclass(frozen=True)
class Part:
    """A run of pages one process lays out: its sheets, how many pages it must come out with, and whether
    the legend and signatures follow."""
    sections: list[dict]
    first_page: int          # the number of its first page
    pages: int
    tail: bool


@dataclass(frozen=True)
class Plan:
    rows: list[tuple[list[str], bool]]
    totals: list[str] | None
    pages: list[list[int]]           # the indexes of each page's rows (the last page also has the total)
    legend_on_new_page: bool
    signatures_on_new_page: bool

    @property
    def page_count(self) -> int:
        return len(self.pages) + self.legend_on_new_page + self.signatures_on_new_page

    def parts(self, count: int) -> list[Part]:
        """The pages cut into at most `count` runs of about as many rows."""
        count = max(1, min(count, len(self.pages)))
        total_rows = len(self.rows)
        before, seen = [], 0            # rows on the pages before each page
        for rows in self.pages:
            before.append(seen)
            seen += len(rows)
        starts = [0]
        for run in range(1, count):
            share = run * total_rows / count
            start = next((number for number in range(starts[-1] + 1, len(self.pages)) if before[number] >= share),
                         len(self.pages))
            starts.append(max(starts[-1] + 1, min(start, len(self.pages) - (count - run))))
        runs = [range(start, end) for start, end in zip(starts, [*starts[1:], len(self.pages)])]
        parts = []
        for run, numbers in enumerate(runs):
            last = run == count - 1
            sections = [{"rows": [self.rows[index] for index in self.pages[page]],
                         "totals": self.totals if last and page == len(self.pages) - 1 else None}
                        for page in numbers]
            extra = (self.legend_on_new_page + self.signatures_on_new_page) if last else 0
            parts.append(Part(sections=sections, first_page=numbers[0] + 1, pages=len(numbers) + extra, tail=last))
        return parts


def plan(report: PrintedReport, measures: Measures | None) -> Plan | None:
    """Rows packed into pages by their estimated heights; the total stays with the last row, the legend
    and the signatures follow where they fit or start a page. None without measures."""
    if measures is None:
        return None
    regular, bold = _font(str(REGULAR)), _font(str(BOLD))
    pages: list[list[int]] = [[]]
    heights: list[float] = []
    used = 0.0
    for index, (cells, subtotal) in enumerate(report.rows):
        height = (measures.subtotal if subtotal else measures.row) + \
            (_lines(cells, measures, bold if subtotal else regular) - 1) * (measures.line + LINE_ALLOWANCE)
        if pages[-1] and used + height > measures.capacity:
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        heights.append(height)
        used += height
    if report.totals is not None:
        total = measures.total + (_lines(report.totals, measures, bold) - 1) * (measures.line + LINE_ALLOWANCE)
        if used + total > measures.capacity and len(pages[-1]) > 1:
            moved = pages[-1].pop()          # the total never stands alone at the top of a page
            pages.append([moved])
            used = heights[moved]
        used += total
    legend_on_new_page = bool(report.legend) and used + measures.legend > measures.capacity
    used = measures.legend if legend_on_new_page else used + measures.legend
    signatures_on_new_page = bool(report.signatures) and used + measures.signatures > measures.capacity
    return Plan(rows=report.rows, totals=report.totals, pages=pages, legend_on_new_page=legend_on_new_page,
                signatures_on_new_page=signatures_on_new_page)
