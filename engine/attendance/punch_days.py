"""Which attendance day each punch belongs to.

A punch's *effective time* is `effective_at` when set (an offline punch carries the time the user
punched on the phone), else `instant` (when the server received it). All rules use the effective time
in the org time zone, and punches are taken in effective-time order.

Rule, for a punch at local time t on calendar date C, with P = C − 1:

1. **Inside yesterday's overnight shift.** If P's schedule crosses midnight (end <= start) and t is
   before P's schedule end, the punch belongs to P, whatever its direction. ("The first punch after
   midnight belongs to the day of the schedule it falls in.")
2. **Late OUT after midnight.** Else, if the punch is an OUT, no punch has been assigned to C yet,
   and P's last punch so far is an IN (P is open), the punch closes P when t is before the carry
   limit: the later of C at `day_boundary` (default 04:00) and P's schedule end + `late_out_window`
   (default 4 h; this only reaches into C for overnight shifts), but never at or after the start of
   C's own schedule.
3. **Otherwise** the punch belongs to C, its local calendar date.

Directions are what the user chose and are never rewritten. So a forgotten OUT (IN Monday 08:40,
next punch IN Tuesday 08:30) leaves Monday with an open IN — `incomplete` in `day_rules` — and
Tuesday starts fresh; an OUT the next afternoon is never pulled back into Monday.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

from engine.attendance.punch_standing import COUNTS, PunchStanding
from engine.attendance.work_hours import HoursLike, is_work_day, work_period

BANGKOK = ZoneInfo("Asia/Bangkok")
DEFAULT_DAY_BOUNDARY = time(4, 0)
DEFAULT_LATE_OUT_WINDOW = timedelta(hours=4)
DIRECTIONS = ("in", "out")


class PunchLike(Protocol):
    """What assignment reads from a punch; ORM rows with these attributes work as well."""

    id: object
    instant: datetime
    direction: str
    effective_at: datetime | None


@dataclass(frozen=True)
class TimedPunch:
    """A punch reduced to what assignment reads (not a stored `engine.models.Punch`)."""

    id: object
    instant: datetime
    direction: Literal["in", "out"]
    effective_at: datetime | None = None
    standing: PunchStanding = COUNTS  # whether it counts as attendance (`punch_standing`)


@dataclass(frozen=True)
class DayPunch:
    """A punch placed on its attendance day, with its effective time in org-local time."""

    punch: PunchLike
    day: date
    local_at: datetime

    @property
    def id(self) -> object:
        return self.punch.id

    @property
    def direction(self) -> str:
        return self.punch.direction

    @property
    def standing(self) -> PunchStanding:
        return getattr(self.punch, "standing", COUNTS)

    @property
    def after_midnight(self) -> bool:
        """True when the punch was made on the calendar date after its attendance day."""
        return self.local_at.date() != self.day


def effective_time(punch: PunchLike) -> datetime:
    """The time a punch counts at: the client time of an offline punch, else the server instant."""
    effective = getattr(punch, "effective_at", None)
    return effective if effective is not None else punch.instant


def assign_punch_days(
    *,
    punches: Sequence[PunchLike],
    schedules: Mapping[date, HoursLike | None],
    tz: ZoneInfo = BANGKOK,
    day_boundary: time = DEFAULT_DAY_BOUNDARY,
    late_out_window: timedelta = DEFAULT_LATE_OUT_WINDOW,
) -> dict[date, list[DayPunch]]:
    """Group punches by attendance day (rules in the module docstring), each day in time order.

    `schedules` maps a date to its working hours (`WorkHours`, `engine.schedules.service.DaySchedule`,
    anything with `start`/`end`); None, a None start or a missing date counts as a day off.
    Days come out in date order; only days with at least one punch appear.
    """
    indexed = []
    for position, punch in enumerate(punches):
        if punch.direction not in DIRECTIONS:
            raise ValueError(f"punch {punch.id!r}: direction must be 'in' or 'out', got {punch.direction!r}")
        moment = effective_time(punch)
        if moment.tzinfo is None:
            raise ValueError(f"punch {punch.id!r}: times must be timezone-aware")
        # Ties on effective time fall back to arrival order, then to the order given.
        indexed.append((moment, punch.instant, position, punch))
    indexed.sort(key=lambda row: row[:3])

    days: dict[date, list[DayPunch]] = {}
    for moment, _instant, _position, punch in indexed:
        local_at = moment.astimezone(tz)
        day = _attendance_day(
            punch=punch, local_at=local_at, days=days, schedules=schedules, tz=tz,
            day_boundary=day_boundary, late_out_window=late_out_window,
        )
        days.setdefault(day, []).append(DayPunch(punch=punch, day=day, local_at=local_at))
    return dict(sorted(days.items()))


def punch_window(*, first_day: date, last_day: date, tz: ZoneInfo = BANGKOK) -> tuple[datetime, datetime]:
    """UTC [start, end) of effective times to load so days first_day..last_day are assigned right.

    Takes two extra days before (a punch just after midnight looks at the day before it, which may
    itself have received a carried OUT) and one whole day after (late OUTs after midnight). Pass
    schedules for the same span, and show only the days you asked for.
    """
    start = datetime.combine(first_day - timedelta(days=2), time(0), tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=2), time(0), tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def _attendance_day(
    *,
    punch: PunchLike,
    local_at: datetime,
    days: Mapping[date, list[DayPunch]],
    schedules: Mapping[date, HoursLike | None],
    tz: ZoneInfo,
    day_boundary: time,
    late_out_window: timedelta,
) -> date:
    calendar_day = local_at.date()
    previous = calendar_day - timedelta(days=1)
    previous_period = _period(schedules.get(previous), previous, tz)
    own_period = _period(schedules.get(calendar_day), calendar_day, tz)

    if previous_period is not None and previous_period[1].date() == calendar_day and local_at < previous_period[1]:
        return previous

    previous_punches = days.get(previous)
    previous_open = bool(previous_punches) and previous_punches[-1].direction == "in"
    if punch.direction == "out" and previous_open and not days.get(calendar_day):
        limit = datetime.combine(calendar_day, day_boundary, tzinfo=tz)
        if previous_period is not None:
            limit = max(limit, previous_period[1] + late_out_window)
        if own_period is not None:
            limit = min(limit, own_period[0])
        if local_at < limit:
            return previous
    return calendar_day


def _period(hours: HoursLike | None, day: date, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    return work_period(hours=hours, day=day, tz=tz) if is_work_day(hours) else None
