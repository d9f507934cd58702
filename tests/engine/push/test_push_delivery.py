"""One push attempt (`deliver_push`) against the loopback push service, and the outbox rows behind it."""
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db import utcnow
from engine.models import Notification, PushDelivery, PushSubscription
from engine.notifications.service import notify
from engine.push.delivery import RetryLater, deliver_push
from engine.push.payload import MAX_PAYLOAD_BYTES, push_payload
from engine.push.queue import send_after_commit
from tests.support.push_service import PushBrowser, push_service, push_settings  # noqa: F401 (fixture)
from tests.support.settings import make_settings


@pytest.fixture
def on(database_url):
    return make_settings(database_url, **push_settings())


@pytest.fixture
def subscribed(db_session, add_employee, push_service):
    """An employee with one subscribed browser, and a function that makes a committed notification for them."""
    employee = add_employee("10151")

    def make(name: str, *, title="คำขอได้รับอนุมัติ", body="", kind="request_approved", language="th"):
        browser = PushBrowser(push_service.endpoint(name))
        keys = browser.subscription_json()["keys"]
        db_session.add(PushSubscription(employee_id=employee.id, endpoint=browser.endpoint, p256dh=keys["p256dh"],
                                        auth=keys["auth"], language=language))
        db_session.flush()
        notification = notify(session=db_session, recipient_id=employee.id, kind=kind, title_th=title,
                              title_en="Request approved", body_th=body, data={"request_id": 7})
        db_session.commit()
        delivery = db_session.scalar(select(PushDelivery).where(PushDelivery.notification_id == notification.id))
        return browser, notification, delivery

    return make


def row(session_factory, delivery_id) -> PushDelivery:
    with session_factory() as session:
        return session.get(PushDelivery, delivery_id)


def test_a_push_is_posted_once_and_a_second_run_of_the_same_row_posts_nothing(subscribed, on, session_factory,
                                                                             push_service):
    browser, notification, delivery = subscribed("once")
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id) == "delivered"
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id) == "skipped"
    [push] = push_service.pushes_to("once")
    assert browser.decrypt(push.body)["url"] == "/requests/7"
    assert row(session_factory, delivery.id).status_code == 201


def test_every_attempt_failing_ends_the_row_as_failed_after_the_last(subscribed, on, session_factory, push_service):
    _, _, delivery = subscribed("down")
    push_service.answer("down", 500, 502, 503)
    for _ in range(on.push_job_max_attempts - 1):
        with pytest.raises(RetryLater):
            deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id)
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id) == "failed"
    ended = row(session_factory, delivery.id)
    assert (ended.attempts, ended.status_code) == (3, 503) and "gave up after 3 attempts" in ended.last_error


def test_a_push_older_than_its_ttl_is_not_sent(subscribed, on, session_factory, push_service):
    _, _, delivery = subscribed("stale")
    later = utcnow() + timedelta(seconds=on.push_ttl_seconds + 1)
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id, now=later) == "expired"
    assert push_service.pushes_to("stale", accepted_only=False) == []


def test_with_push_turned_off_or_the_host_no_longer_allowed_nothing_is_posted(subscribed, on, session_factory,
                                                                             push_service):
    _, _, first = subscribed("off")
    off = replace(on, push_vapid_public_key="", push_vapid_private_key="")
    assert deliver_push(session_factory=session_factory, settings=off, delivery_id=first.id) == "disabled"
    _, _, second = subscribed("narrowed")
    narrowed = replace(on, push_allowed_hosts="fcm.googleapis.com")
    assert deliver_push(session_factory=session_factory, settings=narrowed, delivery_id=second.id) == "failed"
    assert push_service.pushes_to("off", accepted_only=False) == push_service.pushes_to("narrowed") == []


def test_a_subscription_removed_before_its_push_leaves_the_row_gone(subscribed, on, session_factory, db_session):
    _, _, delivery = subscribed("removed")
    db_session.execute(PushSubscription.__table__.delete())
    db_session.commit()
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id) == "gone"


def test_the_payload_stays_small_however_long_the_text(subscribed, on, session_factory, push_service):
    browser, notification, delivery = subscribed("long", title="ก" * 255, body="ข" * 20_000)
    payload = push_payload(notification, language="th")
    assert len(payload) <= MAX_PAYLOAD_BYTES
    content = json.loads(payload)
    assert content["title"] == "ก" * 255 and content["body"].endswith("…") and len(content["body"]) == 500
    assert deliver_push(session_factory=session_factory, settings=on, delivery_id=delivery.id) == "delivered"
    [push] = push_service.pushes_to("long")
    assert len(push.body) <= 4096 and browser.decrypt(push.body)["body"] == content["body"]


def test_rows_are_written_only_for_subscribed_recipients_and_vanish_with_a_rollback(db_session, add_employee):
    lonely = add_employee("10152")
    notify(session=db_session, recipient_id=lonely.id, kind="x", title_th="t", title_en="t")
    db_session.rollback()
    assert db_session.scalars(select(Notification)).all() == []
    assert db_session.scalars(select(PushDelivery)).all() == []
    assert not db_session.info.get("opsta.push_deliveries")


class RecordingQueue:
    def __init__(self):
        self.sent = []

    def send(self, delivery_id):
        self.sent.append(delivery_id)


def test_rows_are_handed_to_the_queue_after_commit_and_never_after_a_rollback(database_url, add_employee, db_session,
                                                                             push_service):
    from engine.db import make_engine, make_session_factory

    employee = add_employee("10153")
    browser = PushBrowser(push_service.endpoint("hand-over"))
    keys = browser.subscription_json()["keys"]
    db_session.add(PushSubscription(employee_id=employee.id, endpoint=browser.endpoint, p256dh=keys["p256dh"],
                                    auth=keys["auth"]))
    db_session.commit()
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    queue = RecordingQueue()
    send_after_commit(session_factory=factory, queue=queue)
    try:
        with factory() as session:
            notify(session=session, recipient_id=employee.id, kind="x", title_th="rolled back", title_en="x")
            session.rollback()
            notify(session=session, recipient_id=employee.id, kind="x", title_th="kept", title_en="x")
            assert queue.sent == []  # nothing leaves before the commit
            session.commit()
        with factory() as session:
            [kept] = session.scalars(select(PushDelivery)).all()
            assert queue.sent == [kept.id] and kept.sent_at is not None and kept.sends == 1
    finally:
        engine.dispose()


def test_the_loopback_push_service_refuses_a_token_not_signed_by_the_key_it_names(on):
    """The test push service's VAPID check can fail: a token signed by another key is refused."""
    from py_vapid import Vapid

    from engine.push.vapid import generate_vapid_keys, vapid_private_key
    from tests.support.push_service import VapidRefused, verify_vapid

    claims = {"aud": "http://127.0.0.1", "sub": on.push_vapid_subject, "exp": int(utcnow().timestamp()) + 60}
    good = Vapid(private_key=vapid_private_key(on)).sign(dict(claims))["Authorization"]
    assert verify_vapid(good) == (claims, on.push_vapid_public_key)
    other = replace(on, push_vapid_private_key=generate_vapid_keys().private_key)
    forged = Vapid(private_key=vapid_private_key(other)).sign(dict(claims))["Authorization"]
    token = forged.split("t=")[1].split(",")[0]
    with pytest.raises(VapidRefused):
        verify_vapid(f"vapid t={token},k={on.push_vapid_public_key}")
