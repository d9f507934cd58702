"""A change committed while days are being judged is never lost from the projection (migration 0013).

Without the guard, a punch committed between a chunk's reads and its commit has its trigger delete rows that
are not there yet; the chunk then stores the day judged without the punch, `final`, and no report ever judges
it again.
"""
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from engine.models import AttendanceDay, Employee
from engine.reports import attendance_days
from tests.support.punches import add_punch
from tests.support.report_month import EMPLOYEE

from tests.engine.reports.test_attendance_days import AFTER_JUNE

ABSENT_DAY = date(2026, 6, 5)   # no punch in the fixture month: absent


@pytest.mark.postgres_only
def test_a_punch_made_while_its_day_is_judged_is_counted(june, session_factory, settings, monkeypatch):
    read_done, release = threading.Event(), threading.Event()
    original = attendance_days._punches

    def punches_then_pause(*args, **kwargs):
        result = original(*args, **kwargs)
        read_done.set()
        release.wait(20)
        return result

    monkeypatch.setattr(attendance_days, "_punches", punches_then_pause)
    with session_factory() as session:
        employee_id = session.scalar(select(Employee.id).where(Employee.code == EMPLOYEE))

    def judge():
        with session_factory() as session:
            attendance_days.refresh_attendance_days(
                session=session, settings=settings, employee_ids=select(Employee.id).where(Employee.id == employee_id),
                start=ABSENT_DAY, end=ABSENT_DAY, now=AFTER_JUNE)

    def punch():
        with session_factory() as session:
            add_punch(session, EMPLOYEE, datetime(2026, 6, 5, 8, 30), "in")

    judging = threading.Thread(target=judge)
    judging.start()
    assert read_done.wait(20)          # the chunk has read the day's punches (none) and not written yet
    punching = threading.Thread(target=punch)
    punching.start()
    with session_factory() as session:  # the punch waits for the chunk's lock
        for _ in range(200):
            waiting = session.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting == 1
    release.set()
    judging.join(20)
    punching.join(20)
    monkeypatch.setattr(attendance_days, "_punches", original)

    with session_factory() as session:
        # The chunk's row (absent, judged without the punch) was deleted by the punch's trigger after it
        # committed, so the next report judges the day again and sees the IN.
        assert session.get(AttendanceDay, (employee_id, ABSENT_DAY)) is None
        attendance_days.refresh_attendance_days(
            session=session, settings=settings, employee_ids=select(Employee.id).where(Employee.id == employee_id),
            start=ABSENT_DAY, end=ABSENT_DAY, now=AFTER_JUNE)
        day = session.get(AttendanceDay, (employee_id, ABSENT_DAY))
        assert (day.status, day.punches) == ("incomplete", 1)
