from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from engine.attendance.day_rules import Leave, Status, day_status
from engine.attendance.punch_days import DayPunch, TimedPunch
from engine.attendance.work_hours import WorkHours

BANGKOK = ZoneInfo("Asia/Bangkok")
MONDAY = date(2021, 10, 4)
OFFICE = WorkHours(start=time(8, 30), end=time(16, 30))
NIGHT = WorkHours(start=time(22, 0), end=time(6, 0))
AFTER_MONDAY = datetime(2021, 10, 5, 9, 0, tzinfo=BANGKOK)


def at(clock: str, day: date = MONDAY) -> datetime:
    hour, minute, *second = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, *second, tzinfo=BANGKOK)


def punches(*pairs: tuple[str, str], day: date = MONDAY) -> list[DayPunch]:
    """Day punches from ("08:30", "in") pairs; a clock may carry seconds ("08:40:59")."""
    result = []
    for number, (clock, direction) in enumerate(pairs):
        moment = at(clock, day)
        result.append(DayPunch(punch=TimedPunch(id=number, instant=moment, direction=direction), day=day,
                               local_at=moment))
    return result


def status_of(day_punches, *, now=AFTER_MONDAY, schedule=OFFICE, grace=10, **extra):
    return day_status(day=MONDAY, schedule=schedule, punches=day_punches, now_local=now,
                      grace_minutes=grace, **extra)


def test_on_time_day_is_normal_with_worked_minutes():
    result = status_of(punches(("08:25", "in"), ("16:35", "out")))
    assert result.status == Status.NORMAL
    assert result.statuses == (Status.NORMAL,)
    assert result.final
    assert result.first_in == at("08:25")
    assert result.last_out == at("16:35")
    assert result.worked_minutes == 8 * 60 + 10
    assert result.late_minutes == result.early_minutes == 0


@pytest.mark.parametrize(
    ("clock", "expected"),
    [("08:40", Status.NORMAL), ("08:40:59", Status.NORMAL), ("08:41", Status.LATE), ("08:30", Status.NORMAL)],
)
def test_grace_boundary_for_lateness(clock, expected):
    result = status_of(punches((clock, "in"), ("16:30", "out")))
    assert result.status == expected


def test_late_minutes_count_from_the_schedule_start():
    result = status_of(punches(("08:55", "in"), ("16:30", "out")))
    assert result.status == Status.LATE
    assert result.late_minutes == 25


@pytest.mark.parametrize(
    ("clock", "expected"),
    [("16:20", Status.NORMAL), ("16:19:59", Status.LEFT_EARLY), ("16:19", Status.LEFT_EARLY)],
)
def test_grace_boundary_for_leaving_early(clock, expected):
    result = status_of(punches(("08:30", "in"), (clock, "out")))
    assert result.status == expected


def test_left_early_minutes_count_to_the_schedule_end():
    result = status_of(punches(("08:30", "in"), ("15:00", "out")))
    assert result.status == Status.LEFT_EARLY
    assert result.early_minutes == 90


def test_late_and_left_early_both_listed_with_late_first():
    result = status_of(punches(("09:00", "in"), ("15:00", "out")))
    assert result.status == Status.LATE
    assert result.statuses == (Status.LATE, Status.LEFT_EARLY)


def test_past_working_day_without_punches_is_absent():
    result = status_of([])
    assert result.status == Status.ABSENT
    assert result.worked_minutes is None


def test_in_without_out_is_incomplete_and_still_judged_late():
    result = status_of(punches(("09:10", "in")))
    assert result.status == Status.INCOMPLETE
    assert result.statuses == (Status.INCOMPLETE, Status.LATE)
    assert result.missing == ("out",)
    assert result.worked_minutes is None


def test_in_after_the_last_out_is_incomplete_and_not_left_early():
    result = status_of(punches(("08:30", "in"), ("12:00", "out"), ("13:00", "in")))
    assert result.statuses == (Status.INCOMPLETE,)
    assert result.missing == ("out",)


