"""The report screens over HTTP (no JavaScript): who sees them, filters in the query, paging, Thai with BE
dates, quick downloads answered at once, large ones sent to the job page, and problems as pages."""
from __future__ import annotations

import csv
import dataclasses
import io
import re
import time
from datetime import date
from urllib.parse import urljoin

import openpyxl
import pytest
from sqlalchemy import select

from engine.models import Employee
from engine.reports import jobs
from engine.reports.attendance_days import refresh_attendance_days

from tests.engine.reports.conftest import june  # noqa: F401 (fixture)
from tests.support.report_tables import (FIXTURE_GRID, FIXTURE_OVERTIME, THAI_NAMES, register_fixture_reports,
                                         unregister_fixture_reports)


@pytest.fixture(autouse=True)
def fixture_reports():
    register_fixture_reports()
    yield
    unregister_fixture_reports()


def _poll(fetch, *, ready: str, meanwhile: str, seconds: float):
    """Fetch a page every half second until it contains `ready`; until then it must contain `meanwhile`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch()
        if ready in page.text:
            return page
        assert meanwhile in page.text
        time.sleep(0.5)
    raise AssertionError(page.text)


def test_only_supervisors_hr_and_admin_see_reports(live_app, signed_in):
    employee, _ = signed_in("employee1")
    assert employee.get(f"{live_app.url}/reports").status_code == 404
    assert employee.get(f"{live_app.url}/reports/{FIXTURE_OVERTIME}").status_code == 404
    for who in ("supervisor", "hr"):
        client, _ = signed_in(who)
        page = client.get(f"{live_app.url}/reports")
        assert page.status_code == 200
        assert "รายงานการทำงานล่วงเวลา" in page.text and f"/reports/{FIXTURE_GRID}" in page.text


def test_a_report_on_screen_is_paged_with_thai_headings_and_buddhist_era(live_app, signed_in):
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/reports/{FIXTURE_OVERTIME}?from=2021-10-01&to=2021-10-15")
    assert page.status_code == 200
    assert "รหัสบุคลากร" in page.text and THAI_NAMES[0] in page.text
    assert "1 ตุลาคม 2564 – 15 ตุลาคม 2564" in page.text and "1/10/2564" in page.text
    assert "แถวที่ 1–50 จาก 120" in page.text and "หน้า 1 / 3" in page.text
    assert page.text.count("<tr>") == 1 + 50        # the heading row and one page
    last = hr.get(f"{live_app.url}/reports/{FIXTURE_OVERTIME}?from=2021-10-01&to=2021-10-15&page=3")
    assert "แถวที่ 101–120 จาก 120" in last.text and "รวม" in last.text   # the totals on the last page
    # the month list offers months by their Buddhist-era names
    assert re.search(r'<option value="\d{4}-\d{2}"[^>]*>[ก-๙]+ 25\d\d</option>', page.text)


def test_quick_downloads_are_answered_at_once(live_app, signed_in):
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/reports/{FIXTURE_OVERTIME}?month=2021-10&employee=100059150")
    links = dict(re.findall(r'<a class="button secondary" href="([^"]+format=(\w+)[^"]*)"', page.text)[i][::-1]
                 for i in range(3))
    assert set(links) == {"csv", "xlsx", "pdf"}
    csv_reply = hr.get(urljoin(live_app.url, links["csv"].replace("&amp;", "&")))
    assert csv_reply.status_code == 200 and "attachment" in csv_reply.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_reply.content.decode("utf-8-sig"))))
    assert rows[0][0] == "รหัสบุคลากร" and len(rows) == 1 + 2 + 1
    xlsx_reply = hr.get(urljoin(live_app.url, links["xlsx"].replace("&amp;", "&")))
    assert openpyxl.load_workbook(io.BytesIO(xlsx_reply.content)).worksheets[0].title == "รายงานการทำงานล่วงเวลา"


def test_a_large_download_goes_to_a_job_page_with_progress(live_app, signed_in):
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/reports/{FIXTURE_GRID}?month=2021-10")
    # 300 employees × 34 columns as a PDF is estimated above the few seconds: a form that asks for a job.
    form = re.search(r'<form method="post" action="([^"]+/jobs)">(.*?)</form>', page.text, re.S)
    assert form and 'value="pdf"' in form.group(2)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert fields["month"] == "2021-10"
    reply = hr.post(urljoin(live_app.url, form.group(1)), data=fields, allow_redirects=False, timeout=30)
    assert reply.status_code == 303 and "/reports/jobs/" in reply.headers["Location"]
    job_url = urljoin(live_app.url, reply.headers["Location"])
    job_page = _poll(lambda: hr.get(job_url), ready="ไฟล์พร้อมแล้ว", meanwhile="<progress", seconds=120)
    file_url = re.search(r'href="([^"]+/file)"', job_page.text).group(1)
    pdf = hr.get(urljoin(live_app.url, file_url))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # someone else's job is the one 404
    supervisor, _ = signed_in("supervisor")
    assert supervisor.get(job_url).status_code == 404


# Each filter a report cannot take, shown on its screen with the message in Thai (the default) and in English
# (the setting).
SCREEN_PROBLEMS = {
    "range_reversed": (f"{FIXTURE_OVERTIME}?from=2021-10-31&to=2021-10-01", 422,
                       "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น",
                       "The end date is before the start date. Choose an end date on or after the start date."),
    "range_too_long": (f"{FIXTURE_OVERTIME}?from=2020-01-01&to=2021-10-31", 422,
                       "ช่วงเวลายาวเกินไปสำหรับรายงานนี้",
                       "The period is too long for this report. Choose one month, or a shorter date range."),
    "date_invalid": (f"{FIXTURE_OVERTIME}?from=2021-02-30", 422, "อ่านวันที่นี้ไม่ได้",
                     "That date cannot be read. Choose the date with the date picker."),
    "status_invalid": ("missed-punch?status=lost", 422, "สถานะนี้ใช้กับรายงานนี้ไม่ได้",
                       "That status does not apply to this report. Choose a status from the list."),
}


def _in(language: str, client):
    client.cookies.set("opsta_lang", language)
    return client


@pytest.mark.parametrize("language", ["th", "en"])
def test_problems_are_pages_in_the_pages_language(live_app, signed_in, language):
    hr = _in(language, signed_in("hr")[0])
    for code, (address, status, thai, english) in SCREEN_PROBLEMS.items():
        page = hr.get(f"{live_app.url}/reports/{address}")
        assert page.status_code == status and f'data-problem-code="{code}"' in page.text, (code, page.text[-1500:])
        assert (thai if language == "th" else english) in page.text, code
        assert (english if language == "th" else thai) not in page.text, code
        assert 'class="card report-filters' in page.text, code   # under the form that can correct it
        fragment = hr.get(f"{live_app.url}/reports/{address}", headers={"HX-Request": "true"})
        assert fragment.status_code == status and '<section id="report-table"' in fragment.text  # htmx swaps it
        assert (thai if language == "th" else english) in fragment.text and "<html" not in fragment.text
    refused = _in(language, signed_in("supervisor")[0]).get(f"{live_app.url}/reports/{FIXTURE_GRID}?month=2021-10")
    assert refused.status_code == 403 and 'data-problem-code="report_forbidden"' in refused.text
    assert ("รายงานใช้ได้เฉพาะผู้บังคับบัญชา ฝ่ายบุคคล และผู้ดูแลระบบ" if language == "th" else
            "Reports are for supervisors, HR and admin. Ask HR for the report you need.") in refused.text
    # An unknown report is the one 404 page, as for anything not found or not open to the viewer.
    unknown = hr.get(f"{live_app.url}/reports/no-such-report")
    assert unknown.status_code == 404 and "report_not_found" not in unknown.text
    assert ("ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เปิดหน้านี้" if language == "th" else
            "This page does not exist or is not open to you.") in unknown.text


def _hr_job(session_factory, *, report: str, start: str, end: str, **values) -> int:
    """A job row of hr's as the worker leaves it (no worker runs here)."""
    from datetime import date

    from sqlalchemy import select

    from engine.models import Employee, ReportJob
    from engine.reports.jobs import filters_record
    from engine.reports.table import Filters

    with session_factory() as session:
        hr_id = session.scalar(select(Employee.id).where(Employee.code == "10201"))
        job = ReportJob(requested_by_id=hr_id, report=report, format="pdf", language="th", progress=0, attempts=1,
                        filters=filters_record(Filters(start=date.fromisoformat(start), end=date.fromisoformat(end))),
                        **values)
        session.add(job)
        session.commit()
        return job.id


