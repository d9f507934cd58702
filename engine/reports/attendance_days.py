"""Keep the attendance day projection (`attendance_days`, `overtime_worked`) true for a period, before a report
reads it with SQL aggregates.

A day is *fresh* when its row exists, was judged under the current settings (`rules_key`) and is `final` (or was
judged less than `NOT_FINAL_REUSE` ago).
Triggers (migration 0011) delete the rows any change can affect, so everything else is re-evaluated
here, with `engine.attendance.day_evaluation` (the calendar's own evaluation), in chunks of employees
whose schedules, punches and approved off-site days are each read in one query per chunk. Each chunk runs in a
transaction of its own that holds the projection lock from its first read to its commit (migration 0013), so a
change made meanwhile is either read by the chunk or deletes the chunk's rows once they are committed. The
scheduler keeps the recent months judged ahead of the reports (`engine.reports.day_upkeep`).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, delete, false, func, insert, or_, select, text
from sqlalchemy.orm import Session

from engine.attendance.day_evaluation import EvaluatedDay, evaluate_days
from engine.attendance.day_rules import Status
from engine.attendance.punch_days import TimedPunch, punch_window
from engine.attendance.punch_standing import counts_toward_attendance, punch_standing
from engine.config import Settings
from engine.db import utcnow
from engine.models import (ApprovalRequest, AttendanceDay, Employee, FaceVerification, OffsiteRequest,
                           OvertimeRequest, OvertimeWorked, Punch, PunchAcceptance)
from engine.schedules.service import schedules_for_employees

# Employee-days judged per transaction: small enough that a change waiting on the projection lock waits about
# a second (a month of 200 people), large enough that each chunk's fixed reads (schedules, units, holidays) stay
# few: one day of 10,000 people (a new holiday) is two chunks, not fifty.
CHUNK_DAYS = 6_000
# The advisory lock changes take shared and a chunk exclusively (migration 0013_projection_guard).
PROJECTION_LOCK = 0x4F50535441444159
NOT_FINAL_REUSE = timedelta(seconds=60)


def rules_key(settings: Settings) -> str:
    """The settings a day's status depends on; a row judged under others is evaluated again."""
    return (f"{settings.timezone}|grace={settings.late_grace_minutes}|boundary={settings.day_boundary}"
            f"|late_out={settings.late_out_window_minutes}")


@dataclass(frozen=True)
class StaleDays:
    """The days a refresh would judge: employees grouped by the span from their first to their last stale
    day (one chunk reads one window of punches), and how many employee-days that is."""
    spans: dict[tuple[date, date], list[int]]

    @property
    def count(self) -> int:
        return sum(((last - first).days + 1) * len(ids) for (first, last), ids in self.spans.items())

    @property
    def employees(self) -> int:
        return sum(len(ids) for ids in self.spans.values())


