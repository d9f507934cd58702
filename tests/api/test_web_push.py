"""Web Push end to end over real HTTP: a browser (the test, with its own keys) subscribes through the API,
a notification is made, the app's push worker posts it to a push service on loopback, and the browser
decrypts what arrived; the push service checks the VAPID token as a real one does."""
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from engine.models import PushDelivery
from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.push_service import PushBrowser, push_service, push_settings  # noqa: F401 (fixture)
from tests.support.settings import make_settings


@pytest.fixture(scope="module")
def push_app(database_url):
    settings = make_settings(database_url, **push_settings())
    with serving(settings) as server:
        yield server


@pytest.fixture
def client_for(push_app, demo_org, clean_db):
    return lambda username: ApiClient(push_app.url).login(username)


def subscribe(client: ApiClient, browser: PushBrowser, **extra):
    return client.post("/api/me/push-subscriptions", json={**browser.subscription_json(), **extra})


def publish(client_for, title="ปิดปรับปรุงระบบ", units=("ICT",), **fields):
    reply = client_for("hr").post("/api/announcements", json={
        "title": title, "body": "ระบบจะปิดปรับปรุงวันเสาร์", "units": [{"unit_code": u} for u in units], **fields})
    assert reply.status_code == 201, reply.text
    return reply.json()


def deliveries(session_factory):
    with session_factory() as session:
        return session.scalars(select(PushDelivery).order_by(PushDelivery.id)).all()


def wait_until(condition, timeout_s=20.0, what="condition"):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_the_public_key_is_served_when_push_is_on_and_reported_off_without_keys(push_app, api):
    on = ApiClient(push_app.url).get("/api/push/public-key").json()
    settings = push_app.app.extensions["opsta"].settings
    assert on == {"enabled": True, "public_key": settings.push_vapid_public_key}
    assert api.get("/api/push/public-key").json() == {"enabled": False, "public_key": None}


