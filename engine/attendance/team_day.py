"""The team's day (`วันนี้ของทีม`): each person's standing today, as a supervisor or hr reads it at a glance.

A person is one of: `holiday` (a public holiday), `day_off` (no work scheduled), `in` (first IN at a
site), `late` (first IN after the start), `offsite` (first IN away from every site, with the place),
`offsite_approved` (no IN yet, but approved off-site work today) or `not_in`. Today's punches add
their flags: `mock_location`, `impossible_travel`, `selfie_rejected`. Punches are read in one query
for the whole team, approved off-site days and pending requests in one query each.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.attendance.day_rules import Status, day_status
from engine.attendance.punch_days import TimedPunch, assign_punch_days, punch_window
from engine.attendance.punch_standing import counts_toward_attendance, standing_of
from engine.config import Settings
from engine.db import utcnow
from engine.models import ApprovalRequest, Employee, OffsiteRequest, Punch
from engine.schedules.service import schedules_for_range

FLAG_ORDER = ("mock_location", "impossible_travel", "selfie_rejected")


@dataclass(frozen=True)
class MemberDay:
    """One person's today."""

    employee: Employee
    state: str
    first_in: datetime | None = None  # local time
    place: str = ""
    late_minutes: int = 0
    holiday_name_th: str = ""
    holiday_name_en: str = ""
    flags: tuple[str, ...] = ()
    pending_requests: int = 0
    punches: list = field(default_factory=list)


def _today_punches(session: Session, ids: list[int], today: date, tz: ZoneInfo) -> dict[int, list[Punch]]:
    start, end = punch_window(first_day=today, last_day=today, tz=tz)
    rows = session.scalars(
        select(Punch).options(joinedload(Punch.site), selectinload(Punch.face_verification),
                              selectinload(Punch.acceptance))
        .where(Punch.employee_id.in_(ids), Punch.effective_at >= start, Punch.effective_at < end)
        .order_by(Punch.effective_at, Punch.id))
    by_employee: dict[int, list[Punch]] = defaultdict(list)
    for punch in rows:
        by_employee[punch.employee_id].append(punch)
    return by_employee


def _approved_offsite(session: Session, ids: list[int], today: date) -> dict[int, str]:
    rows = session.execute(
        select(ApprovalRequest.requester_id, OffsiteRequest.place).join(OffsiteRequest)
        .where(ApprovalRequest.requester_id.in_(ids), ApprovalRequest.status == "approved",
               OffsiteRequest.start_date <= today, OffsiteRequest.end_date >= today))
    return {employee_id: place for employee_id, place in rows}


def _pending_requests(session: Session, ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(ApprovalRequest.requester_id, func.count(ApprovalRequest.id))
        .where(ApprovalRequest.requester_id.in_(ids), ApprovalRequest.status == "pending")
        .group_by(ApprovalRequest.requester_id))
    return dict(rows.all())


def _flags(punches: list[Punch]) -> tuple[str, ...]:
    found = set()
    for punch in punches:
        if punch.is_mock or "mock_location" in (punch.flags or []):
            found.add("mock_location")
        if "impossible_travel" in (punch.flags or []):
            found.add("impossible_travel")
        if standing_of(punch).reason == "selfie_rejected":
            found.add("selfie_rejected")
    return tuple(flag for flag in FLAG_ORDER if flag in found)


def team_day(*, session: Session, settings: Settings, employees: list[Employee],
             now: datetime | None = None) -> list[MemberDay]:
    """Today for each of `employees`, in their order."""
    tz = ZoneInfo(settings.timezone)
    now_local = (now or utcnow()).astimezone(tz)
    today = now_local.date()
    ids = [e.id for e in employees]
    punches = _today_punches(session, ids, today, tz) if ids else {}
    offsite = _approved_offsite(session, ids, today) if ids else {}
    pending = _pending_requests(session, ids) if ids else {}
    days = []
    for employee in employees:
        schedules = {s.day: s for s in schedules_for_range(session=session, employee=employee,
                                                           start=today - timedelta(days=2),
                                                           end=today + timedelta(days=1))}
        rows = {p.id: p for p in punches.get(employee.id, [])}
        counting = [TimedPunch(p.id, p.recorded_at, p.direction, p.effective_at, standing_of(p))
                    for p in rows.values() if counts_toward_attendance(standing_of(p))]
        placed = assign_punch_days(
            punches=counting, schedules={d: (s if s.is_workday else None) for d, s in schedules.items()}, tz=tz,
            day_boundary=time.fromisoformat(settings.day_boundary),
            late_out_window=timedelta(minutes=settings.late_out_window_minutes)).get(today, [])
        schedule = schedules[today]
        result = day_status(day=today, schedule=schedule if schedule.is_workday else None, punches=placed,
                            now_local=now_local, grace_minutes=settings.late_grace_minutes,
                            offsite_approved=employee.id in offsite)
        today_rows = [rows[dp.id] for dp in placed]
        shown = [p for p in rows.values() if p.effective_at.astimezone(tz).date() == today]
        first_in = next((p for p in today_rows if p.direction == "in"), None)
        state, place = _state(schedule.kind, result.statuses, first_in, offsite.get(employee.id))
        days.append(MemberDay(
            employee=employee, state=state, place=place,
            first_in=first_in.effective_at.astimezone(tz) if first_in else None,
            late_minutes=result.late_minutes, holiday_name_th=schedule.holiday_name_th,
            holiday_name_en=schedule.holiday_name_en, flags=_flags(shown),
            pending_requests=pending.get(employee.id, 0), punches=shown))
    return days


def _state(kind: str, statuses, first_in: Punch | None, offsite_place: str | None) -> tuple[str, str]:
    if first_in is not None:
        place = first_in.site.name if first_in.site is not None else (first_in.place_label or first_in.address)
        if first_in.location_kind == "offsite":
            return "offsite", place
        return ("late" if Status.LATE in statuses else "in"), place
    if kind == "holiday":
        return "holiday", ""
    if kind != "workday":
        return "day_off", ""
    if offsite_place is not None:
        return "offsite_approved", offsite_place
    return "not_in", ""
