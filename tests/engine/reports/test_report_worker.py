"""The report-job path end to end against a real Redis and a real `dramatiq` worker process: the app asks,
the worker (another process, sharing only the database, Redis and the data folder) builds the PDF, the app
hands it out; a job asked for while Redis was down is sent by the scheduler's sweep."""
import subprocess
import time
import uuid

import pytest

from engine.reports.scheduled import report_files_tick
from engine.reports.queue import report_queue
from tests.support.api_client import ApiClient
from tests.support.dramatiq_worker import settings_env, worker_starter
from tests.support.live_server import serving
from tests.support.redis_server import redis_server  # noqa: F401 (fixture)
from tests.support.report_tables import FIXTURE_OVERTIME, register_fixture_reports, unregister_fixture_reports
from tests.support.settings import make_settings


@pytest.fixture(scope="module")
def redis_settings(database_url, redis_server, tmp_path_factory):
    return make_settings(database_url, broker_url=redis_server.url,
                         broker_namespace=f"opsta-test-{uuid.uuid4().hex}",
                         data_dir=str(tmp_path_factory.mktemp("report-worker-data")))


@pytest.fixture(scope="module")
def redis_app(redis_settings):
    register_fixture_reports()
    with serving(redis_settings) as server:
        yield server
    unregister_fixture_reports()


@pytest.fixture
def start_worker(redis_settings, tmp_path):
    names = ("database_url", "broker_url", "broker_namespace", "secret_key", "data_dir")
    with worker_starter("tests.support.report_worker", queues="reports", log_dir=tmp_path, log_name="report-worker",
                        env=lambda: settings_env(redis_settings, names)) as start:
        yield start


@pytest.fixture
def hr(redis_app, demo_org):
    return ApiClient(redis_app.url).login("hr")


def wait_until_done(client, url, worker, *, timeout_s=120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"no result in {timeout_s}s: {job}\n{worker.log()}")


def test_a_worker_process_builds_the_pdf_the_app_hands_out(hr, start_worker, tmp_path):
    reply = hr.post("/api/report-jobs", json={"report": FIXTURE_OVERTIME, "format": "pdf",
                                              "from": "2021-10-01", "to": "2021-10-31"})
    assert reply.status_code == 202, reply.text
    time.sleep(0.5)
    assert hr.get(reply.headers["Location"]).json()["state"] == "queued"  # no worker yet: it waits in Redis

    worker = start_worker()
    job = wait_until_done(hr, reply.headers["Location"], worker)
    assert job["state"] == "done", (job, worker.log())
    assert job["rows"] == 120 and job["file_name"] == "fixture-overtime-2021-10.pdf"
    download = hr.get(job["download_url"])
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
    path = tmp_path / job["file_name"]
    path.write_bytes(download.content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    assert "รหัสบุคลากร" in squeezed and "หน้า1/3" in squeezed and "พิมพ์เมื่อ" in squeezed
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Sarabun" in fonts


def test_a_job_asked_for_while_redis_was_down_is_sent_by_the_sweep(
        redis_server, redis_settings, hr, start_worker, session_factory):
    redis_server.stop()
    try:
        reply = hr.post("/api/report-jobs", json={"report": FIXTURE_OVERTIME, "format": "csv",
                                                  "from": "2021-10-01", "to": "2021-10-31"})
    finally:
        redis_server.start()
    assert reply.status_code == 202, reply.text   # the job stands; the broker gets it later
    worker = start_worker()
    time.sleep(1.0)
    assert hr.get(reply.headers["Location"]).json()["state"] == "queued"
    queue = report_queue(settings=redis_settings, session_factory=session_factory)
    from engine.db import utcnow

    assert report_files_tick(session_factory=session_factory, settings=redis_settings, now=utcnow(),
                             queue=queue) == {"expired": 0, "resent": 1}
    job = wait_until_done(hr, reply.headers["Location"], worker)
    assert job["state"] == "done", worker.log()
    assert hr.get(job["download_url"]).content.startswith(b"\xef\xbb\xbf")
