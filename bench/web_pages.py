"""Web app screens: bytes on a cold load, server render time against the JSON behind them, first paint on 3G.

Run from the repo root:  .venv/bin/python bench/web_pages.py [--samples 60] [--fcp-runs 3] [--only calendar]
What it does:
  * creates a scratch PostgreSQL database (127.0.0.1:5432, like the tests), runs the migrations and seeds
    the demo organisation with its month of punches (`engine.demo`, as `make run` does);
  * serves the app under gunicorn (one worker, two threads) and signs each screen's account in through the
    local sign-in form;
  * gives the demo supervisor 50 subordinates (issue 14), each punched in today with an overtime request waiting;
  * for every entry of SCREENS, measured back to back in the same run:
      render   - GET of the page and of its JSON endpoint (the baseline: the same data from the API, the same
                 cookie), alternated, `--samples` each; p50 and p95 of the wall time on loopback;
      bytes    - a cold load in Debian's Chromium (fresh context, empty cache, signed in): the compressed
                 bytes of every response (headers and body, as sent) until the load event, and again once
                 the network is idle (the service worker's install and precache included);
      FCP      - first contentful paint of a cold load under Chromium's "Fast 3G" emulation
                 (Network.emulateNetworkConditions: 562.5 ms latency, 180,000 B/s down, 84,375 B/s up),
                 the median of `--fcp-runs` loads;
  * prints each figure with its target (issue 13: cold load ≤ 150 KB compressed, render p95 ≤ 2× its JSON
    endpoint, FCP ≤ 1.5 s) and whether it was met.
A new screen is one more `Screen(...)` line in SCREENS (its page, its JSON endpoint, the account, the targets).
Everything it started is stopped and the scratch database dropped, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo root, not bench/ (bench/calendar.py)

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.gunicorn_server import GunicornServer  # noqa: E402
from engine.config import Settings  # noqa: E402
from engine.db import make_engine, make_session_factory  # noqa: E402
from engine.demo.organisation import seed_demo  # noqa: E402
from engine.migrate import upgrade_database  # noqa: E402
from engine.models import Employee, Punch  # noqa: E402
from tests.support.browser import CHROMIUM_ARGS, CHROMIUM, PHONE  # noqa: E402
from tests.support.database import ScratchDatabase  # noqa: E402

SECRET_KEY = "bench-secret-key-0123456789abcdef"
PASSWORD = "bench-password"
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}


@dataclass(frozen=True)
class Screen:
    """One screen to measure. `{month}` in a path is the demo's last full month (YYYY-MM), `{punch}` the id of
    employee1's latest demo punch."""

    name: str
    page: str
    baseline: str  # the JSON endpoint behind the screen
    username: str
    max_cold_bytes: int | None = None
    max_render_ratio: float | None = None
    max_fcp_s: float | None = None


SCREENS = (
    Screen("calendar", "/calendar?month={month}", "/api/me/calendar?month={month}", "employee1",
           max_cold_bytes=150_000, max_render_ratio=2.0, max_fcp_s=1.5),
    # The punch screen reads the day so far (the likely button first), as its JSON does: today's punches.
    Screen("punch", "/punch", "/api/me/punches?page_size=1", "employee1",
           max_cold_bytes=150_000, max_render_ratio=2.0, max_fcp_s=1.5),
    Screen("processes", "/processes", "/api/processes", "analyst"),
    # issue 14: a supervisor with TEAM_SIZE subordinates, each with a punch today and a request waiting.
    Screen("inbox", "/approvals", "/api/tasks", "supervisor", max_render_ratio=2.0),
    Screen("team's day", "/team/today", "/api/me/team/today", "supervisor", max_render_ratio=2.0),
    Screen("punch detail", "/punches/{punch}", "/api/punches/{punch}", "employee1", max_render_ratio=2.0),
    Screen("history", "/history", "/api/me/punches?page_size=20", "employee1", max_render_ratio=2.0),
    Screen("subordinates", "/subordinates", "/api/me/subordinates", "supervisor", max_render_ratio=2.0),
    Screen("subordinate's calendar", "/employees/100059150/calendar?month={month}",
           "/api/employees/100059150/calendar?month={month}", "supervisor", max_render_ratio=2.0),
    Screen("announcements", "/announcements", "/api/announcements", "employee1", max_render_ratio=2.0),
    Screen("notifications", "/notifications", "/api/me/notifications", "employee1", max_render_ratio=2.0),
)
TEAM_SIZE = 50