def stale_days(*, session: Session, settings: Settings, employee_ids: Select, start: date, end: date,
               now: datetime | None = None) -> StaleDays:
    """Which days from `start` to `end` of the employees `employee_ids` selects are not fresh, and which
    overtime requests on those days have no worked minutes yet (their days count as stale)."""
    rules = rules_key(settings)
    now = now or utcnow()
    scope = employee_ids
    # Fresh: final, or judged less than a minute ago (today's rows: a report a minute later need not judge
    # 10,000 days again; any punch or decision since then deleted the row anyway).
    is_fresh = and_(AttendanceDay.rules == rules,
                    or_(AttendanceDay.final.is_(True), AttendanceDay.evaluated_at >= now - NOT_FINAL_REUSE))
    fresh_rows = (select(AttendanceDay.employee_id, AttendanceDay.day)
                  .where(AttendanceDay.employee_id.in_(scope), AttendanceDay.day.between(start, end), is_fresh))
    days_in_period = (end - start).days + 1
    counts = (select(AttendanceDay.employee_id, func.count().label("fresh"))
              .where(AttendanceDay.employee_id.in_(scope), AttendanceDay.day.between(start, end), is_fresh)
              .group_by(AttendanceDay.employee_id).subquery())
    stale_employees = set(session.scalars(
        select(Employee.id).outerjoin(counts, counts.c.employee_id == Employee.id)
        .where(Employee.id.in_(scope), func.coalesce(counts.c.fresh, 0) < days_in_period)))
    # An overtime request whose worked minutes are missing makes its day stale even when the day is fresh.
    forced: dict[int, set[date]] = defaultdict(set)
    for employee_id, day in session.execute(
            select(ApprovalRequest.requester_id, OvertimeRequest.work_date)
            .join(OvertimeRequest, OvertimeRequest.request_id == ApprovalRequest.id)
            .outerjoin(OvertimeWorked, OvertimeWorked.request_id == ApprovalRequest.id)
            .where(OvertimeWorked.request_id.is_(None), ApprovalRequest.requester_id.in_(scope),
                   OvertimeRequest.work_date.between(start, end))):
        forced[employee_id].add(day)
    candidates = stale_employees | set(forced)
    spans: dict[tuple[date, date], list[int]] = defaultdict(list)
    if not candidates:
        return StaleDays({})
    all_days = [start + timedelta(days=n) for n in range(days_in_period)]
    fresh: dict[int, set[date]] = defaultdict(set)
    if stale_employees:
        # Core, not the ORM's result processing: a month of fresh days of 10,000 people is 300,000 rows.
        for employee_id, day in session.connection().execute(
                fresh_rows.where(AttendanceDay.employee_id.in_(stale_employees))):
            fresh[employee_id].add(day)
    for employee_id in sorted(candidates):
        if employee_id in stale_employees:
            stale = [d for d in all_days if d not in fresh[employee_id] or d in forced[employee_id]]
        else:
            stale = sorted(forced[employee_id])
        spans[(stale[0], stale[-1])].append(employee_id)
    return StaleDays(dict(spans))


