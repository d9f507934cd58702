"""The report screens in Chromium: hr opens a report from the menu's รายงาน, filters it, downloads a CSV at
once and a PDF through the background job (progress, then the link), with no accessibility problem.

The README's report pictures are made here from the demo data (what `make run` seeds), as hr, for the demo's
last full month: the summary on screen, a page of its PDF and a page of the day-by-day grid's PDF (pdftoppm).
They go to docs/screenshots/ with `OPSTA_README_SCREENSHOTS=1`:

    OPSTA_README_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/browser/test_reports_screen.py -k readme
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from engine.demo.organisation import seed_demo
from tests.support.accessibility import assert_accessible
from tests.support.report_tables import (FIXTURE_GRID_EMPLOYEES, register_fixture_reports,
                                         unregister_fixture_reports)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _for_the_readme(name: str) -> Path | None:
    """Where to put the README's copy, when `OPSTA_README_SCREENSHOTS=1` asks for new ones (as for the other
    screens' pictures); a plain test run leaves the committed pictures alone."""
    import os

    return SCREENSHOTS / name if os.environ.get("OPSTA_README_SCREENSHOTS") == "1" else None


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
    take_screenshot(page, "report-screen", full_page=False)

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


def _demo_last_full_month(session_factory, settings, live_app) -> date:
    """The demo as `make run` seeds it on the first of this month (so its 35 days of punches cover the whole
    month before, whatever the day the pictures are made); returns that month's first day."""
    live_app.app.extensions["opsta"].geofence.sites.invalidate()
    first_of_this_month = datetime.now(ZoneInfo(settings.timezone)).date().replace(day=1)
    with session_factory() as session:
        seed_demo(session=session, settings=settings, attendance=True, today=first_of_this_month)
    return (first_of_this_month - timedelta(days=1)).replace(day=1)


def _first_pdf_page(page, link_name: str, folder: Path, name: str) -> Path:
    """Download the report's PDF from its screen and turn its first page into `name`.png."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    pdf = folder / f"{name}.pdf"
    shutil.copyfile(download_info.value.path(), pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Sarabun" in fonts
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(folder / name)], check=True)
    return folder / f"{name}.png"


def test_the_readme_pictures_of_the_demos_last_full_month(desktop_page, clean_db, settings, live_app, sign_in,
                                                          take_screenshot, session_factory, tmp_path):
    """The summary on screen and as PDF, and the grid as PDF, of the month a newcomer sees after `make run`."""
    month = _demo_last_full_month(session_factory, settings, live_app)
    page = sign_in(desktop_page, "hr")
    page.goto(page.url.split("/calendar")[0].rstrip("/") + "/reports")
    page.get_by_role("link", name="สรุปการลงเวลาประจำเดือน").click()
    page.get_by_label("เดือน", exact=True).select_option(f"{month:%Y-%m}")
    page.get_by_role("button", name="แสดงรายงาน").click()
    expect(page.get_by_role("columnheader", name="รหัสบุคลากร")).to_be_visible()
    expect(page.get_by_role("cell", name="100059150")).to_be_visible()
    expect(page.get_by_role("cell", name="นายกิตติพัฒน์ สุขประเสริฐ")).to_be_visible()
    assert_accessible(page)
    shot = take_screenshot(page, "summary", full_page=True)
    if (target := _for_the_readme("report-summary.png")) is not None:
        shutil.copyfile(shot, target)
    summary_page = _first_pdf_page(page, "ดาวน์โหลด PDF", tmp_path, "summary-page")
    if (target := _for_the_readme("report-summary-pdf-page.png")) is not None:
        shutil.copyfile(summary_page, target)

    page.goto(page.url.split("/reports")[0] + f"/reports/attendance-grid?month={month:%Y-%m}")
    expect(page.get_by_role("cell", name="100059150")).to_be_visible()
    grid_page = _first_pdf_page(page, "ดาวน์โหลด PDF", tmp_path, "grid-page")
    text = subprocess.run(["pdftotext", str(tmp_path / "grid-page.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "นายกิตติพัฒน์ สุขประเสริฐ" in text
    if (target := _for_the_readme("report-pdf-page.png")) is not None:
        shutil.copyfile(grid_page, target)


def test_a_filter_problem_shows_its_message_under_the_form(desktop, desktop_page, demo_org, sign_in, take_screenshot):
    """The form swaps only the table with htmx: a reversed range still shows why, and the form stays usable."""
    desktop.tolerate(r"status of 422")   # the browser logs the refused filters' answer
    page = sign_in(desktop_page, "hr")
    page.goto(page.url.split("/calendar")[0].rstrip("/") + "/reports/overtime")
    page.get_by_label("ตั้งแต่วันที่").fill("2021-10-31")
    page.get_by_label("ถึงวันที่").fill("2021-10-01")
    page.get_by_role("button", name="แสดงรายงาน").click()
    expect(page.get_by_role("alert")).to_contain_text("วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น")
    assert_accessible(page)
    take_screenshot(page, "reversed-range")
    page.get_by_label("ถึงวันที่").fill("2021-11-15")
    page.get_by_role("button", name="แสดงรายงาน").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text("31 ตุลาคม 2564 – 15 พฤศจิกายน 2564")).to_be_visible()
