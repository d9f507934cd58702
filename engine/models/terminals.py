"""Face terminals (ZKTeco push devices): the registry, their command queues, enrollment and review tables."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devices.punch_meaning import DEFAULT_STATE_MAP
from engine.db import Base, UTCDateTime, utcnow
from engine.models.directory import Employee
from engine.models.sites import Site

COMMAND_STATES = ("queued", "sent", "succeeded", "failed", "cancelled")
ENROLLMENT_STATES = ("pending", "enrolled", "failed", "removing", "removed")


def _default_state_map() -> dict:
    return dict(DEFAULT_STATE_MAP)


class Device(Base):
    """A registered terminal; only these serial numbers may talk to `/iclock/*`."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    sn: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    # The device clock is a naive wall clock; this IANA zone reads it.
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Bangkok")
    # How the handshake TimeZone option is written for this firmware: minutes, hours, hhmm or omit.
    timezone_format: Mapped[str] = mapped_column(String(8), default="minutes")
    state_map: Mapped[dict] = mapped_column(JSON, default=_default_state_map)
    codec: Mapped[str] = mapped_column(String(32), default="utf-8")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The networks (CIDR, normalised) it may call from; a request from anywhere else is refused and counted.
    allowed_networks: Mapped[list] = mapped_column(JSON, default=list)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_addr: Mapped[str] = mapped_column(String(64), default="")
    push_version: Mapped[str] = mapped_column(String(32), default="")
    # The getrequest INFO= fields and the table=options capability list, as last reported.
    firmware_info: Mapped[dict] = mapped_column(JSON, default=dict)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    # Upload watermarks echoed back in the handshake (the device's own Stamp values).
    attlog_stamp: Mapped[str] = mapped_column(String(32), default="0")
    operlog_stamp: Mapped[str] = mapped_column(String(32), default="0")
    attphoto_stamp: Mapped[str] = mapped_column(String(32), default="0")
    # Set when the silence alert went out; cleared when the device speaks again (one alert per silence).
    silence_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site | None] = relationship()


class DeviceCommand(Base):
    """One server → device command; its id travels as `C:<id>:` and comes back in devicecmd."""

    __tablename__ = "device_commands"
    __table_args__ = (Index("ix_device_commands_device_state", "device_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    command: Mapped[str] = mapped_column(Text)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    return_code: Mapped[int | None] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text, default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who asked for it (an enroll or resync through the API); None for commands the system queued itself.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    employee: Mapped[Employee | None] = relationship(foreign_keys=[employee_id])
    requested_by: Mapped[Employee | None] = relationship(foreign_keys=[requested_by_id])


class DeviceEnrollment(Base):
    """Whether an employee is on a device: pending, enrolled, failed (with why), removing or removed."""

    __tablename__ = "device_enrollments"
    __table_args__ = (UniqueConstraint("device_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    # The profile photo sent (or being sent); None when the employee had no photo.
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("profile_photos.id"))
    photo_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship()


class UnmatchedDeviceRecord(Base):
    """A line a registered device sent that became no punch (unknown PIN, malformed, unsupported table)."""

    __tablename__ = "unmatched_device_records"
    __table_args__ = (UniqueConstraint("device_id", "line_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    sn: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(32))
    line_no: Mapped[int] = mapped_column(Integer)
    raw_line: Mapped[str] = mapped_column(Text)
    # Dedupe key: a resent batch counts the same line again instead of adding it twice.
    line_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    times_received: Mapped[int] = mapped_column(Integer, default=1)
    # Set when the same line later became a punch (e.g. after the employee was added and a resync ran).
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UnauthorizedDeviceAttempt(Base):
    """Refused calls to `/iclock/*` (unregistered, disabled, or from outside the allowed networks), counted in a
    fixed number of buckets by serial number and address, so random serial numbers cannot grow the table.

    The bucket keeps the serial number, address and path of the latest refusal that landed in it.
    """

    __tablename__ = "unauthorized_device_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, unique=True)
    sn: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    path: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(String(32), default="unregistered")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class UnauthorizedDeviceFlood(Base):
    """One row: refusals counted since the last quiet spell, and when admins were told (once per flood)."""

    __tablename__ = "unauthorized_device_floods"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DevicePhotoHandout(Base):
    """A command carrying an employee's face photo handed to a terminal: which, whose, when and where to.

    Kept even when the command or enrollment changes later: this is the record of where photos went.
    """

    __tablename__ = "device_photo_handouts"
    __table_args__ = (Index("ix_device_photo_handouts_employee", "employee_id", "handed_out_at"),
                      Index("ix_device_photo_handouts_device", "device_id", "handed_out_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    command_id: Mapped[int] = mapped_column(ForeignKey("device_commands.id", ondelete="CASCADE"), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    handed_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    device: Mapped[Device] = relationship()
    employee: Mapped[Employee] = relationship()
    command: Mapped[DeviceCommand] = relationship()
