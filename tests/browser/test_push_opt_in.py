"""Web Push on a phone: the settings page's switch subscribes this browser with the server's VAPID key and
hands the subscription to the API; an announcement then reaches the loopback push service encrypted for
that subscription, and decrypts to the notification with its link; the service worker's push piece shows
a delivered push as a notification that opens that link; switching off unsubscribes.

Headless Chromium has no push service of its own, so PushManager is replaced in the page by one whose
subscription is the test's `PushBrowser` (its keys, an endpoint on the loopback push service): all the
rest, the page's code, the API, the push worker, VAPID and the encryption, is the real thing."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.push_service import PushBrowser, push_service, push_settings  # noqa: F401 (fixture)
from tests.support.settings import make_settings

FAKE_PUSH_MANAGER = """(subscription) => {
  let current = null;
  window.pushCalls = [];
  const encode = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const made = {
    endpoint: subscription.endpoint,
    toJSON: () => subscription,
    unsubscribe: async () => { current = null; window.pushCalls.push('unsubscribe'); return true; },
  };
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    window.pushCalls.push({ userVisibleOnly: options.userVisibleOnly, key: encode(options.applicationServerKey) });
    current = made;
    return made;
  };
}"""


@pytest.fixture(scope="module")
def live_app(database_url):
    """This module's app has VAPID keys and pushes to the loopback push service."""
    with serving(make_settings(database_url, **push_settings())) as server:
        yield server


def test_push_opt_in_delivers_to_the_loopback_push_service(new_context, sign_in, demo_org, live_app, push_service,
                                                           take_screenshot):
    browser_keys = PushBrowser(push_service.endpoint("employee1-phone"))
    phone = new_context("phone")
    phone.context.grant_permissions(["notifications"])
    phone.context.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(browser_keys.subscription_json())})")
    page = sign_in(phone.new_page(), "employee1")
    page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    page.get_by_role("dialog", name="เมนู").get_by_role("link", name="ตั้งค่า", exact=True).click()
    switch = page.get_by_label("ส่งการแจ้งเตือนมาที่เครื่องนี้")
    expect(switch).to_be_enabled()
    expect(page.locator("#push-status")).to_have_text("เครื่องนี้ไม่รับการแจ้งเตือน")
    switch.check()
    expect(page.locator("#push-status")).to_have_text("เครื่องนี้รับการแจ้งเตือน")
    settings = live_app.app.extensions["opsta"].settings
    assert page.evaluate("() => window.pushCalls") == [{"userVisibleOnly": True, "key": settings.push_vapid_public_key}]
    assert_accessible(page)
    take_screenshot(page, "settings-push-on")

    employee = ApiClient(live_app.url).login("employee1")
    [subscribed] = employee.get("/api/me/push-subscriptions").json()
    assert subscribed["push_service"] == "127.0.0.1" and subscribed["language"] == "th"
    reply = ApiClient(live_app.url).login("hr").post("/api/announcements", json={
        "title": "ปิดปรับปรุงระบบ", "body": "วันเสาร์นี้ทั้งวัน"})
    assert reply.status_code == 201, reply.text
    [push] = push_service.wait_for("employee1-phone")
    payload = browser_keys.decrypt(push.body)
    assert payload["title"] == "ประกาศ: ปิดปรับปรุงระบบ" and payload["body"] == "วันเสาร์นี้ทั้งวัน"
    assert payload["url"] == f"/announcements/{reply.json()['id']}"

    _show_through_the_service_worker(page, live_app.url, payload)

    switch.uncheck()
    expect(page.locator("#push-status")).to_have_text("เครื่องนี้ไม่รับการแจ้งเตือน")
    assert page.evaluate("() => window.pushCalls.at(-1)") == "unsubscribe"
    assert employee.get("/api/me/push-subscriptions").json() == []


def _show_through_the_service_worker(page, origin: str, payload: dict) -> None:
    """Hand the decrypted push to the page's service worker as the browser would (DevTools), and read
    the notification it shows."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    for _ in range(50):  # DevTools reports the registration shortly after ServiceWorker.enable
        if [r for r in registrations if not r.get("isDeleted")]:
            break
        page.wait_for_timeout(100)
    registration = next(r for r in registrations if not r.get("isDeleted"))
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": origin, "registrationId": registration["registrationId"],
                                                  "data": json.dumps(payload, ensure_ascii=False)})
    count = """async () => (await (await navigator.serviceWorker.ready).getNotifications()).length"""
    for _ in range(100):
        if page.evaluate(count):
            break
        page.wait_for_timeout(100)
    shown = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        const [notification] = await registration.getNotifications();
        return {title: notification.title, body: notification.body, url: notification.data.url,
                tag: notification.tag};
    }""")
    assert shown == {"title": payload["title"], "body": payload["body"], "url": payload["url"],
                     "tag": f"opsta-{payload['id']}"}
