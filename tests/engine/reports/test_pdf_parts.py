"""A long PDF laid out in parts by two processes reads as the same report laid out as one document:
the same text in the same order, every page numbered `หน้า i / N` in turn, no page left half empty where
one part ends, and the grand total printed once. A plan that does not hold, or a worker that fails, still
gives the whole report."""
from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest

from engine.reports.formats import pdf_format, pdf_pagination, pdf_parts
from engine.reports.formats.pdf_format import printed_report, render_in_parts, render_pdf
from engine.reports.formats.wording import Wording
from tests.support.report_tables import overtime_table

pytestmark = pytest.mark.database_free   # run once, in the PostgreSQL pass of `make test`

THAI = Wording("th", "Asia/Bangkok")
# Names long enough to wrap in their column, some onto three lines.
LONG_NAMES = ("นางสาวประภัสสรา ศรีสุวรรณวงศ์ ณ อยุธยา",
              "ว่าที่ร้อยตรีเกียรติศักดิ์ เจริญรุ่งเรืองกิจการค้าระหว่างประเทศ",
              "สมชาย ใจดี", "Mr. Christopher Alexander Montgomery-Whitfield")


def _pages_text(body: bytes, tmp_path) -> list[str]:
    """Each page's text, without whitespace."""
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def _rows_per_page(pages: list[str], codes: list[str]) -> list[int]:
    return [sum(code in page for code in codes) for page in pages]


def _long_table(rows: int, names=None):
    table = overtime_table(rows)
    if names:
        for number, row in enumerate(table.rows):
            row["employee_name"] = names[number % len(names)]
    return table


def _codes_in_order(pages: list[str], codes: list[str]) -> list[str]:
    """The employee codes as they come in the text, page after page."""
    found = []
    for page in pages:
        found += sorted((code for code in codes if code in page), key=page.index)
    return found


def _check_reads_as_one_report(table, body: bytes, one_document: bytes, tmp_path, *, page_word="หน้า",
                               heading="สถานะ", period="ตุลาคม2564") -> list[str]:
    pages, whole = _pages_text(body, tmp_path), _pages_text(one_document, tmp_path)
    codes = [row["employee_code"] for row in table.rows]
    assert _codes_in_order(pages, codes) == codes == _codes_in_order(whole, codes)   # each row once, in order
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"{page_word}{number}/{len(pages)}"), page[-60:]
        assert period in page                          # the period heads every page
        assert heading in page or not any(code in page for code in codes)   # and the heading row every table
    # Sheets begin afresh where WeasyPrint would continue one table, and the estimate errs tall: at most
    # one page more than one document needs.
    assert len(whole) <= len(pages) <= len(whole) + 1
    return pages


def test_a_long_report_in_parts_reads_as_the_same_report_in_one_document(tmp_path):
    table = _long_table(420)
    in_parts = render_in_parts(printed_report(table, THAI), 2)
    assert in_parts is not None, "the plan did not hold for plain one-line rows"
    pages = _check_reads_as_one_report(table, in_parts, render_pdf(table, THAI, processes=1), tmp_path)
    assert len(pages) >= 8
    per_page = _rows_per_page(pages, [row["employee_code"] for row in table.rows])
    assert per_page[:-1] == [max(per_page)] * (len(pages) - 1)      # no page left short where a part ends
    grand_total = f"{Decimal('3.50') * 420:,.2f}"
    assert "".join(pages).count(grand_total) == 1 and grand_total in pages[-1]
    assert "ลงชื่อ" in pages[-1] and "Certifier" in pages[-1]
    fonts_path = tmp_path / "fonts.pdf"
    fonts_path.write_bytes(in_parts)
    fonts = subprocess.run(["pdffonts", str(fonts_path)], check=True, capture_output=True, text=True).stdout
    assert all("Sarabun" in line and line.split()[-5] == "yes" for line in fonts.splitlines()[2:])   # embedded


def test_rows_that_wrap_onto_more_lines_are_planned_without_running_over_a_page(tmp_path):
    table = _long_table(300, LONG_NAMES)
    in_parts = render_in_parts(printed_report(table, THAI), 2)
    assert in_parts is not None, "a row ran over its planned page"
    _check_reads_as_one_report(table, in_parts, render_pdf(table, THAI, processes=1), tmp_path)


def test_english_pages_are_numbered_page_i_of_n_up_to_the_signatures(tmp_path):
    english = Wording("en", "Asia/Bangkok")
    for rows in range(260, 300, 3):     # one of these leaves no room for the signatures on the last sheet
        table = _long_table(rows)
        report = printed_report(table, english)
        if pdf_format.planned_pages(report).signatures_on_new_page:
            break
    else:
        pytest.fail("no length between 260 and 300 rows puts the signatures on a page of their own")
    pages = _check_reads_as_one_report(table, render_in_parts(report, 2), render_pdf(table, english, processes=1),
                                       tmp_path, page_word="Page", heading="Status", period="October2021")
    assert "Certifier" in pages[-1] and "100059" not in pages[-1]


def test_a_plan_that_does_not_hold_gives_the_report_as_one_document(tmp_path, monkeypatch, caplog):
    table = _long_table(260)
    expected = _pages_text(render_pdf(table, THAI, processes=1), tmp_path)
    monkeypatch.setattr(pdf_pagination, "FOOT", -400.0)    # pages planned far taller than A4
    assert render_in_parts(printed_report(table, THAI), 2) is None
    with caplog.at_level("INFO", logger=pdf_format.__name__):
        pages = _pages_text(render_pdf(table, THAI, processes=2), tmp_path)
    assert pages == expected
    assert "other pages than planned" in caplog.text


def test_a_worker_that_cannot_start_gives_the_report_as_one_document(tmp_path, monkeypatch, caplog):
    table = _long_table(260)
    expected = _pages_text(render_pdf(table, THAI, processes=1), tmp_path)

    def no_processes(workers):
        raise OSError("no processes here")

    monkeypatch.setattr(pdf_parts, "_executor", no_processes)
    with caplog.at_level("WARNING", logger=pdf_format.__name__):
        pages = _pages_text(render_pdf(table, THAI, processes=2), tmp_path)
    assert pages == expected
    assert "no processes here" in caplog.text


def test_short_reports_and_one_process_are_laid_out_as_one_document():
    assert pdf_format.part_count(pdf_format.PARTS_MIN_ROWS - 1, processes=4) == 1
    assert pdf_format.part_count(5_000, processes=1) == 1
    assert pdf_format.part_count(5_000, processes=3) == 3
    assert pdf_format.part_count(pdf_format.PARTS_MIN_ROWS, processes=8) == \
        pdf_format.PARTS_MIN_ROWS // pdf_format.ROWS_PER_PART_MIN
