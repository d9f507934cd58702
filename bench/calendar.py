"""Monthly calendar speed on a ministry-sized ledger: one employee, and a supervisor's team.

Run from the repo root:  .venv/bin/python bench/calendar.py [--employees 10000] [--days 365] [--samples 50]
What it does:
  * creates a scratch PostgreSQL database (127.0.0.1:5432, like the tests) and runs the migrations;
  * seeds `--employees` people in a realistic org (bench/calendar_seed.py: departments, divisions, teams of
    10-20 under a supervisor), the Thai public holidays, two schedules, the MOC-OPS site, and `--days` days
    of punches up to yesterday (IN and OUT per working day, with absences, late arrivals, forgotten OUTs and
    WFH days), with correct ledger hashes, via COPY; then VACUUM ANALYZE;
  * times, for the last full month:
      baseline  - the bare SQL query (psycopg, no ORM) that fetches the month's punches for one employee;
      service   - engine.attendance.calendar.month_calendar, fresh session per call (one employee, repeated;
                  then every member of one supervisor's team);
      HTTP      - GET /api/me/calendar?month= as that employee, and GET /api/employees/{code}/calendar as the
                  supervisor for each team member, on the real app under gunicorn, one request at a time;
  * prints p50/p95 per calendar and the ratio to the baseline. Target (issue 3): p95 under 30 ms.
Everything it started is stopped and the scratch database dropped, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime, time as clock_time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# Replace the script's own folder (sys.path[0]) by the repo root: this file would shadow the stdlib calendar.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import psycopg  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.calendar_seed import build_org, copy_org, copy_punches  # noqa: E402
from bench.gunicorn_server import GunicornServer  # noqa: E402
from engine.accounts.service import set_local_account  # noqa: E402
from engine.attendance.calendar import month_calendar  # noqa: E402
from engine.attendance.ledger import GENESIS_HASH  # noqa: E402
from engine.attendance.ledger_hash import hash_matches  # noqa: E402
from engine.attendance.punch_days import punch_window  # noqa: E402
from engine.attendance.thai_calendar import parse_month  # noqa: E402
from engine.config import Settings  # noqa: E402
from engine.db import make_engine, make_session_factory  # noqa: E402
from engine.demo.attendance import HOLIDAY_FILES, holiday_dir  # noqa: E402
from engine.migrate import upgrade_database  # noqa: E402
from engine.models import Employee, Holiday, LedgerHead, OrgUnit, Punch  # noqa: E402
from engine.schedules.holidays import import_holidays_file  # noqa: E402
from engine.schedules.service import define_schedule, ensure_default_schedule, set_unit_schedule  # noqa: E402
from engine.sites.service import create_site  # noqa: E402
from geo import load_demo_site_geojson  # noqa: E402
from tests.support.database import ScratchDatabase  # noqa: E402

SECRET_KEY = "bench-secret-key-0123456789abcdef"
PASSWORD = "bench-password"
TARGET_P95_MS = 30.0
BARE_MONTH_QUERY = ("SELECT * FROM punches WHERE employee_id = %s AND effective_at >= %s AND effective_at < %s "
                    "ORDER BY effective_at, id")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def seed(*, database_url: str, settings: Settings, employees: int, first_day: date, last_day: date):
    """The org, holidays, schedules, site, punches and two local accounts; returns (org, team)."""
    org = build_org(employees)
    engine = make_engine(database_url)
    session_factory = make_session_factory(engine)
    with session_factory() as session:
        for name in HOLIDAY_FILES:
            import_holidays_file(session=session, path_or_file=holiday_dir() / name)
        ensure_default_schedule(session=session)
        feature = load_demo_site_geojson()
        site = create_site(session=session, name=feature["properties"]["name"], geometry=feature["geometry"],
                           tolerance_m=feature["properties"].get("tolerance_m"))
        holidays = set(session.scalars(select(Holiday.day)))
        site_id = site.id
        session.commit()
    raw_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw_url) as conn:
        # Skips FK triggers for this bulk load only; the generated rows are consistent by construction.
        conn.execute("SET session_replication_role = replica")
        copy_org(conn, org)
        started = time.perf_counter()
        count = copy_punches(conn, org, first_day=first_day, last_day=last_day, holidays=holidays, site_id=site_id,
                             progress=lambda text: print(text, flush=True))
        conn.commit()
        print(f"  {count:,} punches generated, hashed and copied in {time.perf_counter() - started:.0f} s", flush=True)
    with session_factory() as session:
        if org.early_units:
            early = define_schedule(session=session, name="early", start=clock_time(7, 30), end=clock_time(15, 30))
            top = min(org.early_units)  # the department unit; its divisions inherit it
            set_unit_schedule(session=session, unit=session.get(OrgUnit, top), schedule=early,
                              effective_from=first_day - timedelta(days=30))
        supervisor_id, members = org.teams[0]
        set_local_account(session=session, employee=session.get(Employee, members[0]), username="bench_employee",
                          password=PASSWORD)
        set_local_account(session=session, employee=session.get(Employee, supervisor_id),
                          username="bench_supervisor", password=PASSWORD)
        session.commit()
    engine.dispose()
    started = time.perf_counter()
    with psycopg.connect(raw_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE in {time.perf_counter() - started:.0f} s", flush=True)
    return org, org.teams[0]


def broken_chains(session_factory, employee_ids: list[int]) -> list[int]:
    """Employees among `employee_ids` whose seeded chain does not verify (recomputed through the ORM)."""
    broken = []
    with session_factory() as session:
        for employee_id in employee_ids:
            prev = GENESIS_HASH
            for punch in session.scalars(select(Punch).where(Punch.employee_id == employee_id).order_by(Punch.id)):
                if punch.prev_hash != prev or not hash_matches(punch, prev):
                    broken.append(employee_id)
                    break
                prev = punch.content_hash
            else:
                head = session.get(LedgerHead, employee_id)
                if prev != GENESIS_HASH and (head is None or head.last_hash != prev):
                    broken.append(employee_id)
    return broken


def query_plan(raw_url: str, employee_id: int, window) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the month's punch query, to show which index serves it."""
    with psycopg.connect(raw_url) as conn:
        return [row[0] for row in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + BARE_MONTH_QUERY, (employee_id, *window))]