# A job asked for through the API can fail with problems the screen's own filters never make.
JOB_FAILURES = {
    "report_needs_one_day": ("daily-record", "2021-10-01", "2021-10-05",
                             "รายงานนี้เป็นรายงานประจำวัน กรุณาเลือกวันเดียว",
                             "This report is for one day. Choose a single day."),
    "range_too_long": ("attendance-grid", "2021-10-01", "2021-12-31", "ช่วงเวลายาวเกินไปสำหรับรายงานนี้",
                       "The period is too long for this report. Choose one month, or a shorter date range."),
    "report_needs_month": ("overtime-claim", "2021-10-01", "2021-10-15", "รายงานนี้เป็นรายงานทั้งเดือน กรุณาเลือกเดือน",
                           "This report is for one whole month. Choose a month."),
    "unit_not_found": ("overtime", "2021-10-01", "2021-10-31", "มีหน่วยงานที่เลือกไม่มีอยู่แล้ว",
                       "One of the chosen units no longer exists. Reload the page and choose again."),
    "report_job_crashed": ("attendance-summary", "2021-10-01", "2021-10-31", "เกิดข้อขัดข้องระหว่างจัดทำไฟล์",
                           "Something went wrong while making the file. Ask for it again; if it fails again, "
                           "tell support the code below."),
}


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_failed_job_page_says_why_in_the_pages_language(live_app, signed_in, session_factory, language):
    hr = _in(language, signed_in("hr")[0])
    for code, (report, start, end, thai, english) in JOB_FAILURES.items():
        job_id = _hr_job(session_factory, report=report, start=start, end=end, state="failed", error_code=code,
                         error="the worker's English detail")
        page = hr.get(f"{live_app.url}/reports/jobs/{job_id}")
        assert page.status_code == 200 and f'data-problem-code="{code}"' in page.text, code
        assert ("จัดทำไฟล์ไม่สำเร็จ" if language == "th" else "The file could not be made.") in page.text
        assert (thai if language == "th" else english) in page.text, (code, page.text[-1500:])
        assert "the worker's English detail" not in page.text


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_file_not_ready_or_expired_is_a_page_that_says_so(live_app, signed_in, session_factory, language):
    hr = _in(language, signed_in("hr")[0])
    queued = _hr_job(session_factory, report="overtime", start="2021-10-01", end="2021-10-31", state="queued")
    expired = _hr_job(session_factory, report="overtime", start="2021-10-01", end="2021-10-31", state="expired")
    not_ready = hr.get(f"{live_app.url}/reports/jobs/{queued}/file")
    assert not_ready.status_code == 409 and 'data-problem-code="report_not_ready"' in not_ready.text
    assert ("ไฟล์ยังไม่พร้อม กรุณารอจนหน้าของไฟล์แจ้งว่าพร้อมแล้ว จึงดาวน์โหลด" if language == "th" else
            "The file is not ready yet. Wait until its page says it is ready, then download it.") in not_ready.text
    gone = hr.get(f"{live_app.url}/reports/jobs/{expired}/file")
    assert gone.status_code == 410 and 'data-problem-code="report_expired"' in gone.text
    assert ("ไฟล์นี้หมดอายุแล้ว กรุณาขอใหม่" if language == "th" else
            "This file has expired; ask for it again.") in gone.text


