"""The attendance day projection: one row per employee per day, as the calendar judges it, for reports.

Rows are written by `engine.reports.attendance_days` from the same evaluation the calendar uses
(`engine.attendance.day_evaluation`), so a report and the calendar never disagree. Database triggers
(migration 0011) delete the rows a change can affect (a punch, a selfie verdict, hr's acceptance, a
request's status, a holiday, a schedule); a report re-evaluates missing rows, rows not yet `final`
(today, future days, a selfie still being checked) and rows judged under other settings (`rules`).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime


class AttendanceDay(Base):
    __tablename__ = "attendance_days"
    __table_args__ = (Index("ix_attendance_days_day", "day"),)

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))          # workday, weekend, holiday (the schedule's)
    status: Mapped[str] = mapped_column(String(16))       # day_rules.Status, the primary one
    # The problems left after excuses (day_rules `statuses`), one flag each, for SQL counts.
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    left_early: Mapped[bool] = mapped_column(Boolean, default=False)
    early_minutes: Mapped[int] = mapped_column(Integer, default=0)
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    # An approved off-site request covers the day.
    offsite: Mapped[bool] = mapped_column(Boolean, default=False)
    # At least one punch that counts is on the day.
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    holiday_name: Mapped[str] = mapped_column(String(255), default="")
    first_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_in_punch_id: Mapped[int | None] = mapped_column(Integer)
    last_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_out_punch_id: Mapped[int | None] = mapped_column(Integer)
    worked_minutes: Mapped[int | None] = mapped_column(Integer)
    # Every punch placed on the day, excluded ones included.
    punches: Mapped[int] = mapped_column(Integer, default=0)
    # Punches on the day left out because their selfie was rejected (hr has not accepted them).
    rejected_selfies: Mapped[int] = mapped_column(Integer, default=0)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    # The settings the day was judged under (time zone, grace, day boundary, late-OUT window).
    rules: Mapped[str] = mapped_column(String(64))
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OvertimeWorked(Base):
    """Minutes of an overtime request's planned window covered by its attendance day's first IN and last OUT."""

    __tablename__ = "overtime_worked"

    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    planned_minutes: Mapped[int] = mapped_column(Integer)
    worked_minutes: Mapped[int | None] = mapped_column(Integer)   # None: no IN and OUT to measure
    day_kind: Mapped[str] = mapped_column(String(8))              # workday, weekend, holiday
