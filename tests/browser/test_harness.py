"""The browser harness itself: its guards catch what they are for, and its geolocation and offline
switches reach the page. Each guard is shown failing on purpose, so a clean page means something."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.support.accessibility import assert_accessible, axe_violations
from tests.support.browser import GuardedContext, demo_site_positions, serve_html

PROBE_PATH = "/__test__/probe"
PROBE_HTML = "<!doctype html><html lang='en'><head><title>Probe</title></head><body><main><h1>Probe</h1></main></body></html>"


def _open_probe(page, app_url: str) -> None:
    """A blank page of our own at the app's origin."""
    serve_html(page, app_url + PROBE_PATH, PROBE_HTML)
    page.goto(app_url + PROBE_PATH)


def _eventually(page, condition, seconds: float = 10.0) -> bool:
    """Wait for the browser's events to arrive (they are delivered while Playwright waits, not sleeps)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(50)
    return bool(condition())


@pytest.fixture
def bare(chromium, app_url):
    """A guarded context the test inspects itself (not failed at teardown like `phone`)."""
    guarded = GuardedContext(chromium.new_context(), allowed_origins=[app_url])
    yield guarded
    guarded.close()


def test_a_request_to_another_host_is_blocked_and_reported(bare, app_url):
    page = bare.new_page()
    _open_probe(page, app_url)
    outcome = page.evaluate("() => fetch('https://cdn.example.org/lib.js').then(() => 'sent', () => 'failed')")
    page.evaluate("() => { const img = new Image(); img.src = 'http://tiles.example.net/0/0/0.png';"
                  " document.body.append(img); }")
    assert outcome == "failed"
    assert _eventually(page, lambda: len(bare.outside_requests) == 2), bare.outside_requests
    assert bare.outside_requests == ["GET https://cdn.example.org/lib.js", "GET http://tiles.example.net/0/0/0.png"]
    assert any("ERR_BLOCKED_BY_CLIENT" in error for error in bare.console_errors)
    with pytest.raises(AssertionError, match="request left the origin"):
        bare.assert_clean()


def test_requests_to_the_app_pass_and_leave_nothing_to_report(bare, app_url):
    page = bare.new_page()
    page.goto(app_url + "/")
    assert page.evaluate("() => fetch('/healthz').then(r => r.status)") == 200
    bare.assert_clean()


def test_console_errors_and_uncaught_exceptions_are_reported(bare, app_url):
    page = bare.new_page()
    _open_probe(page, app_url)
    page.evaluate("() => console.error('the punch could not be queued')")
    page.evaluate("() => { setTimeout(() => { throw new Error('outbox exploded'); }, 0); }")
    assert _eventually(page, lambda: bare.console_errors and bare.page_errors)
    assert "the punch could not be queued" in bare.console_errors[0]
    assert "outbox exploded" in bare.page_errors[0]


def test_an_expected_console_error_can_be_tolerated(bare, app_url):
    bare.tolerate(r"status of 404")
    page = bare.new_page()
    response = page.goto(app_url + "/no-such-page")
    assert response.status == 404
    page.evaluate("() => console.error('something else')")
    assert _eventually(page, lambda: bare.console_errors)
    assert len(bare.console_errors) == 1 and "something else" in bare.console_errors[0]
    assert any("404" in error for error in bare.tolerated_errors), bare.tolerated_errors


def test_outside_names_do_not_resolve_even_without_the_guard(chromium, app_url):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(app_url + "/")
        with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
            page.goto("http://outside.example.com/")
    finally:
        context.close()


def test_geolocation_inside_and_outside_the_demo_site_and_denied(new_context, app_url):
    office, elsewhere = demo_site_positions()
    phone = new_context("phone")
    phone.set_position(office)
    page = phone.new_page()
    _open_probe(page, app_url)
    read = ("() => new Promise(done => navigator.geolocation.getCurrentPosition("
            "p => done([p.coords.latitude, p.coords.longitude, p.coords.accuracy]),"
            " e => done({code: e.code}), {timeout: 10000}))")
    assert page.evaluate(read) == pytest.approx([office.latitude, office.longitude, office.accuracy])
    phone.set_position(elsewhere)
    assert page.evaluate(read) == pytest.approx([elsewhere.latitude, elsewhere.longitude, elsewhere.accuracy])
    phone.deny_geolocation()
    assert page.evaluate(read) == {"code": 1}


def test_offline_and_back(new_context, app_url):
    phone = new_context("phone")
    page = phone.new_page()
    page.goto(app_url + "/")
    # The page registers the PWA's service worker; going offline while its script is still being fetched would
    # make Chromium log a (real) console error, which is not what this test is about.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    fetch = "() => fetch('/healthz').then(r => r.status, e => e.name)"
    phone.set_offline(True)
    assert page.evaluate(fetch) == "TypeError"
    assert page.evaluate("() => navigator.onLine") is False
    phone.set_offline(False)
    assert page.evaluate(fetch) == 200


def test_axe_finds_serious_violations_even_under_a_strict_content_security_policy(bare, app_url):
    """Our pages will forbid inline scripts; axe still runs, and finds what a screen reader would miss."""
    html = ("<!doctype html><html lang='th'><head><title>Bad form</title></head><body><main><h1>Bad form</h1>"
            "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><input name='username'></main></body></html>")
    page = bare.new_page()
    serve_html(page, app_url + PROBE_PATH, html, headers={"content-security-policy": "default-src 'self'; img-src data:"})
    page.goto(app_url + PROBE_PATH)
    found = {violation["id"]: violation["impact"] for violation in axe_violations(page)}
    assert found == {"image-alt": "critical", "label": "critical"}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_a_service_workers_request_to_another_host_is_caught_too(bare, app_url):
    """The PWA's service worker fetches on its own; the guard sees those requests as well."""
    worker = "self.addEventListener('install', e => e.waitUntil(fetch('https://cdn.example.org/precache.js')" \
             ".catch(() => null)));"
    bare.context.route(app_url + "/__test__/sw.js", lambda route: route.fulfill(body=worker,
                                                                                content_type="text/javascript"))
    page = bare.new_page()
    serve_html(page, app_url + PROBE_PATH, "<!doctype html><html lang='en'><title>SW</title><script>"
               "navigator.serviceWorker.register('/__test__/sw.js').then(() => window.registered = true)</script></html>")
    page.goto(app_url + PROBE_PATH)
    page.wait_for_function("() => window.registered === true")
    assert _eventually(page, lambda: bare.outside_requests)
    assert bare.outside_requests == ["GET https://cdn.example.org/precache.js"]
