"""The `reports` queue: the `build_report_file` actor and the embedded worker.

Rendering is CPU work: workers run `dramatiq engine.reports.worker --queues reports --processes N
--threads 1`; with `memory://` the app runs one in a thread of its own.
"""
from __future__ import annotations

import dramatiq
from sqlalchemy.orm import Session, sessionmaker

from engine.broker import JobQueue, make_broker
from engine.config import Settings
from engine.reports.jobs import run_report_job

REPORTS_QUEUE = "reports"
ACTOR_NAME = "build_report_file"


class ReportQueue(JobQueue):
    """The `reports` queue of this process."""


def report_queue(*, settings: Settings, session_factory: sessionmaker[Session]) -> ReportQueue:
    """A queue on a new broker for `settings`, its actor bound to this database."""
    broker = make_broker(settings)

    def build_report_file(job_id: int) -> None:
        run_report_job(session_factory=session_factory, settings=settings, job_id=job_id)

    # Our own attempt counter ends a job that keeps crashing; Dramatiq's limit only has to be higher.
    actor = dramatiq.actor(build_report_file, actor_name=ACTOR_NAME, queue_name=REPORTS_QUEUE, broker=broker,
                           max_retries=settings.report_job_max_attempts + 1, min_backoff=1_000, max_backoff=60_000,
                           time_limit=settings.report_job_time_limit_seconds * 1000)
    return ReportQueue(broker=broker, actor=actor, embedded=settings.embedded_broker, worker_threads=1)
