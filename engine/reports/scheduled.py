"""The reports' periodic job: expired files deleted, and jobs the broker never got sent again."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.reports.jobs import expire_report_files, resend_report_jobs


def report_files_tick(*, session_factory: sessionmaker[Session], settings: Settings, now: datetime,
                      queue=None) -> dict[str, int]:
    """Expire the files whose time is up; with a queue, re-send the jobs left waiting."""
    result = {"expired": expire_report_files(session_factory=session_factory, settings=settings, now=now)}
    if queue is not None:
        result["resent"] = resend_report_jobs(session_factory=session_factory, settings=settings, queue=queue, now=now)
    return result
