"""Debian's Chromium driven by Playwright, with guards every browser test wants.

`launch_chromium` starts /usr/bin/chromium (installed by `.ci/test-system-packages`; Playwright's own
browsers are never downloaded). `GuardedContext` wraps a browser context so that a test fails when a
page logs a console error, throws an uncaught error, or sends a request to any origin other than the
ones it allows (the app's). Screenshots go under `var/test-output/screenshots/`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

ROOT = Path(__file__).resolve().parent.parent.parent
TEST_OUTPUT = ROOT / "var" / "test-output"
SCREENSHOTS = TEST_OUTPUT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Small /dev/shm (containers) crashes tabs; the disk is slower but always there.
    "--disable-dev-shm-usage",
    # Belt and braces for the origin guard: a name other than localhost never resolves, so even a
    # request the guard cannot see (a WebSocket, say) cannot leave the machine;
    # the rules apply to IP literals too, so only loopback by these two names is reachable.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
FAKE_CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]

# Route service workers' own requests through the guard too (Chromium only; read when the driver starts).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True,
             locale="th-TH", timezone_id="Asia/Bangkok")
DESKTOP = dict(viewport={"width": 1280, "height": 800}, device_scale_factor=1, locale="th-TH",
               timezone_id="Asia/Bangkok")
THAI_FONTS = {"Loma", "Garuda", "Norasi", "Kinnari", "Laksaman", "Sawasdee", "Umpush", "Waree", "Purisa",
              "Tlwg Typo", "Tlwg Typist", "Tlwg Typewriter", "Tlwg Mono", "Sarabun"}


def launch_chromium(playwright: Playwright, *, camera: Path | None = None, fake_camera: bool = False,
                    extra_args: list[str] | None = None) -> Browser:
    """Debian's Chromium, headless. `camera` feeds that .y4m file to getUserMedia (one file per browser
    process: Chromium reads the flag at start); `fake_camera` alone gives Chromium's synthetic pattern."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) "
                           "or `bash .ci/test-system-packages` as root")
    args = list(CHROMIUM_ARGS)
    if camera is not None or fake_camera:
        args += FAKE_CAMERA_ARGS
    if camera is not None:
        args.append(f"--use-file-for-fake-video-capture={camera}")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args + (extra_args or []))


def phone_options(browser: Browser) -> dict:
    """A 390×844 phone at 3× with touch, in Thai and Bangkok time, saying it is Chrome on Android."""
    major = browser.version.split(".")[0]
    user_agent = (f"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  f"Chrome/{major}.0.0.0 Mobile Safari/537.36")
    return {**PHONE, "user_agent": user_agent}


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    accuracy: float = 10.0

    def as_geolocation(self) -> dict:
        return {"latitude": self.latitude, "longitude": self.longitude, "accuracy": self.accuracy}


def demo_site_positions() -> tuple[Position, Position]:
    """A point inside the demo MOC-OPS outline and one about 2 km outside it, from the shipped GeoJSON."""
    from shapely.geometry import shape

    from geo import load_demo_site_geojson

    outline = shape(load_demo_site_geojson()["geometry"])
    inside = outline.representative_point()
    return Position(inside.y, inside.x, 8.0), Position(inside.y + 0.018, inside.x, 15.0)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class GuardedContext:
    """A browser context whose pages must not log console errors, throw, or talk to other origins.

    Every request goes through a route: one to an allowed origin continues, any other is aborted and
    recorded. Console errors and uncaught page errors are recorded. `problems` lists all of them;
    the fixtures fail the test when it is not empty. A test that expects a console error (the
    browser logs one for every 4xx or 5xx response, even a page's own) names it with `tolerate`.
    """

    def __init__(self, context: BrowserContext, *, allowed_origins: list[str]) -> None:
        self.context = context
        self.allowed = {origin_of(url) for url in allowed_origins}
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.tolerated_errors: list[str] = []
        self._tolerated: list[re.Pattern] = []
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))

    def _route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and origin_of(url) not in self.allowed:
            self.outside_requests.append(f"{route.request.method} {url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _console(self, message) -> None:
        if message.type != "error":
            return
        location = message.location or {}
        text = f"{message.text} ({location.get('url', '?')}:{location.get('lineNumber', '?')})"
        if any(pattern.search(text) for pattern in self._tolerated):
            self.tolerated_errors.append(text)
        else:
            self.console_errors.append(text)

    def allow_origin(self, url: str) -> None:
        """Let pages talk to another origin of ours (the OpenID provider on loopback, say)."""
        self.allowed.add(origin_of(url))

    def tolerate(self, pattern: str) -> None:
        """Ignore console errors matching this regular expression (for a test that expects them)."""
        self._tolerated.append(re.compile(pattern))

    def new_page(self) -> Page:
        return self.context.new_page()

    def set_position(self, position: Position) -> None:
        """Where the phone is, with geolocation allowed for every page of this context."""
        self.context.grant_permissions(["geolocation"])
        self.context.set_geolocation(position.as_geolocation())

    def deny_geolocation(self) -> None:
        """Permissions withdrawn: getCurrentPosition fails with PERMISSION_DENIED (code 1)."""
        self.context.clear_permissions()

    def set_offline(self, offline: bool = True) -> None:
        """Cut (or restore) the network: requests fail with net::ERR_INTERNET_DISCONNECTED, which the
        browser logs as a console error; those are expected from then on and not counted."""
        if offline:
            self.tolerate(r"net::ERR_INTERNET_DISCONNECTED")
        self.context.set_offline(offline)

    @property
    def problems(self) -> list[str]:
        return ([f"request left the origin: {r}" for r in self.outside_requests]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"uncaught page error: {e}" for e in self.page_errors])

    def assert_clean(self) -> None:
        assert not self.problems, "the browser saw problems:\n  " + "\n  ".join(self.problems)

    def close(self) -> None:
        self.context.close()


def serve_html(page: Page, url: str, html: str, *, headers: dict | None = None) -> None:
    """Answer `url` with this HTML from the browser's router, for a test-only page at the app's origin
    (the origin guard stays strict, and the app needs no test routes)."""
    page.route(url, lambda route: route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8",
                                                headers=headers))


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """A PNG of the page under var/test-output/screenshots/, named after the test; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-")
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def platform_fonts(page: Page, selector: str) -> dict[str, int]:
    """The fonts Chromium really drew the element's text with: family name → glyph count (DevTools CSS)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise AssertionError(f"no element matches {selector!r}")
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}