def seed_big_team(session, settings: Settings, size: int = TEAM_SIZE) -> None:
    """Give the demo supervisor `size` subordinates in all: each punched in this morning and asks for overtime."""
    from sqlalchemy import select

    from engine.attendance.ledger import append_punch
    from engine.models import Employee, Punch
    from engine.requests.flows import submit_request
    from engine.requests.forms import Submitted

    tz = ZoneInfo(settings.timezone)
    boss = session.scalar(select(Employee).where(Employee.code == "10151"))
    team = list(session.scalars(select(Employee).where(Employee.supervisor_id == boss.id)))
    for number in range(len(team), size):
        person = Employee(code=f"2000{number:05d}", name_th=f"นายทดสอบ ลำดับที่{number}", name_en=f"Test {number}",
                          position_title="นักวิชาการ", unit_id=boss.unit_id, supervisor_id=boss.id)
        session.add(person)
        team.append(person)
    session.flush()
    now = datetime.now(tz)
    morning = min(now - timedelta(minutes=5), now.replace(hour=8, minute=40, second=0, microsecond=0))
    day = now.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    for number, person in enumerate(team):
        append_punch(session=session, punch=Punch(
            employee_id=person.id, direction="in", source="gps", recorded_at=morning, effective_at=morning,
            offline=False, latitude=13.8618, longitude=100.5127, accuracy_m=10.0, is_mock=number % 10 == 0, note="",
            address="", place_label="MOC-OPS", location_kind="office", flags=["mock_location"] if number % 10 == 0
            else [], verification_required=False))
    session.commit()
    for number, person in enumerate(team):
        start = (17 * 60 + number) % (24 * 60)
        submit_request(session=session, settings=settings, requester=person, submitted=Submitted(
            "overtime", "ปิดงบประมาณ", {"date": day, "start": dt_time(start // 60, start % 60),
                                        "end": dt_time(start // 60 + 2, start % 60)}))


def last_full_month(tz: str) -> str:
    first_of_this_month = datetime.now(ZoneInfo(tz)).date().replace(day=1)
    return f"{first_of_this_month - timedelta(days=1):%Y-%m}"


def signed_in_session(base: str, username: str) -> requests.Session:
    """A cookie-keeping client signed in through the local form, the way a browser is."""
    client = requests.Session()
    home = client.get(f"{base}/", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    reply = client.post(f"{base}/authen/local", timeout=30,
                        data={"username": username, "password": PASSWORD, "csrf_token": token})
    if "opsta_session" not in client.cookies:
        raise RuntimeError(f"could not sign in as {username}: {reply.status_code}")
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def render_times(client: requests.Session, base: str, page: str, baseline: str, samples: int):
    """Page and JSON fetched alternately; seconds for each."""
    timings = {"page": [], "json": []}
    for path in (page, baseline):  # warm both (templates compiled, statements cached)
        for _ in range(3):
            assert client.get(base + path, timeout=30).status_code == 200, path
    for _ in range(samples):
        for kind, path in (("page", page), ("json", baseline)):
            started = time.perf_counter()
            reply = client.get(base + path, timeout=30, headers={"Accept-Encoding": "gzip"})
            timings[kind].append(time.perf_counter() - started)
            assert reply.status_code == 200, (path, reply.status_code)
    return timings


def _browser_context(browser, base: str, client: requests.Session):
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in client.cookies])
    return context


def cold_load_bytes(browser, base: str, client: requests.Session, page_path: str) -> tuple[int, int, int, int]:
    """(bytes until load, responses until load, bytes until idle, responses until idle), compressed as sent.

    Until the load event: the page's own Resource Timing (`transferSize`: headers and encoded body). Until
    idle: every response Chromium finished for the context, the service worker's included.
    """
    context = _browser_context(browser, base, client)
    finished: list[int] = []

    def done(request):
        sizes = request.sizes()
        finished.append(sizes["responseHeadersSize"] + sizes["responseBodySize"])

    context.on("requestfinished", done)
    page = context.new_page()
    page.goto(base + page_path, wait_until="load")
    at_load = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).map(entry => entry.transferSize)""")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    return sum(at_load), len(at_load), sum(finished), len(finished)


def first_contentful_paint(browser, base: str, client: requests.Session, page_path: str) -> float:
    context = _browser_context(browser, base, client)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    page.goto(base + page_path, wait_until="load", timeout=120_000)
    fcp = page.evaluate("""() => new Promise(done => {
        const found = () => performance.getEntriesByName('first-contentful-paint')[0];
        if (found()) return done(found().startTime);
        new PerformanceObserver(() => found() && done(found().startTime)).observe({type: 'paint', buffered: true});
    })""")
    context.close()
    return fcp / 1000


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return ""
    return "met" if value <= limit else "NOT MET"


def latest_punch_id(session, code: str = "100059150") -> int:
    return session.scalar(select(Punch.id).join(Employee, Employee.id == Punch.employee_id)
                          .where(Employee.code == code).order_by(Punch.effective_at.desc()).limit(1))


def measure(screen: Screen, *, base: str, browser, month: str, punch: int, samples: int, fcp_runs: int) -> None:
    page = screen.page.format(month=month, punch=punch)
    baseline = screen.baseline.format(month=month, punch=punch)
    client = signed_in_session(base, screen.username)
    timings = render_times(client, base, page, baseline, samples)
    page_p50, page_p95 = percentile(timings["page"], .5) * 1000, percentile(timings["page"], .95) * 1000
    json_p50, json_p95 = percentile(timings["json"], .5) * 1000, percentile(timings["json"], .95) * 1000
    ratio = page_p95 / json_p95
    load_bytes, load_requests, idle_bytes, idle_requests = cold_load_bytes(browser, base, client, page)
    fcps = [first_contentful_paint(browser, base, client, page) for _ in range(fcp_runs)]
    fcp = statistics.median(fcps)
    print(f"\n{screen.name}: {page} (as {screen.username}; baseline {baseline})")
    print(f"  render   page p50 {page_p50:.1f} ms, p95 {page_p95:.1f} ms; JSON p50 {json_p50:.1f} ms, "
          f"p95 {json_p95:.1f} ms; p95 ratio {ratio:.2f}x (target <= {screen.max_render_ratio}x: "
          f"{verdict(ratio, screen.max_render_ratio)})")
    budget = screen.max_cold_bytes
    print(f"  bytes    cold load {load_bytes / 1000:.1f} KB in {load_requests} responses until the load event; "
          f"{idle_bytes / 1000:.1f} KB in {idle_requests} with the service worker's install "
          f"(target <= {budget / 1000 if budget else '-'} KB: {verdict(idle_bytes, budget)})")
    print(f"  FCP      Fast 3G median {fcp:.2f} s of {', '.join(f'{v:.2f}' for v in fcps)} "
          f"(target <= {screen.max_fcp_s} s: {verdict(fcp, screen.max_fcp_s)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--fcp-runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="a screen's name (repeatable)")
    args = parser.parse_args()
    screens = [s for s in SCREENS if not args.only or s.name in args.only]
    print("load average before the run: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    scratch = ScratchDatabase()
    url = scratch.create()
    try:
        upgrade_database(url)
        settings = Settings.from_env(environ={}, database_url=url, secret_key=SECRET_KEY, demo_password=PASSWORD,
                                     local_login="true", cookie_secure="false")
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            seed_demo(session=session, settings=settings)
            seed_big_team(session, settings)
            punch = latest_punch_id(session)
        engine.dispose()
        env = {"OPSTA_DATABASE_URL": url, "OPSTA_SECRET_KEY": SECRET_KEY, "OPSTA_LOCAL_LOGIN": "true",
               "OPSTA_COOKIE_SECURE": "false", "OPSTA_BROKER_URL": "memory://"}
        month = last_full_month(settings.timezone)
        with GunicornServer("api.wsgi:app", env=env, workers=1, threads=2) as server, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for screen in screens:
                    measure(screen, base=server.url, browser=browser, month=month, punch=punch,
                            samples=args.samples, fcp_runs=args.fcp_runs)
            finally:
                browser.close()
    finally:
        scratch.drop()
    print("\nload average after the run: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