def time_bare_query(raw_url: str, employee_ids: list[int], window, samples: int) -> list[float]:
    timings = []
    with psycopg.connect(raw_url) as conn:
        for n in range(samples):
            started = time.perf_counter()
            conn.execute(BARE_MONTH_QUERY, (employee_ids[n % len(employee_ids)], *window)).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_service(session_factory, settings: Settings, employee_ids: list[int], month, samples: int) -> list[float]:
    """month_calendar with a fresh session per call, like a request; the employee is loaded before timing."""
    timings = []
    for n in range(samples):
        with session_factory() as session:
            employee = session.get(Employee, employee_ids[n % len(employee_ids)])
            started = time.perf_counter()
            calendar = month_calendar(session=session, settings=settings, employee=employee, month=month)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(calendar["days"]) == month.last_day.day
    return timings


def time_http(client: requests.Session, urls: list[str], samples: int) -> list[float]:
    timings = []
    for n in range(samples):
        started = time.perf_counter()
        reply = client.get(urls[n % len(urls)], timeout=30)
        timings.append((time.perf_counter() - started) * 1000)
        if reply.status_code != 200:
            raise RuntimeError(f"{urls[n % len(urls)]}: {reply.status_code} {reply.text[:300]}")
    return timings


def signed_in(url: str, username: str) -> requests.Session:
    client = requests.Session()
    reply = client.post(f"{url}/api/auth/token", json={"username": username, "password": PASSWORD}, timeout=60)
    reply.raise_for_status()
    client.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10_000, help="people in the org (default 10,000)")
    parser.add_argument("--days", type=int, default=365, help="days of punches up to yesterday (default 365)")
    parser.add_argument("--samples", type=int, default=50, help="timed calls per measurement (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker (default 2)")
    args = parser.parse_args()
    if args.employees < 100:
        parser.error("--employees must be at least 100")

    today = datetime.now(ZoneInfo(Settings().timezone)).date()
    last_day, first_day = today - timedelta(days=1), today - timedelta(days=args.days)
    month = parse_month(f"{today.replace(day=1) - timedelta(days=1):%Y-%m}")
    scratch = ScratchDatabase()
    database_url = scratch.create()
    raw_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    server = None
    try:
        upgrade_database(database_url)
        settings = Settings.from_env(environ={}, database_url=database_url, secret_key=SECRET_KEY,
                                     local_login="true", broker_url="memory://")
        print(f"seeding {args.employees:,} employees, punches {first_day} .. {last_day} ...", flush=True)
        started = time.perf_counter()
        org, (supervisor_id, team) = seed(database_url=database_url, settings=settings, employees=args.employees,
                                          first_day=first_day, last_day=last_day)
        print(f"seeded in {time.perf_counter() - started:.0f} s; timing month {month} "
              f"(employee {team[0]}, team of {len(team)} under supervisor {supervisor_id})", flush=True)

        codes = {e[0]: e[1] for e in org.employees}
        window = punch_window(first_day=month.first_day, last_day=month.last_day, tz=ZoneInfo(settings.timezone))
        engine = make_engine(database_url)
        session_factory = make_session_factory(engine)
        broken = broken_chains(session_factory, [supervisor_id, *team])
        print(f"ledger chains of the timed team re-verified with hash_matches: "
              f"{'all intact' if not broken else f'BROKEN for {broken}'}", flush=True)
        results: dict[str, list[float]] = {}
        results["baseline: bare SQL, one employee's month"] = time_bare_query(raw_url, [team[0]], window, args.samples)
        results["service: one employee"] = time_service(session_factory, settings, [team[0]], month, args.samples)
        results["service: supervisor's team"] = time_service(session_factory, settings, team,
                                                             month, max(args.samples, len(team) * 3))
        engine.dispose()

        env = {"OPSTA_DATABASE_URL": database_url, "OPSTA_SECRET_KEY": SECRET_KEY, "OPSTA_LOCAL_LOGIN": "true",
               "OPSTA_BROKER_URL": "memory://", "OPSTA_GEOCODER_URL": ""}
        server = GunicornServer("api.wsgi:app", env=env, workers=args.workers, threads=args.threads).start()
        employee_client = signed_in(server.url, "bench_employee")
        supervisor_client = signed_in(server.url, "bench_supervisor")
        time_http(employee_client, [f"{server.url}/api/me/calendar?month={month}"], 5)  # warm-up
        results["HTTP: GET /api/me/calendar"] = time_http(
            employee_client, [f"{server.url}/api/me/calendar?month={month}"], args.samples)
        team_urls = [f"{server.url}/api/employees/{codes[m]}/calendar?month={month}" for m in team]
        results["HTTP: team via /api/employees/{code}/calendar"] = time_http(
            supervisor_client, team_urls, max(args.samples, len(team) * 3))
        employee_client.close()
        supervisor_client.close()
        server.stop()

        print("plan of the month's punch query (same WHERE as the calendar's):")
        print(*(f"    {line}" for line in query_plan(raw_url, team[0], window)), sep="\n")
        baseline_p50 = statistics.median(results["baseline: bare SQL, one employee's month"])
        print()
        print(f"{'per calendar':48}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p50/baseline':>14}")
        for name, timings in results.items():
            p50 = statistics.median(timings)
            print(f"{name:48}{len(timings):5}{p50:9.2f}{percentile(timings, 95):9.2f}{p50 / baseline_p50:13.1f}x")
        worst = max(percentile(t, 95) for name, t in results.items() if not name.startswith("baseline"))
        print(f"target: p95 < {TARGET_P95_MS:.0f} ms per calendar -> worst p95 {worst:.1f} ms: "
              f"{'met' if worst < TARGET_P95_MS else 'NOT met'}")
        return 1 if broken else 0
    finally:
        if server is not None:
            server.stop()
        scratch.drop()


if __name__ == "__main__":
    sys.exit(main())
