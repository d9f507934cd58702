"""Each format read back by a reader of that format: csv (with its BOM), openpyxl, pdftotext and pdffonts."""
from __future__ import annotations

import csv
import gc
import io
import json
import subprocess
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import pytest

from engine.errors import InvalidInput
from engine.reports.formats import CONTENT_TYPES, TooLargeForPdf, fits_pdf, render
from engine.reports.formats.xlsx_format import sheet_name
from engine.reports.table import Column, Filters, ReportTable
from tests.support.report_tables import ORGANISATION, THAI_NAMES, grid_table, overtime_table

pytestmark = pytest.mark.database_free   # run once, in the PostgreSQL pass of `make test`

THAI_HEADINGS = ("รหัสบุคลากร", "ชื่อ", "วันที่")


def _pdf_text(body: bytes, tmp_path) -> str:
    """The PDF's text without any whitespace: a heading wrapped in its cell still reads as one word."""
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(text.split())


def _squeezed(text: str) -> str:
    """`text` as pdftotext gives it back: no whitespace, and SARA AM (ำ) as SARA AA (า), because the font draws
    ำ as NIKHAHIT + SARA AA and pdftotext keeps only the second."""
    return "".join(text.split()).replace("\u0e33", "\u0e32")


def _pdf_fonts(body: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(body)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    return [line.split() for line in lines[2:]]


def _pages(body: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_csv_has_a_bom_thai_headings_and_buddhist_era_dates():
    body, content_type, filename = render(overtime_table(), "csv", "th", timezone="Asia/Bangkok")
    assert body.startswith(b"\xef\xbb\xbf")
    assert content_type == "text/csv; charset=utf-8" and filename == "overtime-2021-10.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == list(THAI_HEADINGS)
    first = dict(zip(rows[0], rows[1]))
    assert first["ชื่อ"] == THAI_NAMES[0]
    assert first["วันที่"] == "1/10/2564"
    assert first[rows[0][4]] == "1/10/2564 17:05"    # 10:05 UTC shown in Bangkok
    assert rows[1][5] == "3.50" and rows[1][7] == "1175.00"   # no thousands separator for spreadsheets
    assert rows[-1][1] == "รวม" and rows[-1][7] == "3525.00"
    assert len(rows) == 1 + 3 + 1


def test_csv_in_english_has_common_era_dates():
    body, _, _ = render(overtime_table(), "csv", "en")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Employee code", "Name", "Date"]
    assert rows[1][2] == "1/10/2021"


def test_xlsx_read_back_by_openpyxl(tmp_path):
    body, content_type, filename = render(overtime_table(), "xlsx", "th", timezone="Asia/Bangkok")
    assert content_type == CONTENT_TYPES["xlsx"] and filename.endswith(".xlsx")
    (tmp_path / filename).write_bytes(body)
    workbook = openpyxl.load_workbook(tmp_path / filename)
    sheet = workbook.worksheets[0]
    assert sheet.title == "รายงานการทำงานล่วงเวลา"
    assert sheet.freeze_panes == "A4"
    assert sheet["A1"].value == "รายงานการทำงานล่วงเวลา"
    assert sheet["A2"].value == f"{ORGANISATION} · ตุลาคม 2564"
    assert [cell.value for cell in sheet[3]][:3] == list(THAI_HEADINGS)
    assert sheet["A4"].value == "100059150" and sheet["B4"].value == THAI_NAMES[0]
    assert sheet["C4"].value == datetime(2021, 10, 1)                # a real date, not text
    assert sheet["C4"].number_format == "[$-107041E]d/m/yyyy"       # shown in the Buddhist era
    assert sheet["D4"].value == time(16, 30) and sheet["D4"].number_format == "hh:mm"
    assert sheet["E4"].value == datetime(2021, 10, 1, 17, 5)          # moved to Bangkok time
    assert sheet["F4"].value == 3.5 and sheet["F4"].number_format == "0.00"
    assert sheet["G4"].value == 12 and sheet["G4"].number_format == "0"
    assert sheet["H4"].value == 1175 and sheet["H4"].number_format == "#,##0.00"
    assert sheet["H7"].value == 3525 and sheet["H7"].font.b      # the totals row, bold
    assert sheet.column_dimensions["B"].width == pytest.approx(22, abs=1)
    column_values = [row[0] for row in sheet.iter_rows(min_row=8, values_only=True)]
    assert "อ" in column_values                                     # the legend under the table
    assert any(value and value.startswith("ลงชื่อ") for value in column_values)   # a signature line


def test_xlsx_in_english_has_plain_dates(tmp_path):
    body, _, _ = render(overtime_table(), "xlsx", "en")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.title == "Overtime report"
    assert sheet["C4"].number_format == "d/m/yyyy"


def test_sheet_names_fit_excel_rules():
    assert sheet_name("a/b:c*d?e[f]g\\h") == "a b c d e f g h"
    long = "รายงานคำขอกรณีที่ไม่สามารถบันทึกเวลาได้"
    assert len(sheet_name(long)) == 31 and long.startswith(sheet_name(long))
    assert sheet_name("  ") == "Report"


def test_a_wide_grid_xlsx_keeps_every_row(tmp_path):
    body, _, filename = render(grid_table(2500), "xlsx", "th")
    assert filename == "attendance-grid-2021-10.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=4, max_row=2503, values_only=True))
    assert len(rows) == 2500 and rows[-1][0] == "100002499"
    assert len(rows[0]) == 2 + 31 + 1


def test_pdf_text_has_thai_headings_names_period_and_page_numbers(tmp_path):
    body, content_type, filename = render(overtime_table(80), "pdf", "th", timezone="Asia/Bangkok")
    assert content_type == "application/pdf" and filename == "overtime-2021-10.pdf"
    pages = _pages(body, tmp_path)
    assert pages >= 2
    text = _pdf_text(body, tmp_path)
    for heading in THAI_HEADINGS:
        assert heading in text
    for name in THAI_NAMES:
        assert _squeezed(name) in text
    assert "ตุลาคม2564" in text and "1/10/2564" in text
    assert _squeezed(ORGANISATION) in text
    assert f"หน้า1/{pages}" in text and f"หน้า{pages}/{pages}" in text
    assert text.count("ตุลาคม2564") >= pages   # the period heads every page
    assert "ลงชื่อ" in text and "Certifier" in text and _squeezed("คำอธิบายสัญลักษณ์") in text
    assert text.count("94,000.00") == 1      # the grand total closes the table once, not every page


def test_pdf_embeds_its_fonts(tmp_path):
    body, _, _ = render(overtime_table(), "pdf", "th")
    fonts = _pdf_fonts(body, tmp_path)
    assert fonts, "the PDF names no font"
    assert all("Sarabun" in font[0] for font in fonts)
    # Columns: name, type (1-2 words), encoding, emb, sub, uni, object, id: emb is the 5th from the end.
    assert all(font[-5] == "yes" for font in fonts)


def test_a_grid_pdf_is_landscape_with_a_legend(tmp_path):
    body, _, _ = render(grid_table(40), "pdf", "th")
    path = tmp_path / "grid.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    width, height = (float(value) for value in next(
        line for line in info.splitlines() if line.startswith("Page size:")).split()[2:5:2])
    assert width > height and round(width) == 842    # A4 landscape in points
    text = _pdf_text(body, tmp_path)
    assert "มาสาย" in text and "ขาดงาน" in text


