"""The Dramatiq path against a real Redis: broker down at punch time, a worker killed mid-job, a job that
keeps failing. Each module run gets its own redis-server on a free port, so parallel runs never collide."""
import signal
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from engine.db import utcnow
from engine.face_checks.scheduled import sweep_verification_outbox
from engine.models import FaceVerification, SelfieImage, VerificationJob
from tests.support.api_client import ApiClient
from tests.support.dramatiq_worker import settings_env, worker_starter
from tests.support.live_server import serving
from tests.support.photos import photo_bytes
from tests.support.redis_server import redis_server  # noqa: F401 (fixture)
from tests.support.selfies import selfie_punch, set_profile_photo, wait_for_verdict
from tests.support.settings import make_settings

pytestmark = pytest.mark.slow  # real model in real worker processes

WORKER_MODULE = "engine.face_checks.worker"
# Small retry numbers so a failing job reaches `error` within seconds.
JOB_SETTINGS = dict(face_job_max_attempts=3, face_job_min_backoff_ms=200, face_job_max_backoff_ms=500)


@pytest.fixture(scope="module")
def redis_settings(database_url, redis_server, tmp_path_factory):
    return make_settings(database_url, broker_url=redis_server.url, broker_namespace=f"opsta-test-{uuid.uuid4().hex}",
                         data_dir=str(tmp_path_factory.mktemp("face-data")), **JOB_SETTINGS)


@pytest.fixture(scope="module")
def redis_app(redis_settings):
    with serving(redis_settings) as server:
        yield server


@pytest.fixture
def start_worker(redis_settings, tmp_path):
    """Start real `dramatiq engine.face_checks.worker` workers; all are stopped after the test."""
    names = ("database_url", "broker_url", "broker_namespace", "data_dir", "secret_key")
    with worker_starter(WORKER_MODULE, queues="face", log_dir=tmp_path, log_name="worker",
                        env=lambda **overrides: settings_env(redis_settings, names, **JOB_SETTINGS, **overrides)) as start:
        yield start


@pytest.fixture
def client_for(redis_app, demo_org):
    def login(username: str) -> ApiClient:
        return ApiClient(redis_app.url).login(username)

    return login


def verification_row(session_factory, punch_id: int) -> FaceVerification:
    with session_factory() as session:
        return session.scalar(select(FaceVerification).where(FaceVerification.punch_id == punch_id))


def wait_until(condition, timeout_s: float = 120.0, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_punch_while_redis_is_down_is_verified_once_redis_is_back(
        redis_server, redis_settings, client_for, session_factory, start_worker):
    employee = client_for("employee1")
    assert set_profile_photo(employee, photo_bytes("obama.jpg")).status_code == 200
    redis_server.stop()
    try:
        good = selfie_punch(employee, photo_bytes("obama2.jpg"))
        broken = selfie_punch(client_for("employee2"), photo_bytes("obama3.jpg"))
    finally:
        redis_server.start()
    assert (good.status_code, broken.status_code) == (201, 201), good.text
    assert good.json()["verification"]["status"] == "pending"
    with session_factory() as session:
        jobs = session.scalars(select(VerificationJob).order_by(VerificationJob.id)).all()
        assert [(job.sent_at, job.done_at) for job in jobs] == [(None, None), (None, None)]
        assert all("Connection" in job.send_error for job in jobs)
        # The second selfie is made unreadable: its job can only fail, on every attempt.
        session.execute(update(SelfieImage).where(SelfieImage.punch_id == broken.json()["id"])
                        .values(image=b"\xff\xd8\xff not a jpeg any more"))
        session.commit()

    worker = start_worker()
    assert sweep_verification_outbox(session_factory, redis_settings) == {"due": 2, "sent": 2, "failed": 0}
    assert wait_for_verdict(employee, good.json()["id"])["status"] == "verified", worker.log()[-3000:]

    wait_until(lambda: verification_row(session_factory, broken.json()["id"]).status == "error",
               what="the failing job to end as error")
    row = verification_row(session_factory, broken.json()["id"])
    assert row.attempts == 3 and "photo_unreadable" in row.last_error
    errors = client_for("hr").get("/api/verification-errors")
    assert errors.status_code == 200
    assert [(e["punch_id"], e["attempts"]) for e in errors.json()] == [(broken.json()["id"], 3)]
    assert errors.json()[0]["employee"]["code"] == "100059151"
    assert client_for("employee1").get("/api/verification-errors").status_code == 403
    assert sweep_verification_outbox(session_factory, redis_settings)["due"] == 0  # both jobs are done


def test_worker_killed_mid_job_leaves_the_punch_pending_and_a_retry_verifies_it(
        redis_settings, client_for, session_factory, start_worker):
    employee = client_for("employee1")
    assert set_profile_photo(employee, photo_bytes("obama.jpg")).status_code == 200
    # This worker claims the job, then stalls (fault injection) until it is killed.
    stalling = start_worker(face_job_start_delay_seconds=600)
    punch = selfie_punch(employee, photo_bytes("obama2.jpg")).json()
    wait_until(lambda: verification_row(session_factory, punch["id"]).attempts == 1, what="the job to be claimed")
    stalling.kill(signal.SIGKILL)
    assert verification_row(session_factory, punch["id"]).status == "pending"
    assert employee.get(f"/api/punches/{punch['id']}").json()["verification"]["status"] == "pending"

    start_worker()
    later = utcnow() + timedelta(seconds=redis_settings.face_job_resend_after_seconds + 1)
    assert sweep_verification_outbox(session_factory, redis_settings, later)["sent"] == 1
    verdict = wait_for_verdict(employee, punch["id"])
    assert verdict["status"] == "verified" and verdict["attempts"] == 2
