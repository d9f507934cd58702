"""The report screens in Chromium: hr opens the grid from the menu's รายงาน, filters it, downloads a CSV at
once and a PDF through the background job (progress, then the link), with no accessibility problem; the
screenshots of the screen and of a PDF page go to docs/screenshots/."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.web_month import seed_known_month
from tests.support.report_tables import (FIXTURE_GRID_EMPLOYEES, register_fixture_reports,
                                         unregister_fixture_reports)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _for_the_readme(name: str) -> Path | None:
    """Where to put the README's copy: only when it is missing or `UPDATE_SCREENSHOTS=1` asks for a new one
    (a test run leaves the committed pictures alone)."""
    import os

    target = SCREENSHOTS / name
    return target if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not target.exists() else None


@pytest.fixture(autouse=True)
def fixture_reports():
    register_fixture_reports()
    yield
    unregister_fixture_reports()


def test_hr_opens_a_report_and_downloads_it(desktop_page, demo_org, sign_in, take_screenshot, tmp_path):
    page = sign_in(desktop_page, "hr")
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    page.get_by_role("dialog", name="เมนู").get_by_role("link", name="รายงาน").click()
    expect(page.get_by_role("heading", name="รายงาน", level=1)).to_be_visible()
    assert_accessible(page)

    # The fixture carries the real overtime report's title: pick it by its address.
    page.locator('a[href="/reports/fixture-overtime"]').click()
    page.get_by_label("ตั้งแต่วันที่").fill("2021-10-01")
    page.get_by_label("ถึงวันที่").fill("2021-10-15")
    page.get_by_role("button", name="แสดงรายงาน").click()
    expect(page.get_by_role("status").filter(has_text="แถวที่ 1–50 จาก 120")).to_be_visible()
    expect(page.get_by_text("1 ตุลาคม 2564 – 15 ตุลาคม 2564")).to_be_visible()
    expect(page.get_by_role("columnheader", name="รหัสบุคลากร")).to_be_visible()
    page.get_by_role("link", name="หน้าถัดไป").click()
    expect(page.get_by_role("status").filter(has_text="แถวที่ 51–100 จาก 120")).to_be_visible()
    assert "page=2" in page.url
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลด CSV").click()
    download = download_info.value
    assert download.suggested_filename == "fixture-overtime-2021-10-01_2021-10-15.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert rows[0][0] == "รหัสบุคลากร" and len(rows) == 1 + 120 + 1


def test_a_large_pdf_is_built_in_the_background_with_progress(desktop_page, demo_org, sign_in, take_screenshot,
                                                               tmp_path):
    page = sign_in(desktop_page, "hr")
    page.goto(page.url.split("/calendar")[0].rstrip("/") + "/reports/fixture-grid?month=2021-10")
    expect(page.get_by_role("heading", name="ตารางการลงเวลาประจำเดือน", level=3)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"จาก {FIXTURE_GRID_EMPLOYEES}")).to_be_visible()
    assert_accessible(page)
    shot = take_screenshot(page, "report-screen", full_page=False)
    if (target := _for_the_readme("report-screen.png")) is not None:
        shutil.copyfile(shot, target)

    page.get_by_role("button", name="ดาวน์โหลด PDF").click()
    expect(page.get_by_text("กำลังจัดทำไฟล์…").or_(page.get_by_text("ไฟล์พร้อมแล้ว"))).to_be_visible()
    expect(page.get_by_text("ไฟล์พร้อมแล้ว")).to_be_visible(timeout=120_000)   # htmx polled the job
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download = download_info.value
    assert download.suggested_filename == "fixture-grid-2021-10.pdf"
    pdf = tmp_path / "grid.pdf"
    shutil.copyfile(download.path(), pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    # pdftotext gives SARA AM (ำ) back as SARA AA (า): the font draws it as NIKHAHIT + SARA AA.
    assert "ตารางการลงเวลาประจำเดือน".replace("\u0e33", "\u0e32") in text and "สมชาย ใจดี" in text
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "report-pdf-page")], check=True)
    assert (tmp_path / "report-pdf-page.png").stat().st_size > 10_000
    if (target := _for_the_readme("report-pdf-page.png")) is not None:
        shutil.copyfile(tmp_path / "report-pdf-page.png", target)


def test_the_monthly_summary_on_screen_and_as_pdf(desktop_page, demo_org, sign_in, take_screenshot, session_factory,
                                                  tmp_path):
    """The real attendance summary of a month with punches of every kind, for the README."""
    known = seed_known_month(session_factory)
    page = sign_in(desktop_page, "hr")
    page.goto(page.url.split("/calendar")[0].rstrip("/") + "/reports")
    page.get_by_role("link", name="สรุปการลงเวลาประจำเดือน").click()
    page.get_by_label("เดือน", exact=True).select_option(f"{known.month.year:04d}-{known.month.month:02d}")
    page.get_by_role("button", name="แสดงรายงาน").click()
    expect(page.get_by_role("columnheader", name="รหัสบุคลากร")).to_be_visible()
    expect(page.get_by_role("cell", name="100059150")).to_be_visible()
    assert_accessible(page)
    shot = take_screenshot(page, "summary", full_page=False)
    if (target := _for_the_readme("report-summary.png")) is not None:
        shutil.copyfile(shot, target)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    pdf = tmp_path / "summary.pdf"
    shutil.copyfile(download_info.value.path(), pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Sarabun" in fonts
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "summary-page")], check=True)
    if (target := _for_the_readme("report-summary-pdf-page.png")) is not None:
        shutil.copyfile(tmp_path / "summary-page.png", target)
