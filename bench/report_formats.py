"""Report formats: XLSX of a 10,000-employee monthly grid and a 1,000-row PDF, against plain CSV of the same rows.

Run from the repo root:  .venv/bin/python bench/report_formats.py [--employees 10000] [--pdf-rows 1000]
What it does, all in this run:
  * builds the tables in memory (tests/support/report_tables.py: the grid has one row per employee, a code,
    a Thai name, 31 day codes and late minutes; the PDF table has nine columns of every kind), so it times
    the renderers alone, not the report queries (bench/reports.py times those);
  * baseline: the same rows written as plain CSV with the csv module (no translation, no formatting);
  * renders the grid as XLSX (XlsxWriter, constant memory) and the list as PDF (WeasyPrint, Sarabun),
    best of `--repeat` runs, each also giving the peak memory it added to the process (resident set,
    bench/measure.py: no tracemalloc, which slowed the Python-heavy renderers 3-5x and counted no C memory);
  * prints each time, its ratio to the baseline, the peak memory, the seconds per cell that
    engine/reports/jobs.py SECONDS_PER_CELL uses to send large downloads to the background, and the
    targets of issue 15 (grid as XLSX ≤ 10 s, a 1,000-row PDF ≤ 10 s, memory bounded), judged on wall and
    on CPU time (on a shared machine the wall time includes waiting for a core).
"""
from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo root, not bench/

from bench.measure import timed as timed_with_memory  # noqa: E402
from engine.reports.formats import render  # noqa: E402
from engine.reports.jobs import SECONDS_PER_CELL  # noqa: E402
from tests.support.report_tables import grid_table, overtime_table  # noqa: E402

TARGET_SECONDS = 10.0


def plain_csv(table) -> bytes:
    """The baseline: every cell as str() through the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in table.columns])
    for row in table.rows:
        writer.writerow([row.get(column.key) for column in table.columns])
    return buffer.getvalue().encode("utf-8")


def timed(action, repeat: int) -> tuple[float, float, int, bytes]:
    """Best wall time, best CPU time (what the process itself spent: on a shared, loaded machine the wall
    time also counts the waits for a core), the most memory one run added (bytes), and the bytes."""
    best_cpu, cpu_clock = float("inf"), time.process_time

    def step():
        nonlocal best_cpu
        started_cpu = cpu_clock()
        body = action()
        best_cpu = min(best_cpu, cpu_clock() - started_cpu)
        return body

    durations, peak, body = timed_with_memory(step, repeat)
    return min(durations), best_cpu, peak, body


def measure(label: str, table, fmt: str, repeat: int, **options) -> None:
    cells = len(table.rows) * len(table.columns)
    baseline, baseline_cpu, baseline_peak, baseline_body = timed(lambda: plain_csv(table), repeat)
    seconds, cpu, peak, body = timed(lambda: render(table, fmt, "th", timezone="Asia/Bangkok", **options).content,
                                  repeat)
    verdict = "met" if seconds <= TARGET_SECONDS else "NOT met"
    cpu_verdict = "met" if cpu <= TARGET_SECONDS else "NOT met"
    print(f"{label}: {len(table.rows):,} rows × {len(table.columns)} columns = {cells:,} cells")
    print(f"  baseline plain CSV  {baseline:7.3f} s wall  {baseline_cpu:7.3f} s CPU  {len(baseline_body) / 2**20:6.2f} MiB")
    print(f"  {fmt.upper():<4} (th)          {seconds:7.3f} s wall  {cpu:7.3f} s CPU  {len(body) / 2**20:6.2f} MiB  "
          f"= {seconds / baseline:6.1f}× the baseline (CPU {cpu / baseline_cpu:6.1f}×)")
    print(f"  target ≤ {TARGET_SECONDS:g} s: wall {verdict}, CPU {cpu_verdict}")
    print(f"  peak memory added while rendering {peak / 2**20:7.1f} MiB (plain CSV: {baseline_peak / 2**20:.1f} MiB)")
    print(f"  CPU seconds per cell {cpu / cells:.2e} (estimate used for background jobs: "
          f"{SECONDS_PER_CELL[fmt]:.2e})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--pdf-rows", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    measure("attendance grid", grid_table(args.employees), "xlsx", args.repeat)
    # A PDF this long is laid out in parts by a process per CPU (engine/reports/formats/pdf_parts.py): one
    # rendering first starts the workers, as a running server has them; the CPU time is this process's alone.
    render(overtime_table(args.pdf_rows), "pdf", "th")
    measure("overtime list, in parts", overtime_table(args.pdf_rows), "pdf", 1)
    measure("overtime list, one document", overtime_table(args.pdf_rows), "pdf", 1, pdf_processes=1)
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