def test_every_meaning_in_the_grids_legend_reads_in_thai():
    from engine.reports.attendance_grid import LEGEND
    from engine.reports.formats.wording import Wording

    untranslated = [meaning for _, meaning in LEGEND if Wording("th").text(meaning) == meaning]
    assert not untranslated   # an English word in a Thai file ("Public holiday" once was)


def test_pdf_in_english_has_common_era_and_page_words(tmp_path):
    body, _, _ = render(overtime_table(), "pdf", "en")
    text = _pdf_text(body, tmp_path)
    assert "October2021" in text and "Page1/1" in text and "Employeecode" in text


def test_pdf_reads_back_names_with_markup_characters_and_control_characters(tmp_path):
    # `&`/`<` go through the fast XML parse escaped; a control character XML refuses takes the HTML parser.
    table = overtime_table(2)
    table.rows[0]["employee_name"] = "ร้าน A&B <สาขา 1>"
    table.rows[1]["employee_name"] = "นาย\x0bสมชาย ใจดี"
    text = _pdf_text(render(table, "pdf", "th").content, tmp_path)
    assert "ร้านA&B<สาขา1>" in text
    assert "สมชาย" in text and _squeezed("ใจดี") in text


def test_a_pdf_leaves_the_cycle_collector_as_it_found_it():
    render(overtime_table(), "pdf", "th")
    assert gc.isenabled()
    gc.disable()
    try:
        render(overtime_table(), "pdf", "th")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_json_has_iso_dates_and_translated_headings():
    body, content_type, _ = render(overtime_table(), "json", "th")
    document = json.loads(body)
    assert content_type == "application/json"
    assert document["title"] == "รายงานการทำงานล่วงเวลา" and document["period"] == "ตุลาคม 2564"
    assert document["name"] == "overtime" and document["count"] == 3
    assert document["columns"][0] == {"key": "employee_code", "heading": "รหัสบุคลากร", "heading_id": "Employee code",
                                      "kind": "text", "width": 10}
    assert document["legend"][0] == {"code": "อ", "label": "อนุมัติแล้ว"}
    row = document["rows"][0]
    assert row["work_date"] == "2021-10-01" and row["planned_start"] == "16:30"
    assert row["decided_at"] == "2021-10-01T10:05:00+00:00"
    assert row["actual_hours"] == 3.5 and row["amount"] == 1175
    assert document["totals"]["amount"] == 3525
    assert document["filters"] == {"from": "2021-10-01", "to": "2021-10-31", "unit": "MOC-OPS",
                                   "include_subunits": False, "employee": None, "status": None}


