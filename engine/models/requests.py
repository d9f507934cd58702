"""Requests employees make: overtime, off-site work and missed punch, each with its own details."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow
from engine.models.directory import Employee

REQUEST_TYPES = ("overtime", "offsite", "missed_punch")
REQUEST_STATUSES = ("pending", "returned", "approved", "rejected", "cancelled")
MISSED_PUNCH_REASONS = ("forgot", "device_down", "phone_broken", "other")


class ApprovalRequest(Base):
    """What every request has; the type-specific fields live in one details row."""

    __tablename__ = "approval_requests"
    __table_args__ = (Index("ix_approval_requests_requester_created", "requester_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[Employee] = relationship()
    overtime: Mapped["OvertimeRequest | None"] = relationship(back_populates="request", uselist=False)
    offsite: Mapped["OffsiteRequest | None"] = relationship(back_populates="request", uselist=False)
    missed_punch: Mapped["MissedPunchRequest | None"] = relationship(back_populates="request",
                                                                     uselist=False)

    @property
    def details(self):
        return getattr(self, self.type)


class OvertimeRequest(Base):
    __tablename__ = "overtime_requests"

    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    work_date: Mapped[date] = mapped_column(Date, index=True)
    planned_start: Mapped[time] = mapped_column(Time)
    planned_end: Mapped[time] = mapped_column(Time)

    request: Mapped[ApprovalRequest] = relationship(back_populates="overtime")


class OffsiteRequest(Base):
    __tablename__ = "offsite_requests"

    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    request: Mapped[ApprovalRequest] = relationship(back_populates="offsite")


class MissedPunchRequest(Base):
    __tablename__ = "missed_punch_requests"

    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    punch_date: Mapped[date] = mapped_column(Date)
    punch_time: Mapped[time] = mapped_column(Time)
    direction: Mapped[str] = mapped_column(String(3))
    reason_code: Mapped[str] = mapped_column(String(16))
    # The punch the approval created (None until approved; never set on rejection).
    punch_id: Mapped[int | None] = mapped_column(ForeignKey("punches.id"))

    request: Mapped[ApprovalRequest] = relationship(back_populates="missed_punch")