REAL_REPORTS = ("overtime", "offsite", "missed-punch", "attendance-summary", "attendance-grid", "daily-record",
                "overtime-claim")


@pytest.mark.parametrize("who", ["hr", "supervisor"])
def test_every_report_opens_on_screen_and_downloads_each_format(live_app, signed_in, who):
    from engine.reports.registry import REPORTS

    assert set(REAL_REPORTS) <= set(REPORTS)
    client, _ = signed_in(who)
    listing = client.get(f"{live_app.url}/reports").text
    for name in REAL_REPORTS:
        assert f'href="/reports/{name}"' in listing
        page = client.get(f"{live_app.url}/reports/{name}")
        assert page.status_code == 200, (name, page.text[-2000:])
        assert 'id="report-table"' in page.text
        for fmt in ("csv", "xlsx", "pdf"):
            link = re.search(rf'href="([^"]+/file\?[^"]*format={fmt}[^"]*)"', page.text) or \
                re.search(rf'href="(/reports/{name}/file\?format={fmt}[^"]*)"', page.text)
            if link is None:   # a large one: a job form instead
                assert f'value="{fmt}"' in page.text
                continue
            reply = client.get(urljoin(live_app.url, link.group(1).replace("&amp;", "&")))
            assert reply.status_code == 200, (name, fmt, reply.text[-1000:])
            assert reply.headers["Content-Disposition"].startswith("attachment")
            if fmt == "csv":
                assert reply.content.startswith(b"\xef\xbb\xbf")
            elif fmt == "xlsx":
                openpyxl.load_workbook(io.BytesIO(reply.content))
            else:
                assert reply.content.startswith(b"%PDF")