def test_an_unknown_format_is_refused():
    with pytest.raises(InvalidInput) as refused:
        render(overtime_table(), "docx", "th")
    assert refused.value.code == "report_format_unknown"


def test_file_names_follow_the_period():
    table = overtime_table()
    from dataclasses import replace
    table.filters = replace(table.filters, start=date(2021, 10, 5), end=date(2021, 10, 5))
    assert render(table, "csv", "th")[2] == "overtime-2021-10-05.csv"
    table.filters = replace(table.filters, start=date(2021, 10, 5), end=date(2021, 11, 4))
    assert render(table, "csv", "th")[2] == "overtime-2021-10-05_2021-11-04.csv"


def _grouped_table():
    """Two employees' overtime, each followed by their subtotal (the reports' group_by / group_totals)."""
    table = overtime_table(4)
    for number, row in enumerate(table.rows):
        row["employee_code"] = "A" if number < 2 else "B"
    table.group_by = "employee_code"
    table.group_totals = {"A": {"employee_name": "รวม A", "amount": Decimal("2350.00")},
                          "B": {"employee_name": "รวม B", "amount": Decimal("2350.00")}}
    return table


def test_group_subtotals_follow_each_group_in_csv_and_xlsx():
    rows = list(csv.reader(io.StringIO(render(_grouped_table(), "csv", "th").content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == [THAI_NAMES[0], THAI_NAMES[1], "รวม A", THAI_NAMES[2], THAI_NAMES[3],
                                            "รวม B", "รวม"]
    sheet = openpyxl.load_workbook(io.BytesIO(render(_grouped_table(), "xlsx", "th").content)).worksheets[0]
    assert sheet["B6"].value == "รวม A" and sheet["B6"].font.b and not sheet["B5"].font.b
    assert sheet["H6"].value == 2350


def test_a_rendered_report_unpacks_and_names_its_parts():
    rendered = render(overtime_table(), "csv", "th")
    body, content_type, name = rendered
    assert (body, content_type, name) == (rendered.content, rendered.media_type, rendered.filename)


def test_a_pdf_of_more_cells_than_the_limit_is_refused_with_advice():
    table = ReportTable(name="overtime", title="Overtime report", filters=Filters(start=date(2026, 6, 1),
                                                                                  end=date(2026, 6, 30)),
                        columns=[Column("a", "A", "integer", 5), Column("b", "B", "integer", 5)],
                        rows=[{"a": n, "b": n} for n in range(6)])
    assert fits_pdf(table, 12) and not fits_pdf(table, 11)
    with pytest.raises(TooLargeForPdf) as refused:
        render(table, "pdf", pdf_max_cells=11)
    assert refused.value.code == "report_too_large_for_pdf" and refused.value.status == 422
    assert "download XLSX or CSV" in refused.value.detail
    assert render(table, "xlsx", pdf_max_cells=11).content[:2] == b"PK"     # other formats have no limit
    assert render(table, "pdf", pdf_max_cells=12).content.startswith(b"%PDF")
