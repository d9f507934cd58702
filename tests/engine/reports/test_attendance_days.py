"""The attendance day projection says what the calendar says, and forgets what a change affects."""
from datetime import date, datetime, timezone

from sqlalchemy import delete, func, select

from engine.attendance.calendar import month_calendar
from engine.attendance.thai_calendar import parse_month
from engine.models import AttendanceDay, Employee, Holiday, PunchAcceptance
from engine.reports.attendance_days import refresh_attendance_days
from engine.requests.effects import offsite_days
from tests.support.punches import add_punch
from tests.support.report_month import EMPLOYEE

JUNE = (date(2026, 6, 1), date(2026, 6, 30))
AFTER_JUNE = datetime(2026, 7, 5, 3, 0, tzinfo=timezone.utc)


def _employee(session):
    return session.scalar(select(Employee).where(Employee.code == EMPLOYEE))


def _refresh(session, settings, now=AFTER_JUNE, start=JUNE[0], end=JUNE[1]):
    return refresh_attendance_days(session=session, settings=settings, employee_ids=select(Employee.id),
                                   start=start, end=end, now=now)


def _days(session, employee_id):
    return {row.day: row for row in session.scalars(
        select(AttendanceDay).where(AttendanceDay.employee_id == employee_id).order_by(AttendanceDay.day))}


def test_every_day_agrees_with_the_calendar(june, session_factory, settings):
    with session_factory() as session:
        _refresh(session, settings)
        employee = _employee(session)
        calendar = month_calendar(session=session, settings=settings, employee=employee, month=parse_month("2026-06"),
                                  now=AFTER_JUNE, offsite_days=offsite_days(session=session, employee_id=employee.id,
                                                                            first=JUNE[0], last=JUNE[1]))
        days = _days(session, employee.id)
        assert [days[d["date"]].status for d in calendar["days"]] == [d["status"] for d in calendar["days"]]
        assert {row.status for row in days.values()} == {
            "normal", "late", "left_early", "absent", "incomplete", "holiday", "weekend", "offsite_approved"}
        assert all(row.final for row in days.values())
        # The OUT at 01:30 on 12 June closes 11 June (the day rules' late-OUT rule), not 12 June.
        assert days[date(2026, 6, 11)].last_out_at.astimezone(timezone.utc) == datetime(2026, 6, 11, 18, 30,
                                                                                          tzinfo=timezone.utc)
        assert days[date(2026, 6, 9)].rejected_selfies == 1 and days[date(2026, 6, 9)].status == "incomplete"
        assert days[date(2026, 6, 16)].late is False and days[date(2026, 6, 16)].offsite is True
        assert days[date(2026, 6, 10)].first_in_punch_id == june.missed_punch_punch


def test_a_second_refresh_evaluates_nothing(june, session_factory, settings):
    with session_factory() as session:
        assert _refresh(session, settings) == 30 * 10   # ten demo people, thirty days
        assert _refresh(session, settings) == 0


def test_a_new_punch_makes_its_days_evaluated_again(june, session_factory, settings):
    with session_factory() as session:
        _refresh(session, settings)
        add_punch(session, EMPLOYEE, datetime(2026, 6, 5, 8, 30), "in")
        add_punch(session, EMPLOYEE, datetime(2026, 6, 5, 16, 30), "out")
        # The trigger forgot the days around 5 June (two either side), and only those.
        employee = _employee(session)
        assert date(2026, 6, 5) not in _days(session, employee.id)
        assert _refresh(session, settings) == 5
        assert _days(session, employee.id)[date(2026, 6, 5)].status == "normal"


def test_hr_accepting_a_rejected_selfie_counts_it(june, session_factory, settings, demo_org):
    with session_factory() as session:
        _refresh(session, settings)
        hr = session.scalar(select(Employee).where(Employee.code == demo_org["hr"].code))
        session.add(PunchAcceptance(punch_id=june.rejected_selfie_punch, accepted_by_id=hr.id, reason="ใบหน้าตรง",
                                    verification_status="rejected"))
        session.commit()
        _refresh(session, settings)
        day = _days(session, _employee(session).id)[date(2026, 6, 9)]
        assert day.status == "normal" and day.rejected_selfies == 0


def test_a_new_holiday_and_other_settings_are_seen(june, session_factory, settings):
    with session_factory() as session:
        _refresh(session, settings)
        session.add(Holiday(day=date(2026, 6, 5), name_th="วันหยุดพิเศษ", name_en="Special holiday"))
        session.commit()
        assert _refresh(session, settings) == 10   # the day, for everyone
        assert _days(session, _employee(session).id)[date(2026, 6, 5)].status == "holiday"
        lenient = type(settings)(**{**settings.__dict__, "late_grace_minutes": 15})
        _refresh(session, lenient)
        assert _days(session, _employee(session).id)[date(2026, 6, 2)].status == "normal"  # 09:00 is within grace


def test_days_not_final_are_judged_again_as_time_passes(june, session_factory, settings):
    with session_factory() as session:
        mid_june = datetime(2026, 6, 5, 3, 0, tzinfo=timezone.utc)   # 10:00 in Bangkok, Friday 5 June
        _refresh(session, settings, now=mid_june)
        days = _days(session, _employee(session).id)
        assert days[date(2026, 6, 5)].status == "pending" and not days[date(2026, 6, 5)].final
        assert days[date(2026, 6, 8)].status == "future"
        _refresh(session, settings)
        days = _days(session, _employee(session).id)
        assert days[date(2026, 6, 5)].status == "absent" and days[date(2026, 6, 8)].status == "incomplete"
        session.execute(delete(AttendanceDay))
        session.commit()
        assert session.scalar(select(func.count()).select_from(AttendanceDay)) == 0
