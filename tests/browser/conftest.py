"""Browser fixtures: Debian's Chromium through Playwright, phone and desktop contexts that fail the test
on console errors or requests leaving the app's origin, fake cameras and screenshots.

Use `phone_page` / `desktop_page` for the common case, or `new_context(kind, ...)` for a context with
options (geolocation, another browser such as one with a fake camera from `camera_browser(photo)`).
The app is the session's `live_app` (tests/conftest.py) on 127.0.0.1.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.support.browser import (DESKTOP, SCREENSHOTS, GuardedContext, launch_chromium, phone_options,
                                   screenshot)
from tests.support.fake_camera import fake_camera_video

# A loaded 2-core machine is slow, not broken: wait longer than Playwright's defaults before failing.
expect.set_options(timeout=15_000)
ACTION_TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 45_000


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session", autouse=True)
def forget_old_failure_screenshots():
    for old in SCREENSHOTS.glob("FAILED-*.png"):
        old.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright):
    """One Chromium for the session (each test gets fresh contexts in it)."""
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def camera_browser(playwright):
    """`camera_browser("obama.jpg")`: a Chromium whose camera shows that face photo (launched once per
    photo, since the video file is a flag of the browser process); `camera_browser(None)` shows
    Chromium's own synthetic test pattern."""
    browsers = {}

    def launch(photo: str | None):
        if photo not in browsers:
            if photo is None:
                browsers[photo] = launch_chromium(playwright, fake_camera=True)
            else:
                browsers[photo] = launch_chromium(playwright, camera=fake_camera_video(photo))
        return browsers[photo]

    yield launch
    for browser in browsers.values():
        browser.close()


@pytest.fixture
def app_url(live_app) -> str:
    return live_app.url


def _test_label(request) -> str:
    return f"{request.node.module.__name__.rsplit('.', 1)[-1]}-{request.node.name}"


@pytest.fixture
def new_context(request, chromium, app_url):
    """`new_context("phone" | "desktop", browser=None, **options)` → a GuardedContext on the app's origin.

    At the end of the test every page of a failed test is screenshotted (`FAILED-…`), the contexts are
    closed, and the test fails if any page logged a console error, threw, or left the origin."""
    made: list[GuardedContext] = []

    def make(kind: str = "phone", *, browser=None, **options) -> GuardedContext:
        browser = browser or chromium
        base = phone_options(browser) if kind == "phone" else dict(DESKTOP)
        context = browser.new_context(**{**base, **options})
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        guarded = GuardedContext(context, allowed_origins=[app_url])
        made.append(guarded)
        return guarded

    yield make
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    problems = []
    for number, guarded in enumerate(made):
        if failed:
            for page_number, page in enumerate(guarded.context.pages):
                try:
                    screenshot(page, f"FAILED-{_test_label(request)}-{number}-{page_number}")
                except Exception:  # noqa: BLE001 - a crashed page must not hide the real failure
                    pass
        problems += guarded.problems
        guarded.close()
    if problems:
        pytest.fail("the browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def phone(new_context) -> GuardedContext:
    """A phone-sized context (390×844 at 3×, touch, th-TH, Asia/Bangkok)."""
    return new_context("phone")


@pytest.fixture
def phone_page(phone):
    return phone.new_page()


@pytest.fixture
def desktop(new_context) -> GuardedContext:
    return new_context("desktop")


@pytest.fixture
def desktop_page(desktop):
    return desktop.new_page()


@pytest.fixture
def take_screenshot(request):
    """`take_screenshot(page, "calendar")` → var/test-output/screenshots/<module>-<test>-calendar.png."""
    def take(page, label: str, *, full_page: bool = True):
        return screenshot(page, f"{_test_label(request)}-{label}", full_page=full_page)

    return take


@pytest.fixture
def sign_in(app_url):
    """`sign_in(page, "employee1")`: the local sign-in form with the demo password; waits for the calendar."""
    def fill(page, username: str, *, password: str = "demo"):
        page.goto(app_url + "/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
        expect(page.locator("#calendar")).to_be_visible()
        page.wait_for_load_state("load")  # the page's scripts (htmx, the menu) have run
        return page

    return fill
