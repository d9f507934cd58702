"""The status of one employee's attendance day, from its schedule, its punches and what is approved.

Inputs are the punches already assigned to the day (see `punch_days.assign_punch_days`), the day's
working hours (`work_hours.WorkHours`, or any object with `start`/`end` such as `engine.schedules.service.DaySchedule`;
None or a None start = not a working day for this person) and the org-local "now".

Rules, applied in this order (the first that matches gives the primary status):

1. ``holiday``  – `holiday_name` is given. Punches on the day are still reported (first IN, last OUT,
   worked minutes) but never change the status. A holiday wins over a weekend and over leave.
2. ``weekend``  – `schedule` is None or has no start/end (no work that weekday). Same as holiday otherwise.
3. ``leave``    – a full-day `Leave` covers the day. Also shown on future days (it is known ahead).
4. ``offsite_approved`` – an approved off-site request covers the day. Also shown on future days.
   On a past or finished day it excuses every problem below; the excused ones are listed in `excused`.
5. ``future``   – the day is after today's local date. Nothing else is evaluated.
6. A working day that has started is judged from its punches, in local time, each cut to the whole
   minute (what the user sees: 08:40:59 counts as 08:40):

   - ``absent``     – no punches at all, and the day is finished.
   - ``incomplete`` – the day is finished and a punch has no partner: an IN with no OUT after it
     (`missing` = ("out",)), or OUTs with no IN at all that day (`missing` = ("in",)). A double IN
     (IN 08:20, IN 08:21, OUT 16:35) is complete: every IN has an OUT after it; a stray OUT before
     the first IN (OUT 07:00, IN 08:30, OUT 16:30) is ignored.
   - ``late``       – the first IN is after start + grace. Exactly start + grace is on time.
     `late_minutes` counts from the schedule start.
   - ``left_early`` – the day's last punch is an OUT and it is before end − grace. Exactly end − grace
     is on time. `early_minutes` counts up to the schedule end. Not judged while an IN is open.
   - ``normal``     – none of the above.

   All problems that apply are listed in `statuses`, primary first, by precedence
   absent > incomplete > late > left_early. A half-day `Leave` waives lateness (morning) or leaving
   early (afternoon); waived problems are listed in `excused`.

A day is *finished* once `now_local` reaches the schedule end (for an overnight schedule, the end on
the next calendar date). Before that ("today in progress") only lateness is judged: no punch yet gives
``pending``, a late first IN gives ``late``, otherwise ``normal``; absent, incomplete and left_early
wait for the end. `final` tells whether the status can still change by the passage of time alone.

`worked_minutes` is first IN to last OUT (whole minutes) whenever both exist and the OUT is later,
on any kind of day, for reports.

Only punches that count are judged (`punch_standing`): an excluded punch (its selfie was rejected
and hr has not accepted it) is left out of every rule above and listed in `excluded` with its reason,
so an OUT whose selfie was rejected leaves the day `incomplete`. A provisional punch (its selfie
is still being checked) is judged as if it counted; the day is then `provisional` and not `final`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, Sequence

from engine.attendance.punch_days import DayPunch
from engine.attendance.punch_standing import Standing, counts_toward_attendance
from engine.attendance.work_hours import HoursLike, is_work_day, work_period


class Status(StrEnum):
    NORMAL = "normal"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    INCOMPLETE = "incomplete"
    HOLIDAY = "holiday"
    WEEKEND = "weekend"
    LEAVE = "leave"
    OFFSITE_APPROVED = "offsite_approved"
    FUTURE = "future"
    PENDING = "pending"


# Precedence of the punch problems when several apply to one day.
_PROBLEM_ORDER = (Status.ABSENT, Status.INCOMPLETE, Status.LATE, Status.LEFT_EARLY)


@dataclass(frozen=True)
class Leave:
    """Approved leave covering a day; `kind` is the leave type code (sick, personal, vacation…)."""

    kind: str
    part: Literal["full", "morning", "afternoon"] = "full"


@dataclass(frozen=True)
class ExcludedPunch:
    """A punch shown on the day but not counted, and why (`selfie_rejected`, `verification_error`)."""

    id: object
    direction: str
    local_at: datetime
    reason: str | None


@dataclass(frozen=True)
class DayStatus:
    day: date
    status: Status
    # Every status that applies, primary first (e.g. (INCOMPLETE, LATE) or (OFFSITE_APPROVED, FUTURE)).
    statuses: tuple[Status, ...]
    final: bool
    excused: tuple[Status, ...] = ()
    missing: tuple[str, ...] = ()
    first_in: datetime | None = None
    last_out: datetime | None = None
    worked_minutes: int | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    holiday_name: str | None = None
    # Some counted punch still waits for its face check: the status may change when it is decided.
    provisional: bool = False
    excluded: tuple[ExcludedPunch, ...] = ()


def day_status(
    *,
    day: date,
    schedule: HoursLike | None,
    punches: Sequence[DayPunch],
    now_local: datetime,
    grace_minutes: int,
    holiday_name: str | None = None,
    offsite_approved: bool = False,
    leave: Leave | None = None,
) -> DayStatus:
    """Judge one attendance day by the rules in this module's docstring."""
    if now_local.tzinfo is None:
        raise ValueError("now_local must be an aware datetime in the org time zone")
    every = sorted(punches, key=lambda p: p.local_at)
    ordered = [p for p in every if counts_toward_attendance(p.standing)]
    provisional = any(p.standing.standing is Standing.PROVISIONAL for p in ordered)
    excluded = tuple(ExcludedPunch(p.id, p.direction, p.local_at, p.standing.reason)
                     for p in every if not counts_toward_attendance(p.standing))
    times = _PunchTimes.of(ordered)
    is_future = day > now_local.date()
    known = dict(
        first_in=times.first_in, last_out=times.last_out, worked_minutes=times.worked_minutes,
        holiday_name=holiday_name, provisional=provisional, excluded=excluded,
    )

    if holiday_name is not None or not is_work_day(schedule):
        status = Status.HOLIDAY if holiday_name is not None else Status.WEEKEND
        return DayStatus(day=day, status=status, statuses=(status,),
                         final=day < now_local.date() and not provisional, **known)

    tz = now_local.tzinfo
    starts_at, ends_at = work_period(hours=schedule, day=day, tz=tz)
    finished = now_local >= ends_at
    if leave is not None and leave.part == "full":
        statuses = (Status.LEAVE, Status.FUTURE) if is_future else (Status.LEAVE,)
        return DayStatus(day=day, status=Status.LEAVE, statuses=statuses, final=finished and not provisional,
                         **known)
    if is_future:
        if offsite_approved:
            return DayStatus(day=day, status=Status.OFFSITE_APPROVED,
                             statuses=(Status.OFFSITE_APPROVED, Status.FUTURE), final=False, **known)
        return DayStatus(day=day, status=Status.FUTURE, statuses=(Status.FUTURE,), final=False, **known)

    grace = timedelta(minutes=grace_minutes)
    problems: list[Status] = []
    late_minutes = early_minutes = 0

    if not ordered:
        if finished:
            problems.append(Status.ABSENT)
    else:
        if finished and times.missing:
            problems.append(Status.INCOMPLETE)
        if times.first_in is not None and _to_minute(times.first_in) > starts_at + grace:
            problems.append(Status.LATE)
            late_minutes = _minutes_between(starts_at, _to_minute(times.first_in))
        if finished and ordered[-1].direction == "out" and times.first_in is not None:
            last_out = _to_minute(ordered[-1].local_at)
            if last_out < ends_at - grace:
                problems.append(Status.LEFT_EARLY)
                early_minutes = _minutes_between(last_out, ends_at)

    waived: set[Status] = set()
    if leave is not None and leave.part == "morning":
        waived.add(Status.LATE)
    if leave is not None and leave.part == "afternoon":
        waived.add(Status.LEFT_EARLY)
    if offsite_approved:
        waived.update(_PROBLEM_ORDER)
    remaining = tuple(s for s in _PROBLEM_ORDER if s in problems and s not in waived)
    excused = tuple(s for s in _PROBLEM_ORDER if s in problems and s in waived)

    if remaining:
        primary, statuses = remaining[0], remaining
    elif offsite_approved:
        primary, statuses = Status.OFFSITE_APPROVED, (Status.OFFSITE_APPROVED,)
    elif not ordered and not finished:
        primary, statuses = Status.PENDING, (Status.PENDING,)
    else:
        primary, statuses = Status.NORMAL, (Status.NORMAL,)
    return DayStatus(
        day=day, status=primary, statuses=statuses, final=finished and not provisional, excused=excused,
        missing=times.missing if finished else (), late_minutes=late_minutes,
        early_minutes=early_minutes, **known,
    )


@dataclass(frozen=True)
class _PunchTimes:
    first_in: datetime | None
    last_out: datetime | None
    missing: tuple[str, ...]

    @classmethod
    def of(cls, ordered: Sequence[DayPunch]) -> "_PunchTimes":
        ins = [p.local_at for p in ordered if p.direction == "in"]
        outs = [p.local_at for p in ordered if p.direction == "out"]
        missing = []
        # A stray OUT before the first IN is ignored (a mis-tap); only a day with no IN at all lacks one.
        if outs and not ins:
            missing.append("in")
        if ins and (not outs or ins[-1] > outs[-1]):
            missing.append("out")
        return cls(first_in=ins[0] if ins else None, last_out=outs[-1] if outs else None,
                   missing=tuple(missing))

    @property
    def worked_minutes(self) -> int | None:
        if self.first_in is None or self.last_out is None or self.last_out <= self.first_in:
            return None
        return _minutes_between(_to_minute(self.first_in), _to_minute(self.last_out))


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _minutes_between(earlier: datetime, later: datetime) -> int:
    return int((later - earlier).total_seconds() // 60)
