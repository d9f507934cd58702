"""The push path against a real Redis and real `dramatiq engine.push.worker` processes: Redis down when the
notification commits, a worker killed in the middle of a POST, and re-sent jobs. Each module run gets its
own redis-server, so parallel runs never collide."""
import signal
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db import utcnow
from engine.models import PushDelivery
from engine.push.delivery import claim_lease
from engine.push.queue import push_queue
from engine.push.scheduled import sweep_push_outbox
from tests.support.api_client import ApiClient
from tests.support.dramatiq_worker import settings_env, worker_starter
from tests.support.live_server import serving
from tests.support.push_service import PushBrowser, push_service, push_settings  # noqa: F401 (fixture)
from tests.support.redis_server import redis_server  # noqa: F401 (fixture)
from tests.support.settings import make_settings


@pytest.fixture(scope="module")
def redis_settings(database_url, redis_server):
    return make_settings(database_url, broker_url=redis_server.url, broker_namespace=f"opsta-test-{uuid.uuid4().hex}",
                         **push_settings(push_timeout_seconds=2.0))


@pytest.fixture(scope="module")
def redis_app(redis_settings):
    with serving(redis_settings) as server:
        yield server


@pytest.fixture
def start_worker(redis_settings, tmp_path):
    """Start real push workers; all are stopped after the test."""
    names = ("database_url", "broker_url", "broker_namespace", "secret_key", "push_vapid_public_key",
             "push_vapid_private_key", "push_vapid_subject", "push_allowed_hosts", "push_timeout_seconds",
             "push_job_min_backoff_ms", "push_job_max_backoff_ms", "push_job_max_attempts")
    with worker_starter("engine.push.worker", queues="push", log_dir=tmp_path, log_name="push-worker",
                        env=lambda: settings_env(redis_settings, names)) as start:
        yield start


@pytest.fixture
def client_for(redis_app, demo_org):
    return lambda username: ApiClient(redis_app.url).login(username)


def the_delivery(session_factory) -> PushDelivery:
    with session_factory() as session:
        [row] = session.scalars(select(PushDelivery)).all()
        return row


def publish(client_for, title):
    reply = client_for("hr").post("/api/announcements", json={"title": title, "units": [{"unit_code": "ICT"}]})
    assert reply.status_code == 201, reply.text
    return reply.json()


def test_a_notification_made_while_redis_is_down_is_pushed_once_redis_is_back(
        redis_server, redis_settings, client_for, session_factory, push_service, start_worker):
    employee = client_for("employee1")
    browser = PushBrowser(push_service.endpoint("outage"))
    assert employee.post("/api/me/push-subscriptions", json=browser.subscription_json()).status_code == 201
    redis_server.stop()
    try:
        publish(client_for, "ระหว่าง Redis ล่ม")  # the announcement and its notifications stand
    finally:
        redis_server.start()
    row = the_delivery(session_factory)
    assert (row.sent_at, row.done_at) == (None, None) and "Connection" in row.send_error

    worker = start_worker()
    swept = sweep_push_outbox(session_factory=session_factory, settings=redis_settings)
    assert swept == {"due": 1, "sent": 1, "failed": 0}
    [push] = push_service.wait_for("outage", timeout_s=60)
    assert browser.decrypt(push.body)["title"] == "ประกาศ: ระหว่าง Redis ล่ม", worker.log()[-2000:]
    deadline = time.monotonic() + 20
    while the_delivery(session_factory).outcome != "delivered":
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.1)

    # Nothing is due any more, and a job that arrives again (a re-delivery) posts nothing.
    later = utcnow() + timedelta(days=1)
    assert sweep_push_outbox(session_factory=session_factory, settings=redis_settings, now=later)["due"] == 0
    push_queue(settings=redis_settings, session_factory=session_factory).send(row.id)
    time.sleep(1.5)
    assert len(push_service.pushes_to("outage", accepted_only=False)) == 1


def test_a_worker_killed_mid_post_is_replaced_and_the_push_is_retried_with_the_same_topic(
        redis_settings, client_for, session_factory, push_service, start_worker):
    employee = client_for("employee2")
    browser = PushBrowser(push_service.endpoint("killed"))
    assert employee.post("/api/me/push-subscriptions", json=browser.subscription_json()).status_code == 201
    push_service.hold("killed", 60)  # the push service takes the push and answers late
    worker = start_worker()
    publish(client_for, "คนงานถูกปิด")
    [first] = push_service.wait_for("killed", accepted_only=False, timeout_s=60)
    worker.kill(signal.SIGKILL)
    row = the_delivery(session_factory)
    assert (row.attempts, row.done_at, row.claimed_at is not None) == (1, None, True)

    start_worker()
    # Before the lease runs out nobody takes the row: the attempt might still be alive.
    assert sweep_push_outbox(session_factory=session_factory, settings=redis_settings)["due"] == 0
    time.sleep(claim_lease(redis_settings).total_seconds() + 0.5)
    later = utcnow() + timedelta(seconds=redis_settings.push_resend_after_seconds + 1)
    assert sweep_push_outbox(session_factory=session_factory, settings=redis_settings, now=later)["sent"] == 1
    pushes = push_service.wait_for("killed", count=2, accepted_only=False, timeout_s=60)
    # The push service may have passed the first one on before the sender died: both carry the same
    # notification id and Topic, so the browser shows one (the service worker tags by id, README).
    first_payload, second_payload = (browser.decrypt(p.body) for p in pushes)
    assert first_payload["id"] == second_payload["id"]
    assert {p.headers["topic"] for p in pushes} == {f"n{first_payload['id']}"}
    deadline = time.monotonic() + 20
    while the_delivery(session_factory).outcome != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert the_delivery(session_factory).attempts == 2
