"""Report files built in the background: asking for one, building it (the `reports` queue's job), and
handing it out until it expires.

A download is sent here when it would take longer than `report_background_seconds` (`runs_in_background`):
the job row is committed first, then handed to the broker; the worker builds the `ReportTable`, renders it
with its progress written to the row, and stores the file under `<data_dir>/report-files/`. Only the
employee who asked may read the job or its file. A report's own refusal (a unit the asker may not see,
say) ends the job as `failed` with the problem's code; a crash is retried by Dramatiq up to
`report_job_max_attempts`.
"""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.errors import Conflict, DomainError, NotFound
from engine.models import Employee, ReportJob
from engine.reports.attendance_days import StaleDays
from engine.reports.formats import check_format, render
from engine.reports.registry import build_report, report_module
from engine.reports.table import Filters

log = logging.getLogger(__name__)

FILES_FOLDER = "report-files"
# Seconds per cell to render, measured by bench/report_formats.py on a 2-core machine (rounded up): the
# PDF lays out every cell, XLSX and CSV only write them.
SECONDS_PER_CELL = {"pdf": 1.2e-3, "xlsx": 2.5e-5, "csv": 6e-6, "json": 6e-6}
# Seconds to judge days into the projection before a report can read it, per employee (their punches and
# schedules around the span) and per employee-day (bench/reports.py on a 2-core machine: a month of 10,000
# people in 45-65 s, one day of them in 6-8 s; rounded up).
SECONDS_PER_JUDGED_EMPLOYEE = 5e-4
SECONDS_PER_JUDGED_DAY = 1.5e-4
# Progress (percent) at each step: the query, then the rendering up to 95, then the stored file.
BUILT, RENDERED = 30, 95


class ReportNotReady(Conflict):
    code = "report_not_ready"


class ReportExpired(DomainError):
    status = 410
    code = "report_expired"
    title = "Gone"


def estimated_seconds(*, rows: int, columns: int, fmt: str) -> float:
    """How long rendering `rows` × `columns` cells as `fmt` takes, roughly."""
    return rows * max(columns, 1) * SECONDS_PER_CELL.get(fmt, SECONDS_PER_CELL["pdf"])


def runs_in_background(*, rows: int, columns: int, fmt: str, settings: Settings) -> bool:
    """Whether a download of this size goes to the `reports` queue instead of being answered at once."""
    return estimated_seconds(rows=rows, columns=columns, fmt=fmt) > settings.report_background_seconds


def judging_runs_in_background(*, stale: StaleDays, settings: Settings) -> bool:
    """Whether judging the `stale` days first (`registry.days_to_judge`) alone takes too long to wait for."""
    seconds = stale.employees * SECONDS_PER_JUDGED_EMPLOYEE + stale.count * SECONDS_PER_JUDGED_DAY
    return seconds > settings.report_background_seconds


def filters_record(filters: Filters) -> dict:
    """Filters as the job row keeps them (JSON)."""
    record = asdict(filters)
    record.update(start=filters.start.isoformat(), end=filters.end.isoformat())
    return record


def filters_of(record: dict) -> Filters:
    return Filters(**{**record, "start": date.fromisoformat(record["start"]), "end": date.fromisoformat(record["end"])})


def files_folder(settings: Settings) -> Path:
    return Path(settings.data_dir) / FILES_FOLDER


def start_report_job(*, session: Session, requester: Employee, report: str, fmt: str, language: str,
                     filters: Filters, now: datetime | None = None) -> ReportJob:
    """Record a request for a report file (commits); the caller hands it to the queue with `send_report_job`."""
    report_module(report)  # an unknown report is a 404 now, not a failed job later
    check_format(fmt)
    job = ReportJob(requested_by_id=requester.id, report=report, format=fmt,
                    language=language if language in ("th", "en") else "th", filters=filters_record(filters),
                    state="queued", progress=0, attempts=0, created_at=now or utcnow())
    session.add(job)
    session.commit()
    return job


def send_report_job(*, session: Session, queue, job: ReportJob, now: datetime | None = None) -> bool:
    """Hand a committed job to the broker and note it (commits); False when the broker is down (the
    sweeper sends it later)."""
    try:
        queue.send(job.id)
    except Exception as exc:  # Redis unreachable: the row waits for the sweeper
        log.warning("report job %s not handed to the broker, left for the sweeper: %s", job.id, exc)
        return False
    session.execute(update(ReportJob).where(ReportJob.id == job.id).values(sent_at=now or utcnow()))
    session.commit()
    return True


def _set(session_factory: sessionmaker[Session], job_id: int, **values) -> None:
    with session_factory() as session:
        session.execute(update(ReportJob).where(ReportJob.id == job_id).values(**values))
        session.commit()


def _claim(session_factory: sessionmaker[Session], settings: Settings, job_id: int, now: datetime) -> ReportJob | None:
    """Mark the job running (a job left `running` by a worker that died is taken again); None when it is
    finished or used up its attempts."""
    with session_factory() as session:
        claimed = session.execute(
            update(ReportJob).where(ReportJob.id == job_id, ReportJob.state.in_(("queued", "running")),
                                    ReportJob.attempts < settings.report_job_max_attempts)
            .values(state="running", started_at=now, attempts=ReportJob.attempts + 1, progress=1))
        session.commit()
        if claimed.rowcount != 1:
            return None
        return session.get(ReportJob, job_id)