def test_a_published_announcement_reaches_the_subscribed_browser_encrypted_and_signed(
        client_for, push_service, push_app, session_factory):
    employee = client_for("employee1")
    browser = PushBrowser(push_service.endpoint("employee1-phone"))
    reply = subscribe(employee, browser)
    assert reply.status_code == 201, reply.text
    assert reply.json()["push_service"] == "127.0.0.1"
    assert subscribe(employee, browser).status_code == 200  # the same browser again: refreshed, not doubled
    english = PushBrowser(push_service.endpoint("employee1-laptop"))
    assert subscribe(employee, english, language="en").status_code == 201

    sent_at = datetime.now(timezone.utc)
    announcement = publish(client_for)
    [push] = push_service.wait_for("employee1-phone")
    [push_en] = push_service.wait_for("employee1-laptop")

    payload = browser.decrypt(push.body)
    [notification] = employee.get("/api/me/notifications").json()["items"]
    assert payload == {"v": 1, "id": notification["id"], "kind": "announcement",
                       "title": "ประกาศ: ปิดปรับปรุงระบบ", "body": "ระบบจะปิดปรับปรุงวันเสาร์",
                       "url": f"/announcements/{announcement['id']}", "lang": "th",
                       "created_at": payload["created_at"]}
    assert notification["url"] == payload["url"]
    assert english.decrypt(push_en.body)["title"] == "Announcement: ปิดปรับปรุงระบบ"
    with pytest.raises(Exception):
        english.decrypt(push.body)  # each push is encrypted for its own browser only
    settings = push_app.app.extensions["opsta"].settings
    headers = {k.lower(): v for k, v in push.headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(settings.push_ttl_seconds)
    assert headers["urgency"] == "normal" and headers["topic"] == f"n{notification['id']}"
    assert len(push.body) <= 4096
    assert push.vapid_key == settings.push_vapid_public_key
    assert push.vapid_claims["aud"] == push_service.origin and push.vapid_claims["sub"] == settings.push_vapid_subject
    assert sent_at.timestamp() < push.vapid_claims["exp"] <= sent_at.timestamp() + 24 * 3600
    assert not push_service.refused
    wait_until(lambda: all(d.outcome == "delivered" for d in deliveries(session_factory)), what="outcomes")
    assert len(deliveries(session_factory)) == 2  # two browsers; nobody else in ICT subscribed
    assert employee.get("/api/me/push-subscriptions").json()[0]["last_success_at"] is not None


def test_a_push_service_that_forgot_the_subscription_removes_it(client_for, push_service, session_factory):
    employee = client_for("employee2")
    assert subscribe(employee, PushBrowser(push_service.endpoint("employee2-old"))).status_code == 201
    push_service.answer("employee2-old", 410)
    publish(client_for)
    push_service.wait_for("employee2-old", accepted_only=False)
    wait_until(lambda: employee.get("/api/me/push-subscriptions").json() == [], what="the subscription to go")
    [delivery] = deliveries(session_factory)
    assert (delivery.outcome, delivery.status_code, delivery.subscription_id) == ("gone", 410, None)
    publish(client_for, title="ประกาศที่สอง")
    time.sleep(0.5)
    assert len(push_service.pushes_to("employee2-old", accepted_only=False)) == 1  # never posted again


def test_a_busy_push_service_is_retried_and_the_push_arrives_once(client_for, push_service, session_factory):
    employee = client_for("employee3")
    browser = PushBrowser(push_service.endpoint("employee3-phone"))
    assert subscribe(employee, browser).status_code == 201
    push_service.answer("employee3-phone", 503, 429)
    publish(client_for)
    wait_until(lambda: [d.outcome for d in deliveries(session_factory)] == ["delivered"], what="the retries")
    assert [p.status for p in push_service.pushes_to("employee3-phone", accepted_only=False)] == [503, 429, 201]
    [delivery] = deliveries(session_factory)
    assert delivery.attempts == 3
    assert browser.decrypt(push_service.pushes_to("employee3-phone")[0].body)["kind"] == "announcement"


def test_a_push_refused_for_good_is_not_retried(client_for, push_service, session_factory):
    employee = client_for("employee4")
    assert subscribe(employee, PushBrowser(push_service.endpoint("employee4-phone"))).status_code == 201
    push_service.answer("employee4-phone", 413)
    publish(client_for)
    wait_until(lambda: [d.outcome for d in deliveries(session_factory)] == ["failed"], what="the refusal")
    assert deliveries(session_factory)[0].attempts == 1
    assert len(employee.get("/api/me/push-subscriptions").json()) == 1  # 413 is not a forgotten subscription


def test_unsubscribing_stops_the_pushes_and_nobody_removes_anothers_subscription(client_for, push_service):
    employee, other = client_for("employee1"), client_for("employee2")
    browser = PushBrowser(push_service.endpoint("employee1-tablet"))
    subscription = subscribe(employee, browser).json()
    assert other.delete(f"/api/me/push-subscriptions/{subscription['id']}").status_code == 404
    refused = other.post("/api/me/push-subscriptions/unsubscribe", json={"endpoint": browser.endpoint})
    assert (refused.status_code, refused.json()["code"]) == (404, "push_subscription_not_found")
    assert employee.post("/api/me/push-subscriptions/unsubscribe",
                         json={"endpoint": browser.endpoint}).status_code == 204
    assert employee.get("/api/me/push-subscriptions").json() == []
    publish(client_for)
    time.sleep(0.5)
    assert push_service.pushes_to("employee1-tablet", accepted_only=False) == []


def test_a_browser_signed_in_as_someone_else_pushes_only_to_them(client_for, push_service):
    shared = PushBrowser(push_service.endpoint("shared-desktop"))
    assert subscribe(client_for("employee1"), shared).status_code == 201
    assert subscribe(client_for("hr"), shared).status_code == 200  # the same endpoint moves to hr
    assert client_for("employee1").get("/api/me/push-subscriptions").json() == []
    publish(client_for, units=("ICT",))  # for employee1's unit, not hr's
    time.sleep(0.5)
    assert push_service.pushes_to("shared-desktop", accepted_only=False) == []


@pytest.mark.parametrize("change, code", [
    ({"endpoint": "http://push.example.com/x"}, "push_endpoint_not_allowed"),
    ({"endpoint": "https://internal.example.go.th/x"}, "push_endpoint_not_allowed"),
    ({"endpoint": "https://user@127.0.0.1/x"}, "push_endpoint_not_allowed"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "push_subscription_invalid"),
    ({"keys": {"p256dh": "BAAA" + "A" * 83, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "push_subscription_invalid"),
    ({"keys": {"p256dh": None, "auth": "x"}}, "validation_failed"),
    ({"language": "fr"}, "validation_failed"),
])
def test_unusable_subscriptions_are_refused_with_a_problem(client_for, push_service, change, code):
    # "BAAA…" is 65 bytes that start like a P-256 point but lie off the curve.
    body = {**PushBrowser(push_service.endpoint("bad")).subscription_json(), **change}
    reply = client_for("employee1").post("/api/me/push-subscriptions", json=body)
    assert reply.status_code == 422, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.json()["code"] == code


def test_subscribing_where_push_is_off_is_a_clear_conflict(api, demo_org):
    reply = api.login("employee1").post("/api/me/push-subscriptions",
                                        json=PushBrowser("https://fcm.googleapis.com/fcm/send/x").subscription_json())
    assert (reply.status_code, reply.json()["code"]) == (409, "push_disabled")


def test_only_allowed_push_services_are_accepted_in_production_settings(settings):
    from dataclasses import replace

    from engine.config import Settings
    from engine.push.endpoints import endpoint_refusal

    production = replace(settings, push_allowed_hosts=Settings().push_allowed_hosts)
    assert endpoint_refusal("https://fcm.googleapis.com/fcm/send/abc", settings=production) is None
    assert endpoint_refusal("https://wns2-sg2p.notify.windows.com/w/?token=x", settings=production) is None
    assert endpoint_refusal("https://web.push.apple.com/QGx", settings=production) is None
    assert endpoint_refusal("http://127.0.0.1:9/push", settings=production)  # loopback only when listed
    assert endpoint_refusal("https://evil.example/fcm.googleapis.com", settings=production)
    anywhere = replace(settings, push_allowed_hosts="*")
    assert endpoint_refusal("https://push.example.org/x", settings=anywhere) is None
    assert endpoint_refusal("https://10.0.0.5/x", settings=anywhere)  # "*" still keeps to public hosts
    assert endpoint_refusal("https://127.0.0.1/x", settings=anywhere)


@pytest.mark.postgres_only
def test_the_same_browser_subscribing_several_times_at_once_is_one_subscription(client_for, push_service):
    from concurrent.futures import ThreadPoolExecutor

    employee = client_for("employee1")
    body = PushBrowser(push_service.endpoint("double-tap")).subscription_json()
    taps = [ApiClient(employee.base_url) for _ in range(4)]
    for tap in taps:
        tap.headers["Authorization"] = employee.headers["Authorization"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda tap: tap.post("/api/me/push-subscriptions", json=body).status_code, taps))
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201}, statuses
    assert len(employee.get("/api/me/push-subscriptions").json()) == 1