def test_the_summary_on_screen_shows_each_units_subtotal(live_app, signed_in, session_factory):
    from tests.support.web_month import seed_known_month

    known = seed_known_month(session_factory)
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/reports/attendance-summary?month={known.month.year:04d}-{known.month.month:02d}")
    assert page.status_code == 200
    rows = re.findall(r"<tr( class=\"subtotal\")?>", page.text)
    assert any(rows) and rows.count(' class="subtotal"') >= 1
    count = int(re.search(r"จาก (\d+)", page.text).group(1))
    assert len(rows) - 2 == count + rows.count(' class="subtotal"')   # headings, employees, subtotals, total



def test_a_download_of_days_not_judged_yet_goes_to_the_job_page(live_app, signed_in, june, session_factory,
                                                                  settings, monkeypatch):
    """Judging a period first can take a minute for a ministry: such a download is a job at once; once the
    days are judged, the same download is answered at once."""
    # As slow as a ministry's month: the demo people's 300 days of June are estimated at 300 s.
    monkeypatch.setattr(jobs, "SECONDS_PER_JUDGED_DAY", 1.0)
    hr, _ = signed_in("hr")
    url = f"{live_app.url}/reports/attendance-summary/file?month=2026-06&format=csv"
    reply = hr.get(url, allow_redirects=False)
    assert reply.status_code == 303 and "/reports/jobs/" in reply.headers["Location"]
    with session_factory() as session:
        refresh_attendance_days(session=session, settings=settings, employee_ids=select(Employee.id),
                                start=date(2026, 6, 1), end=date(2026, 6, 30))
    reply = hr.get(url, allow_redirects=False)
    assert reply.status_code == 200 and "attachment" in reply.headers["Content-Disposition"]


def test_a_report_of_days_not_judged_yet_waits_for_the_queue_then_shows(live_app, signed_in, june, monkeypatch):
    """On screen, an unjudged period is judged by the reports queue (in-process here) while the page says so
    and asks again; then the table comes."""
    monkeypatch.setattr(jobs, "SECONDS_PER_JUDGED_DAY", 1.0)
    hr, _ = signed_in("hr")
    url = f"{live_app.url}/reports/attendance-summary?month=2026-06"
    page = hr.get(url)
    assert page.status_code == 200
    assert "กำลังคำนวณการลงเวลาของช่วงนี้" in page.text and 'hx-trigger="every 2s"' in page.text
    assert "<table" not in page.text
    page = _poll(lambda: hr.get(url, headers={"HX-Request": "true"}), ready="<table",
                 meanwhile="กำลังคำนวณการลงเวลาของช่วงนี้", seconds=60)
    assert 'id="report-table"' in page.text and "every 2s" not in page.text


def test_a_report_too_large_for_a_pdf_says_so_instead_of_offering_one(live_app, signed_in, monkeypatch):
    """A PDF is laid out whole in memory: beyond OPSTA_REPORT_PDF_MAX_CELLS the screen offers Excel and CSV
    and says why, and a PDF asked for anyway is refused with the same advice, on the page and in the API."""
    context = live_app.app.extensions["opsta"]
    monkeypatch.setattr(context, "settings", dataclasses.replace(context.settings, report_pdf_max_cells=1_000))
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/reports/{FIXTURE_GRID}?month=2021-10")      # 300 rows × 34 columns
    assert "มีจำนวนแถวมากเกินกว่าจะทำเป็น PDF ได้" in page.text
    assert "ดาวน์โหลด PDF" not in page.text and "ดาวน์โหลด Excel (XLSX)" in page.text
    refused = hr.get(f"{live_app.url}/reports/{FIXTURE_GRID}/file?month=2021-10&format=pdf")
    assert refused.status_code == 422
    assert "รายงานนี้มีจำนวนแถวมากเกินกว่าจะทำเป็น PDF ได้" in refused.text
    small = hr.get(f"{live_app.url}/reports/{FIXTURE_OVERTIME}?month=2021-10&employee=100059150")
    assert "ดาวน์โหลด PDF" in small.text
