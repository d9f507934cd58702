"""Report files built in the background over HTTP (in-process broker): 202 with the job's address, progress,
the file read back by openpyxl, only for the one who asked, refusals as failed jobs, and expiry."""
import io
import time
from datetime import timedelta

import openpyxl
import pytest

from engine.db import utcnow
from engine.reports.jobs import expire_report_files
from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.report_tables import (FIXTURE_GRID, FIXTURE_GRID_EMPLOYEES, register_fixture_reports,
                                         unregister_fixture_reports)
from tests.support.settings import make_settings


@pytest.fixture(scope="module")
def jobs_settings(database_url, tmp_path_factory):
    return make_settings(database_url, data_dir=str(tmp_path_factory.mktemp("report-data")))


@pytest.fixture(scope="module")
def jobs_app(jobs_settings):
    register_fixture_reports()
    with serving(jobs_settings) as server:
        yield server
    server.app.extensions["opsta"].report_queue.stop()
    unregister_fixture_reports()


@pytest.fixture
def client_for(jobs_app, demo_org):
    return lambda username: ApiClient(jobs_app.url).login(username)


def wait_for_job(client, url, *, timeout_s=60):
    deadline = time.monotonic() + timeout_s
    seen = []
    while time.monotonic() < deadline:
        job = client.get(url).json()
        seen.append(job["progress"])
        if job["state"] in ("done", "failed"):
            return job, seen
        time.sleep(0.1)
    raise AssertionError(f"the job did not finish: {job}")


def test_a_job_builds_the_file_and_hands_it_to_the_one_who_asked(client_for, jobs_settings):
    hr = client_for("hr")
    reply = hr.post("/api/report-jobs", json={"report": FIXTURE_GRID, "format": "xlsx", "month": "2021-10"})
    assert reply.status_code == 202, reply.text
    assert reply.headers["Location"] == reply.json()["url"]
    assert reply.json()["state"] in ("queued", "running", "done") and reply.json()["download_url"] in (None,
                                                                                                     reply.json()["url"] + "/file")
    job, progress = wait_for_job(hr, reply.headers["Location"])
    assert job["state"] == "done" and job["progress"] == 100, job
    assert job["rows"] == FIXTURE_GRID_EMPLOYEES and job["file_name"] == "fixture-grid-2021-10.xlsx"
    assert progress == sorted(progress)  # it only moves forward
    expires_at = job["expires_at"]
    assert expires_at > job["finished_at"]

    download = hr.get(job["download_url"])
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename=fixture-grid-2021-10.xlsx' in download.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet.title == "ตารางการลงเวลาประจำเดือน" and sheet.max_row >= 3 + FIXTURE_GRID_EMPLOYEES

    # Nobody else sees the job or its file: the one 404.
    supervisor = client_for("supervisor")
    assert supervisor.get(job["url"]).status_code == 404
    assert supervisor.get(job["download_url"]).status_code == 404


def test_the_file_expires_and_is_deleted(client_for, jobs_settings, session_factory):
    hr = client_for("hr")
    reply = hr.post("/api/report-jobs", json={"report": FIXTURE_GRID, "format": "csv", "month": "2021-10",
                                              "language": "en"})
    job, _ = wait_for_job(hr, reply.headers["Location"])
    assert hr.get(job["download_url"]).content.startswith(b"\xef\xbb\xbfEmployee code")
    files = list((__import__("pathlib").Path(jobs_settings.data_dir) / "report-files").glob(f"{job['id']}-*.csv"))
    assert len(files) == 1

    assert expire_report_files(session_factory=session_factory, settings=jobs_settings,
                               now=utcnow() + timedelta(hours=jobs_settings.report_file_hours - 1)) == 0
    assert expire_report_files(session_factory=session_factory, settings=jobs_settings,
                               now=utcnow() + timedelta(hours=jobs_settings.report_file_hours + 1)) == 1
    assert not files[0].exists()
    gone = hr.get(job["download_url"])
    assert gone.status_code == 410 and gone.json()["code"] == "report_expired"
    assert hr.get(job["url"]).json()["state"] == "expired"


def test_a_report_that_refuses_the_asker_ends_as_a_failed_job(client_for):
    supervisor = client_for("supervisor")
    reply = supervisor.post("/api/report-jobs", json={"report": FIXTURE_GRID, "format": "pdf", "month": "2021-10"})
    assert reply.status_code == 202
    job, _ = wait_for_job(supervisor, reply.headers["Location"])
    assert job["state"] == "failed" and job["error_code"] == "report_forbidden" and job["download_url"] is None
    refused = supervisor.get(reply.headers["Location"] + "/file")
    assert refused.status_code == 409 and refused.json()["code"] == "report_not_ready"


@pytest.mark.parametrize("body, status, code", [
    ({"report": "no-such-report", "format": "pdf", "month": "2021-10"}, 404, "report_not_found"),
    ({"report": FIXTURE_GRID, "format": "docx", "month": "2021-10"}, 422, None),
    ({"report": FIXTURE_GRID, "format": "pdf", "from": "2021-10-05", "to": "2021-10-01"}, 422, None),
    ({"report": FIXTURE_GRID, "format": "pdf", "month": "2564-10"}, 422, "month_invalid"),
])
def test_bad_requests_are_problems_not_jobs(client_for, body, status, code):
    reply = client_for("hr").post("/api/report-jobs", json=body)
    assert reply.status_code == status, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    if code:
        assert reply.json()["code"] == code


def test_jobs_need_a_signed_in_employee(jobs_app):
    assert ApiClient(jobs_app.url).post("/api/report-jobs", json={"report": FIXTURE_GRID, "format": "pdf"}).status_code == 401