def test_out_without_any_in_is_incomplete():
    result = status_of(punches(("16:30", "out")))
    assert result.status == Status.INCOMPLETE
    assert result.missing == ("in",)


def test_double_in_and_a_stray_early_out_are_complete():
    assert status_of(punches(("08:20", "in"), ("08:21", "in"), ("16:35", "out"))).status == Status.NORMAL
    assert status_of(punches(("07:00", "out"), ("08:30", "in"), ("16:30", "out"))).status == Status.NORMAL


def test_punches_are_judged_in_time_order_whatever_the_input_order():
    result = status_of(list(reversed(punches(("08:30", "in"), ("16:40", "out")))))
    assert result.status == Status.NORMAL
    assert result.first_in == at("08:30")


def test_holiday_with_punches_stays_holiday_but_reports_the_time():
    result = status_of(punches(("09:00", "in"), ("12:00", "out")), holiday_name="วันปิยมหาราช")
    assert result.status == Status.HOLIDAY
    assert result.statuses == (Status.HOLIDAY,)
    assert result.holiday_name == "วันปิยมหาราช"
    assert result.worked_minutes == 180


def test_holiday_wins_over_a_day_off():
    assert status_of([], schedule=None, holiday_name="วันปิยมหาราช").status == Status.HOLIDAY


def test_day_off_is_weekend_even_with_punches_or_nothing():
    assert status_of([], schedule=None).status == Status.WEEKEND
    result = status_of(punches(("10:00", "in")), schedule=None)
    assert result.status == Status.WEEKEND
    assert result.missing == ()


def test_future_working_day():
    result = status_of([], now=at("23:00", date(2021, 10, 3)))
    assert result.status == Status.FUTURE
    assert not result.final


def test_future_holiday_is_shown_as_holiday():
    result = status_of([], now=at("23:00", date(2021, 10, 3)), holiday_name="วันหยุด")
    assert result.status == Status.HOLIDAY
    assert not result.final


def test_today_before_anyone_punched_is_pending():
    result = status_of([], now=at("08:00"))
    assert result.status == Status.PENDING
    assert not result.final


def test_today_late_in_is_known_at_once():
    result = status_of(punches(("09:30", "in")), now=at("10:00"))
    assert result.status == Status.LATE
    assert result.statuses == (Status.LATE,)
    assert not result.final


def test_today_open_in_before_the_end_is_not_yet_incomplete():
    result = status_of(punches(("08:30", "in")), now=at("16:29"))
    assert result.status == Status.NORMAL
    assert result.missing == ()
    assert not result.final


def test_today_early_out_is_not_judged_before_the_end():
    assert status_of(punches(("08:30", "in"), ("12:00", "out")), now=at("13:00")).status == Status.NORMAL


def test_today_after_the_end_is_judged_like_a_past_day():
    assert status_of(punches(("08:30", "in")), now=at("16:30")).status == Status.INCOMPLETE
    assert status_of([], now=at("16:30")).status == Status.ABSENT
    assert status_of(punches(("08:30", "in"), ("12:00", "out")), now=at("16:30")).status == Status.LEFT_EARLY


def test_overnight_shift_is_in_progress_until_its_end_the_next_morning():
    day_punches = punches(("22:00", "in"))
    assert status_of(day_punches, schedule=NIGHT, now=at("05:00", date(2021, 10, 5))).status == Status.NORMAL
    assert status_of(day_punches, schedule=NIGHT, now=at("06:00", date(2021, 10, 5))).status == Status.INCOMPLETE


def test_offsite_approval_excuses_problems():
    result = status_of([], offsite_approved=True)
    assert result.status == Status.OFFSITE_APPROVED
    assert result.statuses == (Status.OFFSITE_APPROVED,)
    assert result.excused == (Status.ABSENT,)

    late = status_of(punches(("10:00", "in"), ("16:30", "out")), offsite_approved=True)
    assert late.status == Status.OFFSITE_APPROVED
    assert late.excused == (Status.LATE,)
    assert late.late_minutes == 90