def refresh_attendance_days(*, session: Session, settings: Settings, employee_ids: Select, start: date, end: date,
                            now: datetime | None = None, deadline: float | None = None) -> int:
    """Evaluate every day from `start` to `end` of the employees `employee_ids` selects that is not fresh,
    and every overtime request on those days. Each chunk of employees is committed as it is done, so work
    is kept when a later chunk fails; with a `deadline` (a `time.monotonic()` value) no chunk starts after
    it, and the days left stay stale for the next caller. Returns the number of days evaluated."""
    now = now or utcnow()
    rules = rules_key(settings)
    evaluated = 0
    spans = stale_days(session=session, settings=settings, employee_ids=employee_ids, start=start, end=end,
                       now=now).spans
    if spans:
        session.commit()   # a chunk's transaction holds nothing from before it (migration 0013: the lock)
    for (first, last), ids in spans.items():
        chunk = max(1, CHUNK_DAYS // ((last - first).days + 1))
        for offset in range(0, len(ids), chunk):
            if deadline is not None and time.monotonic() >= deadline:
                return evaluated
            evaluated += _evaluate_chunk(session, settings, ids[offset:offset + chunk], first, last, now, rules)
            session.commit()
    return evaluated


def forget_period(*, session: Session, start: date, end: date) -> None:
    """Delete the period's judged days and overtime minutes, so the next refresh judges them all (no commit)."""
    session.execute(delete(OvertimeWorked).where(OvertimeWorked.work_date.between(start, end)))
    session.execute(delete(AttendanceDay).where(AttendanceDay.day.between(start, end)))


def _lock_projection(session: Session) -> None:
    """Hold off every change to what days depend on until this transaction ends (migration 0013): on
    PostgreSQL the exclusive side of the advisory lock the changes take shared, on SQLite the one writer's
    lock, taken by a write that changes nothing."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PROJECTION_LOCK})
    else:
        session.execute(delete(AttendanceDay).where(false()))


def _evaluate_chunk(session: Session, settings: Settings, ids: list[int], first: date, last: date,
                    now: datetime, rules: str) -> int:
    """Judge and store the days `first`..`last` of `ids`, reading only after the projection lock is held, so a
    change either is read here or deletes these rows after they are committed (the caller commits)."""
    _lock_projection(session)
    tz = ZoneInfo(settings.timezone)
    now_local = now.astimezone(tz)
    units = list(session.execute(select(Employee.id, Employee.unit_id).where(Employee.id.in_(ids))))
    schedules = schedules_for_employees(session=session, employees=units, start=first - timedelta(days=2),
                                        end=last + timedelta(days=1))
    punches = _punches(session, ids, first, last, tz)
    offsite = _offsite_days(session, ids, first, last)
    overtime = _overtime_requests(session, ids, first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    day_rows, overtime_rows = [], []
    for employee_id, _unit in units:
        judged = evaluate_days(days=days, schedules=schedules[employee_id], punches=punches.get(employee_id, []),
                               settings=settings, now_local=now_local,
                               offsite_days=frozenset(offsite.get(employee_id, ())))
        for day, evaluated_day in judged.items():
            day_rows.append(_day_row(employee_id, evaluated_day, rules, now))
        for request_id, work_date, planned_start, planned_end in overtime.get(employee_id, ()):
            overtime_rows.append(_overtime_row(request_id, employee_id, judged[work_date], work_date,
                                               planned_start, planned_end, tz))
    session.execute(delete(AttendanceDay).where(AttendanceDay.employee_id.in_(ids),
                                                AttendanceDay.day.between(first, last)))
    request_ids = [row["request_id"] for row in overtime_rows]
    if request_ids:
        session.execute(delete(OvertimeWorked).where(OvertimeWorked.request_id.in_(request_ids)))
        _insert_rows(session, OvertimeWorked.__table__, overtime_rows)
    _insert_rows(session, AttendanceDay.__table__, day_rows)
    return len(day_rows)


def _insert_rows(session: Session, table, rows: list[dict]) -> None:
    """Many rows at once: COPY on PostgreSQL (a multi-row INSERT costs the driver more to parse than the server
    to run, an executemany one statement a row), an executemany on SQLite. Never the ORM's bulk insert,
    which splits rows by their NULLs into thousands of statements."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def _punches(session: Session, ids: list[int], first: date, last: date, tz: ZoneInfo) -> dict[int, list[TimedPunch]]:
    window_start, window_end = punch_window(first_day=first, last_day=last, tz=tz)
    # Core, not the ORM's result processing: tens of thousands of rows a chunk.
    rows = session.connection().execute(
        select(Punch.id, Punch.employee_id, Punch.recorded_at, Punch.direction, Punch.effective_at,
               Punch.verification_required, FaceVerification.status, PunchAcceptance.id)
        .outerjoin(FaceVerification, FaceVerification.punch_id == Punch.id)
        .outerjoin(PunchAcceptance, PunchAcceptance.punch_id == Punch.id)
        .where(Punch.employee_id.in_(ids), Punch.effective_at >= window_start, Punch.effective_at < window_end)
        .order_by(Punch.effective_at, Punch.id))
    by_employee: dict[int, list[TimedPunch]] = defaultdict(list)
    for punch_id, employee_id, recorded_at, direction, effective_at, required, verdict, accepted in rows:
        standing = punch_standing(verification_required=required, verification_status=verdict,
                                  accepted=accepted is not None)
        by_employee[employee_id].append(TimedPunch(punch_id, recorded_at, direction, effective_at, standing))
    return by_employee


def _offsite_days(session: Session, ids: list[int], first: date, last: date) -> dict[int, set[date]]:
    days: dict[int, set[date]] = defaultdict(set)
    for employee_id, start, end in session.execute(
            select(ApprovalRequest.requester_id, OffsiteRequest.start_date, OffsiteRequest.end_date)
            .join(OffsiteRequest, OffsiteRequest.request_id == ApprovalRequest.id)
            .where(ApprovalRequest.requester_id.in_(ids), ApprovalRequest.status == "approved",
                   OffsiteRequest.start_date <= last, OffsiteRequest.end_date >= first)):
        day = max(start, first)
        while day <= min(end, last):
            days[employee_id].add(day)
            day += timedelta(days=1)
    return days


def _overtime_requests(session: Session, ids: list[int], first: date, last: date) -> dict[int, list[tuple]]:
    requests: dict[int, list[tuple]] = defaultdict(list)
    for request_id, employee_id, work_date, planned_start, planned_end in session.execute(
            select(ApprovalRequest.id, ApprovalRequest.requester_id, OvertimeRequest.work_date,
                   OvertimeRequest.planned_start, OvertimeRequest.planned_end)
            .join(OvertimeRequest, OvertimeRequest.request_id == ApprovalRequest.id)
            .where(ApprovalRequest.requester_id.in_(ids), OvertimeRequest.work_date.between(first, last))):
        requests[employee_id].append((request_id, work_date, planned_start, planned_end))
    return requests


def _day_row(employee_id: int, evaluated: EvaluatedDay, rules: str, now: datetime) -> dict:
    result = evaluated.result
    counted = sorted((p for p in evaluated.punches if counts_toward_attendance(p.standing)), key=lambda p: p.local_at)
    ins = [p for p in counted if p.direction == "in"]
    outs = [p for p in counted if p.direction == "out"]
    problems = set(result.statuses)
    return {
        "employee_id": employee_id, "day": result.day, "kind": evaluated.schedule.kind, "status": str(result.status),
        "late": Status.LATE in problems, "late_minutes": result.late_minutes if Status.LATE in problems else 0,
        "left_early": Status.LEFT_EARLY in problems,
        "early_minutes": result.early_minutes if Status.LEFT_EARLY in problems else 0,
        "absent": Status.ABSENT in problems, "incomplete": Status.INCOMPLETE in problems,
        "offsite": Status.OFFSITE_APPROVED in problems,
        "present": bool(counted), "holiday_name": evaluated.schedule.holiday_name_th or "",
        "first_in_at": ins[0].local_at if ins else None, "first_in_punch_id": ins[0].id if ins else None,
        "last_out_at": outs[-1].local_at if outs else None, "last_out_punch_id": outs[-1].id if outs else None,
        "worked_minutes": result.worked_minutes, "punches": len(evaluated.punches),
        "rejected_selfies": sum(1 for e in result.excluded if e.reason == "selfie_rejected"),
        "provisional": result.provisional, "final": result.final, "rules": rules, "evaluated_at": now,
    }


def _overtime_row(request_id: int, employee_id: int, evaluated: EvaluatedDay, work_date: date, planned_start,
                  planned_end, tz: ZoneInfo) -> dict:
    """Overtime worked = the planned window cut to the attendance day's first IN and last OUT (whole minutes);
    a window ending at or before its start ends the next morning (overtime across midnight)."""
    begins = datetime.combine(work_date, planned_start, tz)
    ends = datetime.combine(work_date + timedelta(days=1) if planned_end <= planned_start else work_date,
                            planned_end, tz)
    result = evaluated.result
    worked = None
    if result.first_in is not None and result.last_out is not None and result.last_out > result.first_in:
        start = max(begins, result.first_in.replace(second=0, microsecond=0))
        stop = min(ends, result.last_out.replace(second=0, microsecond=0))
        worked = max(int((stop - start).total_seconds() // 60), 0)
    return {"request_id": request_id, "employee_id": employee_id, "work_date": work_date,
            "planned_minutes": int((ends - begins).total_seconds() // 60), "worked_minutes": worked,
            "day_kind": evaluated.schedule.kind}
