"""Monthly attendance summary and grid for a ministry-sized org, against a bare SQL aggregate of the same punches.

Run from the repo root:  .venv/bin/python bench/reports.py [--employees 10000] [--samples 3]
What it does:
  * creates a scratch PostgreSQL database (127.0.0.1:5432, like the tests), runs the migrations and seeds
    `--employees` people with the last full month of punches (and the days around it), the Thai holidays and
    two schedules, exactly as bench/calendar.py does (bench/calendar_seed.py, COPY, real hash chains);
  * times, for that month, as an hr viewer:
      bare SQL    - one aggregate over the month's punches (psycopg, no ORM): per employee the days with an IN,
                    late first INs and their minutes, early last OUTs; and the per-day rows a grid would pivot;
      projection  - every employee-day of the month judged by the calendar's rules and written to
                    attendance_days, as the scheduler's upkeep does in the background (engine/reports/day_upkeep.py;
                    triggers and `final` spare every later report);
      summary     - engine.reports.registry.build_report("attendance-summary") with the projection fresh;
      grid        - the same for "attendance-grid";
      one day     - the summary again after a holiday is added to one day (the triggers forget that day for
                    everyone, so 10,000 employee-days are judged again);
  * prints each median, its ratio to the bare aggregate, the peak memory each step added to the process
    (resident set, bench/measure.py) and the process's peak RSS. Targets (issue 15): summary <= 3 s, memory
    bounded.
  * then every file format (engine.reports.formats.FILE_FORMATS: csv, xlsx, pdf) is timed on the grid (all rows;
    as PDF its first rows up to PDF_MAX_CELLS, the largest PDF still made) and on the first 1,000 rows of the
    summary: FORMAT HOOK below. Targets: grid as XLSX <= 10 s, a 1,000-row
    PDF <= 10 s. A PDF that long is laid out in parts by a process per CPU (engine/reports/formats/pdf_parts.py;
    the workers start with the grid's PDF, so the summary's finds them running): the summary's PDF is also
    timed as one document in this process, the baseline the parts are against. The peak memory of a PDF in
    parts is this process's alone; each worker holds about its share of the pages.
Everything it started is stopped and the scratch database dropped, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path[0] = str(Path(__file__).resolve().parents[1])   # the repo root, as bench/calendar.py does

import psycopg  # noqa: E402

from bench.calendar import seed  # noqa: E402
from bench.measure import timed  # noqa: E402
from engine.attendance.punch_days import punch_window  # noqa: E402
from engine.attendance.thai_calendar import parse_month  # noqa: E402
from engine.config import Settings  # noqa: E402
from engine.db import make_engine, make_session_factory  # noqa: E402
from engine.migrate import upgrade_database  # noqa: E402
from engine.models import Employee, EmployeeRole, Holiday  # noqa: E402
from engine.reports.filters import parse_filters  # noqa: E402
from engine.reports.formats import FILE_FORMATS, PDF_MAX_CELLS, fits_pdf, render  # noqa: E402
from engine.reports.day_upkeep import judge_period  # noqa: E402
from engine.reports.registry import build_report  # noqa: E402
from tests.support.database import ScratchDatabase  # noqa: E402

SECRET_KEY = "bench-secret-key-0123456789abcdef"
TARGET_SUMMARY_S = 3.0
TARGET_GRID_XLSX_S = 10.0
TARGET_PDF_S = 10.0
PDF_LABEL = "summary, 1,000 rows"
# The bare aggregate: the same punches, grouped by employee and local day in SQL, no rules beyond first IN /
# last OUT against the default hours (what a hand-written report query would do).
BARE_DAYS = """
    SELECT employee_id, (effective_at AT TIME ZONE %(tz)s)::date AS day,
           min(effective_at) FILTER (WHERE direction = 'in') AS first_in,
           max(effective_at) FILTER (WHERE direction = 'out') AS last_out
    FROM punches WHERE effective_at >= %(start)s AND effective_at < %(end)s
    GROUP BY 1, 2"""
BARE_SUMMARY = f"""
    WITH days AS ({BARE_DAYS})
    SELECT employee_id, count(first_in) AS present,
           sum(CASE WHEN (first_in AT TIME ZONE %(tz)s)::time > '08:45' THEN 1 ELSE 0 END) AS late,
           sum(CASE WHEN (first_in AT TIME ZONE %(tz)s)::time > '08:45'
                    THEN extract(epoch FROM (first_in AT TIME ZONE %(tz)s)::time - '08:45') / 60 ELSE 0 END),
           sum(CASE WHEN (last_out AT TIME ZONE %(tz)s)::time < '16:30' THEN 1 ELSE 0 END) AS early,
           sum(CASE WHEN first_in IS NOT NULL AND last_out IS NULL THEN 1 ELSE 0 END) AS incomplete
    FROM days WHERE day BETWEEN %(first)s AND %(last)s GROUP BY employee_id"""


def bare(raw_url: str, query: str, params: dict) -> int:
    with psycopg.connect(raw_url) as conn:
        return len(conn.execute(query, params).fetchall())


def time_formats(tables: dict[str, object], samples: int, timezone: str) -> list[tuple[str, list[float], int]]:
    """FORMAT HOOK: every file format on each table (add a format to FILE_FORMATS and it is timed here)."""
    results = []
    for fmt in FILE_FORMATS:
        for label, table in tables.items():
            if fmt == "pdf" and not fits_pdf(table):
                # Refused as a PDF (PDF_MAX_CELLS): the largest PDF of this table that is still made.
                rows = PDF_MAX_CELLS // len(table.columns)
                table, label = dataclasses.replace(table, rows=table.rows[:rows]), f"{label}, first {rows:,} rows"
            durations, peak, rendered = timed(lambda: render(table, fmt, "th", timezone=timezone), samples)
            results.append((f"{fmt}: {label} ({len(rendered.content):,} bytes)", durations, peak))
            if fmt == "pdf" and label == PDF_LABEL:
                # The same PDF laid out as one document in this process: what the parts save.
                durations, peak, rendered = timed(lambda: render(table, fmt, "th", timezone=timezone,
                                                                 pdf_processes=1), samples)
                results.append((f"{fmt}: {label} as one document ({len(rendered.content):,} bytes)", durations, peak))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10_000, help="people in the org (default 10,000)")
    parser.add_argument("--samples", type=int, default=3, help="timed runs per measurement (default 3)")
    args = parser.parse_args()
    if args.employees < 100:
        parser.error("--employees must be at least 100")

    zone = ZoneInfo(Settings().timezone)
    today = datetime.now(zone).date()
    month = parse_month(f"{today.replace(day=1) - timedelta(days=1):%Y-%m}")
    first_day, last_day = month.first_day - timedelta(days=3), min(month.last_day + timedelta(days=2),
                                                                   today - timedelta(days=1))
    scratch = ScratchDatabase()
    database_url = scratch.create()
    raw_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    try:
        upgrade_database(database_url)
        settings = Settings.from_env(environ={}, database_url=database_url, secret_key=SECRET_KEY,
                                     local_login="true", broker_url="memory://")
        print(f"seeding {args.employees:,} employees, punches {first_day} .. {last_day} ...", flush=True)
        started = time.perf_counter()
        org, _team = seed(database_url=database_url, settings=settings, employees=args.employees,
                          first_day=first_day, last_day=last_day)
        print(f"seeded in {time.perf_counter() - started:.0f} s; month {month}", flush=True)
        engine = make_engine(database_url)
        session_factory = make_session_factory(engine)
        with session_factory() as session:
            viewer_id = org.employees[0][0]
            session.add(EmployeeRole(employee_id=viewer_id, role="hr"))
            session.commit()
        filters = parse_filters(today=today, month=str(month))
        start, end = punch_window(first_day=month.first_day, last_day=month.last_day, tz=zone)
        params = {"tz": settings.timezone, "start": start, "end": end, "first": month.first_day,
                  "last": month.last_day}

        def report(name: str):
            with session_factory() as session:
                return build_report(name=name, session=session, viewer=session.get(Employee, viewer_id),
                                    filters=filters, settings=settings)

        def holiday_then_summary():
            with session_factory() as session:
                day = month.first_day + timedelta(days=len(results))
                session.add(Holiday(day=day, name_th="วันหยุดทดสอบ", name_en="Bench holiday"))
                session.commit()
            return report("attendance-summary")

        results: dict[str, tuple[list[float], int]] = {}
        durations, peak, rows = timed(lambda: bare(raw_url, BARE_SUMMARY, params), args.samples)
        results[f"bare SQL aggregate ({rows:,} employees)"] = (durations, peak)
        durations, peak, rows = timed(lambda: bare(raw_url, BARE_DAYS, params), args.samples)
        results[f"bare SQL per-day rows ({rows:,})"] = (durations, peak)
        durations, peak, judged = timed(lambda: judge_period(session_factory=session_factory, settings=settings,
                                                             start=month.first_day, end=month.last_day), 1)
        results[f"projection: the month judged ({judged:,} days; the scheduler's upkeep)"] = (durations, peak)
        durations, peak, summary = timed(lambda: report("attendance-summary"), args.samples)
        results[f"summary, projection fresh ({len(summary.rows):,} rows)"] = (durations, peak)
        durations, peak, grid = timed(lambda: report("attendance-grid"), args.samples)
        results[f"grid, projection fresh ({len(grid.rows):,} rows)"] = (durations, peak)
        durations, peak, _ = timed(holiday_then_summary, 1)
        results["summary after a new holiday (one day judged again for everyone)"] = (durations, peak)
        summary_1000 = dataclasses.replace(summary, rows=summary.rows[:1000])
        format_results = time_formats({"grid": grid, PDF_LABEL: summary_1000}, 1, settings.timezone)
        engine.dispose()

        baseline = statistics.median(next(iter(results.values()))[0])
        print()
        print(f"{'step':72}{'median s':>10}{'/bare':>8}{'peak MB':>9}")
        for name, (durations, peak) in [*results.items(), *((n, (d, p)) for n, d, p in format_results)]:
            median = statistics.median(durations)
            print(f"{name:72}{median:10.3f}{median / baseline:7.1f}x{peak / 2**20:9.1f}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak RSS {rss:.0f} MB; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        fresh = statistics.median(next(d for n, (d, _p) in results.items() if n.startswith("summary, projection")))
        print(f"target: summary <= {TARGET_SUMMARY_S:.0f} s -> {fresh:.2f} s: "
              f"{'met' if fresh <= TARGET_SUMMARY_S else 'NOT met'}")
        grid_build = statistics.median(next(d for n, (d, _p) in results.items() if n.startswith("grid, projection")))
        formats = {n.split(" (")[0]: statistics.median(d) for n, d, _p in format_results}
        grid_xlsx = grid_build + formats["xlsx: grid"]
        print(f"target: grid as XLSX <= {TARGET_GRID_XLSX_S:.0f} s -> {grid_xlsx:.2f} s (build + file): "
              f"{'met' if grid_xlsx <= TARGET_GRID_XLSX_S else 'NOT met'}")
        pdf, one_document = formats[f"pdf: {PDF_LABEL}"], formats[f"pdf: {PDF_LABEL} as one document"]
        cpus = len(os.sched_getaffinity(0))
        print(f"target: a 1,000-row PDF <= {TARGET_PDF_S:.0f} s -> {pdf:.2f} s in parts on {cpus} CPUs "
              f"({one_document:.2f} s as one document, {one_document / pdf:.1f}x): "
              f"{'met' if pdf <= TARGET_PDF_S else 'NOT met'}")
        return 0
    finally:
        scratch.drop()


if __name__ == "__main__":
    sys.exit(main())
