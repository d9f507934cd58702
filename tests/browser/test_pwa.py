"""The installable app in Chromium: the manifest is valid, the service worker registers and takes over,
the offline page shows for any page once the app has been opened, and Safari on iOS gets the
"Add to Home Screen" hint (closable, and it stays closed)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible

IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")


def _controlled(page) -> None:
    """Wait until the service worker is active and controls this page. It claims the pages open when it
    activates; a page whose navigation began just before that is not one of them, but its next one is."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_the_manifest_is_valid_for_chromium(phone, phone_page, app_url):
    phone_page.goto(app_url + "/")
    cdp = phone_page.context.new_cdp_session(phone_page)
    manifest = cdp.send("Page.getAppManifest")
    cdp.detach()
    assert manifest["url"] == f"{app_url}/manifest.webmanifest"
    assert manifest["errors"] == [], manifest["errors"]
    assert '"display": "standalone"' in manifest["data"]


def test_the_service_worker_registers_and_precaches_the_shell(phone, phone_page, app_url):
    phone_page.goto(app_url + "/")
    _controlled(phone_page)
    scope = phone_page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{app_url}/"
    cached = phone_page.evaluate("""async () => {
        const names = (await caches.keys()).filter(n => n.startsWith('opsta-shell-'));
        const store = await caches.open(names[0]);
        return {names, urls: (await store.keys()).map(r => new URL(r.url).pathname)};
    }""")
    assert len(cached["names"]) == 1
    assert {"/offline", "/static/css/app.css", "/static/js/app.js", "/static/js/config.js"} <= set(cached["urls"])


def test_the_offline_page_shows_when_offline_after_a_first_visit(phone, phone_page, sign_in, demo_org, app_url,
                                                                take_screenshot):
    page = sign_in(phone_page, "employee1")
    _controlled(page)
    phone.set_offline(True)
    page.goto(app_url + "/calendar")
    expect(page.get_by_role("heading", name="ไม่มีการเชื่อมต่ออินเทอร์เน็ต")).to_be_visible()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(243, 245, 248)"  # the app's stylesheet came from the shell cache
    assert_accessible(page)
    take_screenshot(page, "offline")
    phone.set_offline(False)
    page.get_by_role("link", name="ลองอีกครั้ง / Try again").click()
    expect(page.locator("#calendar")).to_be_visible()


def test_safari_on_ios_gets_the_add_to_home_screen_hint_once(new_context, app_url, take_screenshot):
    iphone = new_context("phone", user_agent=IPHONE_SAFARI)
    page = iphone.new_page()
    page.goto(app_url + "/")
    hint = page.get_by_role("complementary", name="ติดตั้ง OPS-TA")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("เพิ่มไปยังหน้าจอโฮม")
    assert_accessible(page)
    take_screenshot(page, "install-hint")
    hint.get_by_role("button", name="ปิด").click()
    expect(hint).to_be_hidden()
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator("#install-hint")).to_be_hidden()


def test_other_browsers_get_no_install_hint(phone, phone_page, app_url):
    phone_page.goto(app_url + "/")
    phone_page.wait_for_load_state("load")
    expect(phone_page.locator("#install-hint")).to_be_hidden()
