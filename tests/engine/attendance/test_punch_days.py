from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from engine.attendance.day_rules import Status, day_status
from engine.attendance.punch_days import TimedPunch, assign_punch_days, punch_window
from engine.attendance.work_hours import WorkHours

BANGKOK = ZoneInfo("Asia/Bangkok")
MONDAY = date(2021, 10, 4)
TUESDAY = date(2021, 10, 5)
WEDNESDAY = date(2021, 10, 6)
OFFICE = WorkHours(start=time(8, 30), end=time(16, 30))
NIGHT = WorkHours(start=time(22, 0), end=time(6, 0))


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=BANGKOK)


def punch(punch_id, when: str, direction: str, *, synced_at: str | None = None) -> TimedPunch:
    """A punch made at local time `when`; an offline one reaches the server at `synced_at`."""
    made = local(when).astimezone(timezone.utc)
    if synced_at is None:
        return TimedPunch(id=punch_id, instant=made, direction=direction)
    return TimedPunch(id=punch_id, instant=local(synced_at).astimezone(timezone.utc), direction=direction,
                 effective_at=made)


def office_week():
    return {MONDAY + timedelta(days=i): OFFICE for i in range(5)}


def ids_by_day(days):
    return {day: [p.id for p in punches] for day, punches in days.items()}


def test_punches_go_to_their_local_date_not_the_utc_date():
    # 06:50 in Bangkok is 23:50 UTC the day before.
    days = assign_punch_days(punches=[punch(1, "2021-10-05 06:50", "in")], schedules=office_week())
    assert ids_by_day(days) == {TUESDAY: [1]}
    assert days[TUESDAY][0].local_at == local("2021-10-05 06:50")


def test_forgotten_out_leaves_monday_incomplete_and_tuesday_normal():
    punches = [
        punch(1, "2021-10-04 08:40", "in"),
        punch(2, "2021-10-05 08:30", "in"),
        punch(3, "2021-10-05 16:35", "out"),
    ]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2, 3]}
    assert [p.direction for p in days[TUESDAY]] == ["in", "out"]

    now = local("2021-10-06 09:00")
    monday = day_status(day=MONDAY, schedule=OFFICE, punches=days[MONDAY], now_local=now, grace_minutes=10)
    tuesday = day_status(day=TUESDAY, schedule=OFFICE, punches=days[TUESDAY], now_local=now, grace_minutes=10)
    assert monday.status == Status.INCOMPLETE
    assert monday.missing == ("out",)
    assert tuesday.status == Status.NORMAL
    assert tuesday.worked_minutes == 8 * 60 + 5


def test_forgotten_out_never_pulls_the_next_days_out_back():
    # Monday's OUT forgotten, Tuesday's IN forgotten: Tuesday's 16:30 OUT is Tuesday's, not Monday's.
    punches = [punch(1, "2021-10-04 08:25", "in"), punch(2, "2021-10-05 16:30", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2]}


def test_out_after_midnight_closes_the_open_day_before():
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-05 01:15", "out"),
               punch(3, "2021-10-05 08:29", "in")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1, 2], TUESDAY: [3]}
    assert days[MONDAY][1].after_midnight
    assert not days[MONDAY][0].after_midnight

    monday = day_status(day=MONDAY, schedule=OFFICE, punches=days[MONDAY],
                        now_local=local("2021-10-06 09:00"), grace_minutes=0)
    assert monday.status == Status.NORMAL
    assert monday.worked_minutes == 16 * 60 + 45


def test_out_after_the_day_boundary_stays_on_its_own_date():
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-05 04:00", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2]}


def test_day_boundary_is_a_parameter():
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-05 05:30", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week(), day_boundary=time(6, 0))
    assert ids_by_day(days) == {MONDAY: [1, 2]}


def test_in_after_midnight_is_not_carried_back():
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-05 01:00", "in")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2]}


def test_only_the_first_punch_of_the_new_date_can_close_yesterday():
    # The 00:30 IN opens Tuesday, so the 01:00 OUT pairs with it rather than with Monday.
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-05 00:30", "in"),
               punch(3, "2021-10-05 01:00", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2, 3]}