def test_offsite_approval_on_a_clean_day_and_ahead_of_time():
    assert status_of(punches(("08:30", "in"), ("16:30", "out")), offsite_approved=True).status == \
        Status.OFFSITE_APPROVED
    ahead = status_of([], offsite_approved=True, now=at("09:00", date(2021, 10, 1)))
    assert ahead.statuses == (Status.OFFSITE_APPROVED, Status.FUTURE)


def test_offsite_approval_does_not_hide_a_holiday():
    assert status_of([], offsite_approved=True, holiday_name="วันหยุด").status == Status.HOLIDAY


def test_full_day_leave():
    assert status_of([], leave=Leave(kind="sick")).status == Status.LEAVE
    ahead = status_of([], leave=Leave(kind="vacation"), now=at("09:00", date(2021, 10, 1)))
    assert ahead.statuses == (Status.LEAVE, Status.FUTURE)


def test_half_day_leave_waives_only_its_half():
    morning = status_of(punches(("12:30", "in"), ("16:30", "out")), leave=Leave(kind="personal", part="morning"))
    assert morning.status == Status.NORMAL
    assert morning.excused == (Status.LATE,)

    afternoon = status_of(punches(("09:00", "in"), ("12:00", "out")),
                          leave=Leave(kind="personal", part="afternoon"))
    assert afternoon.status == Status.LATE
    assert afternoon.excused == (Status.LEFT_EARLY,)

    assert status_of([], leave=Leave(kind="personal", part="morning")).status == Status.ABSENT


def test_statuses_compare_equal_to_plain_strings():
    assert status_of([]).status == "absent"


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        day_status(day=MONDAY, schedule=OFFICE, punches=[], now_local=datetime(2021, 10, 5, 9),
                   grace_minutes=0)


def test_schedule_service_days_are_accepted_as_hours():
    from engine.schedules.service import DaySchedule

    workday = DaySchedule(day=MONDAY, kind="workday", schedule_name="default", start=time(8, 30), end=time(16, 30))
    weekend = DaySchedule(day=MONDAY, kind="weekend", schedule_name="default")
    assert status_of(punches(("08:45", "in"), ("16:30", "out")), schedule=workday).status == Status.LATE
    assert status_of([], schedule=weekend).status == Status.WEEKEND


def with_standing(day_punch: DayPunch, **verdict) -> DayPunch:
    from dataclasses import replace

    from engine.attendance.punch_standing import punch_standing

    standing = punch_standing(verification_required=True, **verdict)
    return replace(day_punch, punch=replace(day_punch.punch, standing=standing))


def test_an_out_whose_selfie_was_rejected_is_excluded_and_the_day_says_why():
    day_in, day_out = punches(("08:25", "in"), ("16:35", "out"))
    result = status_of([day_in, with_standing(day_out, verification_status="rejected", accepted=False)])
    assert result.status == Status.INCOMPLETE and result.missing == ("out",)
    assert [(e.direction, e.reason) for e in result.excluded] == [("out", "selfie_rejected")]
    assert result.last_out is None and result.worked_minutes is None


def test_an_accepted_rejection_and_a_failed_check_follow_the_rule():
    day_in, day_out = punches(("08:25", "in"), ("16:35", "out"))
    accepted = status_of([day_in, with_standing(day_out, verification_status="rejected", accepted=True)])
    assert accepted.status == Status.NORMAL and accepted.excluded == ()
    errored = status_of([with_standing(day_in, verification_status="error", accepted=False), day_out])
    assert errored.status == Status.INCOMPLETE and errored.missing == ("in",)
    assert errored.excluded[0].reason == "verification_error"


def test_a_pending_selfie_counts_provisionally():
    day_in, day_out = punches(("08:25", "in"), ("16:35", "out"))
    result = status_of([day_in, with_standing(day_out, verification_status="pending", accepted=False)])
    assert result.status == Status.NORMAL and result.provisional and not result.final
    assert result.last_out == at("16:35")