def run_report_job(*, session_factory: sessionmaker[Session], settings: Settings, job_id: int,
                   now=utcnow) -> str:
    """Build, render and store one job's file; returns the job's state afterwards."""
    job = _claim(session_factory, settings, job_id, now())
    if job is None:
        return "skipped"
    try:
        with session_factory() as session:
            requester = session.get(Employee, job.requested_by_id)
            table = build_report(name=job.report, session=session, viewer=requester,
                                 filters=filters_of(job.filters), settings=settings)
            session.rollback()  # a report only reads
        _set(session_factory, job_id, progress=BUILT, rows=len(table.rows))

        def progress(done: int, total: int) -> None:
            _set(session_factory, job_id, progress=BUILT + (RENDERED - BUILT) * done // max(total, 1))

        body, content_type, file_name = render(table, job.format, job.language, timezone=settings.timezone,
                                               pdf_max_cells=settings.report_pdf_max_cells,
                                               pdf_processes=settings.report_pdf_processes,
                                               printed_at=now(), progress=progress)
    except DomainError as refused:
        _set(session_factory, job_id, state="failed", error_code=refused.code, error=refused.detail,
             finished_at=now())
        return "failed"
    except Exception as crash:
        attempts_left = job.attempts < settings.report_job_max_attempts
        _set(session_factory, job_id, error_code="report_job_crashed", error=f"{type(crash).__name__}: {crash}"[:2000],
             **({} if attempts_left else {"state": "failed", "finished_at": now()}))
        if attempts_left:
            raise  # Dramatiq retries it
        log.exception("report job %s failed for good", job_id)
        return "failed"
    stored_as = _store(settings, job_id, body, job.format)
    finished = now()
    _set(session_factory, job_id, state="done", progress=100, file_name=file_name, stored_as=stored_as,
         content_type=content_type, size=len(body), finished_at=finished, error_code="", error="",
         expires_at=finished + timedelta(hours=settings.report_file_hours))
    return "done"


def _store(settings: Settings, job_id: int, body: bytes, fmt: str) -> str:
    """Write the file whole under a name nobody can guess, then move it into place."""
    folder = files_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job_id}-{secrets.token_hex(8)}.{fmt}"
    partial = folder / f".{name}.part"
    partial.write_bytes(body)
    os.replace(partial, folder / name)
    return name


def report_job(*, session: Session, requester: Employee, job_id: int) -> ReportJob:
    """The requester's own job; anyone else's (or none) is the one 404."""
    job = session.get(ReportJob, job_id)
    if job is None or job.requested_by_id != requester.id:
        raise NotFound("No such report job.", code="report_job_not_found")
    return job


def report_file(*, session: Session, requester: Employee, job_id: int, settings: Settings,
                now: datetime | None = None) -> tuple[ReportJob, Path]:
    """The finished job and its file; 409 while it is being built, 410 once it expired."""
    job = report_job(session=session, requester=requester, job_id=job_id)
    if job.state == "expired" or (job.expires_at is not None and job.expires_at <= (now or utcnow())):
        raise ReportExpired("This report file has expired; ask for it again.")
    if job.state != "done":
        raise ReportNotReady("The report file is not ready yet.", state=job.state, progress=job.progress)
    path = files_folder(settings) / job.stored_as
    if not path.is_file():
        raise ReportExpired("This report file is no longer kept; ask for it again.")
    return job, path


def expire_report_files(*, session_factory: sessionmaker[Session], settings: Settings,
                        now: datetime | None = None) -> int:
    """Delete the files whose time is up and mark their jobs expired; returns how many."""
    now = now or utcnow()
    with session_factory() as session:
        due = session.query(ReportJob).filter(ReportJob.state == "done", ReportJob.expires_at <= now).all()
        for job in due:
            (files_folder(settings) / job.stored_as).unlink(missing_ok=True)
            job.state = "expired"
        session.commit()
        return len(due)


def resend_report_jobs(*, session_factory: sessionmaker[Session], settings: Settings, queue,
                       now: datetime | None = None) -> int:
    """Hand the broker again the queued jobs it never got (it was down) or never started."""
    now = now or utcnow()
    stale = now - timedelta(seconds=settings.report_job_resend_after_seconds)
    with session_factory() as session:
        waiting = session.query(ReportJob).filter(
            ReportJob.state == "queued", or_(ReportJob.sent_at.is_(None), ReportJob.sent_at < stale)).all()
        sent = 0
        for job in waiting:
            if not send_report_job(session=session, queue=queue, job=job, now=now):
                break
            sent += 1
        return sent


def prepare_report_days(*, session: Session, queue, requester: Employee, report: str, filters: Filters,
                        now: datetime | None = None) -> ReportJob:
    """Have the `reports` queue judge the days a report on screen needs (a JSON build of the same report,
    which judges them on the way), unless such a job of the requester is already queued or running."""
    record = filters_record(filters)
    waiting = session.query(ReportJob).filter(
        ReportJob.requested_by_id == requester.id, ReportJob.report == report, ReportJob.format == "json",
        ReportJob.state.in_(("queued", "running"))).all()
    for job in waiting:
        if job.filters == record:
            return job
    job = start_report_job(session=session, requester=requester, report=report, fmt="json", language="th",
                           filters=filters, now=now)
    send_report_job(session=session, queue=queue, job=job, now=now)
    return job