def test_early_out_is_not_carried_when_yesterday_was_already_closed():
    punches = [punch(1, "2021-10-04 08:30", "in"), punch(2, "2021-10-04 16:30", "out"),
               punch(3, "2021-10-05 01:00", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [1, 2], TUESDAY: [3]}


def test_punches_after_midnight_inside_an_overnight_shift_belong_to_its_start_day():
    schedules = {MONDAY: NIGHT, TUESDAY: NIGHT}
    punches = [
        punch(1, "2021-10-04 22:20", "in"),   # late IN, same date
        punch(2, "2021-10-05 05:59", "out"),  # inside Monday's shift
        punch(3, "2021-10-05 00:10", "in"),   # IN after midnight inside Monday's shift
    ]
    days = assign_punch_days(punches=punches, schedules=schedules)
    assert ids_by_day(days) == {MONDAY: [1, 3, 2]}


def test_late_out_after_an_overnight_shift_uses_the_late_out_window():
    schedules = {MONDAY: NIGHT, TUESDAY: None}
    punches = [punch(1, "2021-10-04 21:55", "in"), punch(2, "2021-10-05 08:45", "out")]
    days = assign_punch_days(punches=punches, schedules=schedules)
    assert ids_by_day(days) == {MONDAY: [1, 2]}

    status = day_status(day=MONDAY, schedule=NIGHT, punches=days[MONDAY],
                        now_local=local("2021-10-05 12:00"), grace_minutes=0)
    assert status.status == Status.NORMAL
    assert status.worked_minutes == 10 * 60 + 50

    later = [punch(1, "2021-10-04 21:55", "in"), punch(2, "2021-10-05 10:00", "out")]
    assert ids_by_day(assign_punch_days(punches=later, schedules=schedules)) == {MONDAY: [1], TUESDAY: [2]}


def test_carry_stops_at_the_start_of_todays_own_schedule():
    early_shift = WorkHours(start=time(7, 0), end=time(15, 0))
    schedules = {MONDAY: NIGHT, TUESDAY: early_shift}
    punches = [punch(1, "2021-10-04 22:00", "in"), punch(2, "2021-10-05 07:30", "out")]
    days = assign_punch_days(punches=punches, schedules=schedules)
    assert ids_by_day(days) == {MONDAY: [1], TUESDAY: [2]}


def test_offline_punch_is_ordered_and_dated_by_its_client_time():
    punches = [
        punch(1, "2021-10-04 16:40", "out", synced_at="2021-10-05 08:31"),
        punch(2, "2021-10-05 08:30", "in"),
        punch(3, "2021-10-04 08:20", "in"),
    ]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert ids_by_day(days) == {MONDAY: [3, 1], TUESDAY: [2]}
    assert days[MONDAY][1].local_at == local("2021-10-04 16:40")


def test_directions_are_never_rewritten():
    punches = [punch(1, "2021-10-04 08:30", "out"), punch(2, "2021-10-04 16:30", "out")]
    days = assign_punch_days(punches=punches, schedules=office_week())
    assert [p.direction for p in days[MONDAY]] == ["out", "out"]


def test_bad_direction_and_naive_times_are_refused():
    with pytest.raises(ValueError, match="direction"):
        assign_punch_days(punches=[TimedPunch(id=1, instant=datetime(2021, 10, 4, 1, tzinfo=timezone.utc),
                                         direction="IN")], schedules={})
    with pytest.raises(ValueError, match="aware"):
        assign_punch_days(punches=[TimedPunch(id=1, instant=datetime(2021, 10, 4, 1), direction="in")],
                          schedules={})


def test_punch_window_covers_the_days_that_can_move_punches():
    start, end = punch_window(first_day=date(2021, 10, 1), last_day=date(2021, 10, 31))
    assert start == datetime(2021, 9, 28, 17, 0, tzinfo=timezone.utc)   # 29 Sep 00:00 Bangkok
    assert end == datetime(2021, 11, 1, 17, 0, tzinfo=timezone.utc)     # 2 Nov 00:00 Bangkok


def test_days_without_hours_count_as_days_off():
    # A start of None (a weekend row from the schedule service) cannot stretch yesterday's shift.
    schedules = {MONDAY: WorkHours(start=time(22, 0), end=time(6, 0)), TUESDAY: None}
    punches = [punch(1, "2021-10-05 05:00", "in")]
    assert ids_by_day(assign_punch_days(punches=punches, schedules=schedules)) == {MONDAY: [1]}
    assert ids_by_day(assign_punch_days(punches=punches, schedules={MONDAY: None})) == {TUESDAY: [1]}
