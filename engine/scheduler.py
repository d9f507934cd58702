"""Every periodic job of OPS-TA in one loop: BPMN timers, the selfie outbox sweep and purge,
the silent-device check, the purge of old sign-in records, the check that the coming year's public
holidays are loaded, announcements reaching their publish time, the push outbox sweep, the expiry of report files and the
upkeep of the attendance day projection the reports read.

`opsta scheduler` runs it as its own process (a compose service); `opsta run` runs it in a
thread of the embedded server. Each job is safe to run in several schedulers at once.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow

log = logging.getLogger(__name__)

HOLIDAY_CHECK_INTERVAL_S = 3600.0  # the answer changes once a year; hourly is plenty


@dataclass
class PeriodicJob:
    name: str
    interval_s: float
    run: Callable[[datetime], object]
    next_at: float = field(default=0.0)


def periodic_jobs(*, settings: Settings, session_factory: sessionmaker[Session], face_queue=None,
                  push_queue=None, report_queue=None) -> list[PeriodicJob]:
    """The jobs with their intervals; `face_queue`, `push_queue` and `report_queue` are the app's queues in
    embedded mode."""
    from engine.accounts.scheduled import purge_sign_in_records
    from engine.announcements.publication import announce_due
    from engine.face_checks.scheduled import face_verification_tick
    from engine.push.scheduled import sweep_push_outbox
    from engine.reports.day_upkeep import keep_attendance_days
    from engine.reports.scheduled import report_files_tick
    from engine.requests.scheduled import tick_due
    from engine.schedules.holiday_coverage import announce_missing_holidays
    from engine.terminals.silence import check_silent_devices

    def silent_devices(now: datetime):
        with session_factory() as session:
            return len(check_silent_devices(session=session, settings=settings, now=now))

    def missing_holidays(now: datetime):
        with session_factory() as session:
            return {"years_without_holidays": announce_missing_holidays(session=session, settings=settings, now=now)}

    return [
        PeriodicJob("bpmn timers", settings.scheduler_interval_seconds,
                    lambda now: tick_due(session_factory=session_factory, settings=settings, now=now)),
        PeriodicJob("selfie verification sweep", settings.face_sweep_interval_seconds,
                    lambda now: face_verification_tick(session_factory, settings, now, queue=face_queue)),
        PeriodicJob("silent devices", settings.scheduler_interval_seconds, silent_devices),
        PeriodicJob("old sign-in records", 3600.0,
                    lambda now: purge_sign_in_records(session_factory=session_factory, settings=settings, now=now)),
        PeriodicJob("public holidays loaded", HOLIDAY_CHECK_INTERVAL_S, missing_holidays),
        PeriodicJob("announcements due", settings.scheduler_interval_seconds,
                    lambda now: announce_due(session_factory=session_factory, now=now)),
        PeriodicJob("push outbox sweep", settings.push_sweep_interval_seconds,
                    lambda now: sweep_push_outbox(session_factory=session_factory, settings=settings, now=now,
                                                  queue=push_queue)),
        PeriodicJob("report files", settings.scheduler_interval_seconds,
                    lambda now: report_files_tick(session_factory=session_factory, settings=settings, now=now,
                                                  queue=report_queue)),
        PeriodicJob("attendance days", settings.attendance_upkeep_interval_seconds,
                    lambda now: keep_attendance_days(session_factory=session_factory, settings=settings, now=now)),
    ]


def run_once(jobs: list[PeriodicJob], now: datetime | None = None) -> dict[str, object]:
    """Run every job now; a failing job is logged and does not stop the others."""
    results = {}
    for job in jobs:
        try:
            results[job.name] = job.run(now or utcnow())
        except Exception as exc:  # noqa: BLE001 - one broken job must not stop the rest
            log.exception("periodic job %r failed", job.name)
            results[job.name] = f"error: {type(exc).__name__}"
    return results


def run_forever(jobs: list[PeriodicJob], stop: threading.Event, *, clock: Callable[[], datetime] = utcnow) -> None:
    """Run each job every `interval_s` until `stop` is set."""
    while not stop.is_set():
        moment = time.monotonic()
        for job in jobs:
            if moment >= job.next_at:
                run_once([job], clock())
                job.next_at = time.monotonic() + job.interval_s
        stop.wait(max(0.2, min(job.next_at for job in jobs) - time.monotonic()))


def start_scheduler_thread(*, settings: Settings, session_factory: sessionmaker[Session],
                           face_queue=None, push_queue=None, report_queue=None) -> tuple[threading.Thread, threading.Event]:
    """Run the scheduler in a daemon thread (embedded mode); set the returned event to stop it."""
    stop = threading.Event()
    jobs = periodic_jobs(settings=settings, session_factory=session_factory, face_queue=face_queue,
                         push_queue=push_queue, report_queue=report_queue)
    thread = threading.Thread(target=run_forever, args=(jobs, stop), name="opsta-scheduler", daemon=True)
    thread.start()
    return thread, stop
