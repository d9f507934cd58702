"""Work schedules, their per-unit/per-employee assignments, and public holidays."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Time, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base


class WorkSchedule(Base):
    __tablename__ = "work_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    # ISO weekdays joined as digits, Monday=1: "12345" is Monday to Friday.
    weekdays: Mapped[str] = mapped_column(String(7), default="12345")
    # Shift work: public holidays are ordinary working days on this schedule (still named in the calendar).
    works_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ScheduleAssignment(Base):
    """A schedule that applies to a unit or to one employee from a date on."""

    __tablename__ = "schedule_assignments"
    __table_args__ = (
        CheckConstraint("(unit_id IS NULL) <> (employee_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("work_schedules.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)

    schedule: Mapped[WorkSchedule] = relationship(lazy="joined")


class Holiday(Base):
    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
