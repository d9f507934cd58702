"""The punch ledger: append-only rows, each chained to the previous punch of the same employee."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow
from engine.models.directory import Employee
from engine.models.sites import Site

DIRECTIONS = ("in", "out")
SOURCES = ("gps", "face_terminal", "request")


class Punch(Base):
    """One IN or OUT. Never updated or deleted; a correction is a new punch from an approved request."""

    __tablename__ = "punches"
    __table_args__ = (
        UniqueConstraint("employee_id", "idempotency_key"),
        # A terminal resends a batch on anything but 200: its punches are stored once.
        UniqueConstraint("device_id", "device_pin", "device_local_time"),
        Index("ix_punches_employee_effective", "employee_id", "effective_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up through ix_punches_employee_effective (employee_id, effective_at); a second index on
    # employee_id alone only tempts the planner into reading whole years on bulk-loaded data.
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    direction: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    client_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The instant the punch counts for: the phone's time for an offline punch, else the server's.
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    is_mock: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    place_label: Mapped[str] = mapped_column(Text, default="")
    location_kind: Mapped[str | None] = mapped_column(String(8))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    flags: Mapped[list] = mapped_column(JSON, default=list)
    verification_required: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(36))
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # Set on a punch created by an approved missed-punch request.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("approval_requests.id"), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    # Face terminal punches: the device, the PIN it knows the employee by, its naive wall clock,
    # and how the person was verified (raw code and its name: face, fingerprint, card, ...).
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    device_pin: Mapped[str | None] = mapped_column(String(32))
    device_local_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    verify_code: Mapped[int | None] = mapped_column(Integer)
    verify_method: Mapped[str | None] = mapped_column(String(16))
    # How content_hash was computed (engine/attendance/ledger_hash.py): 1 before issue 10, 2 canonical.
    hash_format: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="2")

    employee: Mapped[Employee] = relationship()
    site: Mapped[Site | None] = relationship()
    device: Mapped["Device | None"] = relationship()  # noqa: F821  (engine.models.terminals)


class LedgerHead(Base):
    """The newest punch of each employee; appends move it by compare-and-swap, so one chain never forks."""

    __tablename__ = "ledger_heads"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    last_punch_id: Mapped[int | None] = mapped_column(ForeignKey("punches.id"))
    last_hash: Mapped[str] = mapped_column(String(64))


class PunchAcceptance(Base):
    """hr's decision that a punch whose selfie check failed counts all the same: who, when and why.

    Written once and never changed (the punch itself stays as it was); the audit record of that decision.
    """

    __tablename__ = "punch_acceptances"

    id: Mapped[int] = mapped_column(primary_key=True)
    punch_id: Mapped[int] = mapped_column(ForeignKey("punches.id"), unique=True)
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    reason: Mapped[str] = mapped_column(Text)
    # The verdict that was overruled (rejected or error), kept with the decision.
    verification_status: Mapped[str] = mapped_column(String(16))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    accepted_by: Mapped[Employee] = relationship()
    punch: Mapped[Punch] = relationship(
        backref=backref("acceptance", uselist=False, viewonly=True, lazy="select"))
