"""The demo that `make run` seeds shows every kind of day in its calendar."""
from datetime import date, timedelta

from sqlalchemy import func, select

from engine.attendance.calendar import month_calendar
from engine.attendance.thai_calendar import CalendarMonth
from engine.demo.organisation import seed_demo
from engine.models import Employee, Punch, Site


def test_demo_month_shows_every_day_status(session_factory, settings, clean_db):
    with session_factory() as session:
        seed_demo(session=session, settings=settings)
    with session_factory() as session:
        assert session.scalar(select(func.count(Punch.id))) > 100
        assert session.scalar(select(Site.name)) == "MOC-OPS"
        today = date.today()
        seen = set()
        for employee in session.scalars(select(Employee)):
            for month_start in (today.replace(day=1) - timedelta(days=1), today):
                month = CalendarMonth(month_start.year, month_start.month)
                calendar = month_calendar(session=session, settings=settings, employee=employee, month=month)
                seen |= {d["status"] for d in calendar["days"]}
    assert {"normal", "late", "left_early", "absent", "incomplete", "weekend", "holiday"} <= seen


def test_demo_has_a_terminal_and_requests_waiting_for_the_supervisor(session_factory, settings, clean_db):
    from engine.models import ApprovalRequest, Device

    with session_factory() as session:
        seed_demo(session=session, settings=settings)
    with session_factory() as session:
        assert session.scalar(select(Device.name)) == "MOC-OPS"
        statuses = session.scalars(select(ApprovalRequest.status)).all()
        # Three waiting for the supervisor, and past ones decided so every report has rows.
        assert sorted(statuses) == ["approved"] * 4 + ["pending"] * 3 + ["rejected"]
        missed = session.scalar(select(ApprovalRequest).where(ApprovalRequest.type == "missed_punch",
                                                              ApprovalRequest.status == "approved"))
        assert missed.missed_punch.punch_id is not None


def test_every_request_report_has_rows_in_the_demo(session_factory, settings, clean_db):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from engine.models import Employee
    from engine.reports.filters import parse_filters
    from engine.reports.registry import build_report

    with session_factory() as session:
        seed_demo(session=session, settings=settings)
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    filters = parse_filters(today=today, start=today - timedelta(days=35), end=today + timedelta(days=14))
    with session_factory() as session:
        hr = session.scalar(select(Employee).where(Employee.code == "10201"))
        for name, kinds in (("overtime", {"approved", "rejected", "pending"}), ("offsite", {"approved", "pending"}),
                            ("missed-punch", {"approved", "pending"})):
            table = build_report(name=name, session=session, viewer=hr, filters=filters, settings=settings)
            assert {row["status"] for row in table.rows} == kinds, name
        summary = build_report(name="attendance-summary", session=session, viewer=hr, filters=filters,
                               settings=settings)
        assert sum(row["present"] for row in summary.rows) > 0 and summary.totals["overtime_hours"] > 0
