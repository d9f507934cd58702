"""Timing a benchmark step without slowing it down: wall time, and the peak memory the step added to the process.

Memory is the growth of the process's peak resident set over the step (Linux: writing 5 to
/proc/self/clear_refs resets VmHWM to the current RSS), so C allocations (psycopg, WeasyPrint's Pango and
HarfBuzz) count too, and nothing hooks every Python allocation the way tracemalloc does (it made
Python-heavy steps 3-5x slower in earlier runs, which hid what the step itself costs).
"""
from __future__ import annotations

import time
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def status_kib(field: str) -> int:
    """A `kB` field of /proc/self/status (`VmRSS`, `VmHWM`), 0 where there is none (not Linux)."""
    try:
        lines = STATUS.read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    """Make VmHWM start again from the current resident set (a no-op where the kernel does not offer it)."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        pass


def timed(step, samples: int) -> tuple[list[float], int, object]:
    """Run `step` `samples` times; the durations (s), the most memory one run added (bytes), the last result."""
    durations, peak, result = [], 0, None
    for _ in range(samples):
        result = None  # the previous result's memory must not count as this run's baseline
        reset_peak()
        before = status_kib("VmRSS")
        started = time.perf_counter()
        result = step()
        durations.append(time.perf_counter() - started)
        peak = max(peak, (status_kib("VmHWM") - before) * 1024)
    return durations, peak, result
