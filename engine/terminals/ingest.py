"""Uploads from a terminal: ATTLOG lines become ledger punches, anything unusable is kept for review.

A terminal resends a whole batch on anything but HTTP 200, so every write here is idempotent:
punches on (device, PIN, device wall clock), unmatched lines on (device, line hash).

A line is a punch only for a PIN enrolled on this terminal or on another terminal of its site (the
serial number and the network say which terminal is calling, never who may punch there); any other
line is kept for review. A batch of any size is stored in chunks of `CHUNK_LINES`, each committed on its
own, so no statement carries more bind parameters than a chunk: if a later chunk fails, the terminal
gets no 200, resends, and the chunks already stored count as duplicates.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from devices.attlog import DevicePunch, read_punches
from devices.wire import LineReject
from engine.attendance.ledger import NewPunch, append_punches
from engine.config import Settings
from engine.models import Device, DeviceEnrollment, Employee, Punch, UnmatchedDeviceRecord

log = logging.getLogger(__name__)

MAX_STORED_LINE = 4000
CHUNK_LINES = 2000
_ATTEMPTS = 3


@dataclass(frozen=True)
class Unmatched:
    """A line that became no punch, and why."""

    line_no: int
    raw: str
    reason: str


@dataclass(frozen=True)
class AttlogOutcome:
    """What one ATTLOG upload did: punches stored, lines already stored before, lines kept for review."""

    stored: int
    duplicates: int
    unmatched: int
    punch_ids: tuple[int, ...] = ()


def line_sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()


def store_attlog(*, session: Session, settings: Settings, device: Device, text: str,
                 now: datetime) -> AttlogOutcome:
    """Record a decoded ATTLOG body as punches of `device`, committing chunk by chunk.

    Unknown PINs, PINs not enrolled here, inactive employees, unmapped states and malformed lines go to
    the unmatched records; the good lines of the same batch are stored. A race with a concurrent resend of
    the same batch (unique constraint) is retried: the second try finds the punches already there.
    """
    punches, rejects = read_punches(text, tz=device.timezone, state_map=device.state_map)
    device_id = device.id
    stored = duplicates = unmatched = 0
    punch_ids: list[int] = []
    for start in range(0, max(len(punches), len(rejects)), CHUNK_LINES):
        chunk = (punches[start:start + CHUNK_LINES], rejects_as_unmatched(rejects[start:start + CHUNK_LINES]))
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                outcome = _store_attlog_once(session, settings, device, *chunk, now)
                session.commit()
                break
            except IntegrityError:
                session.rollback()
                if attempt == _ATTEMPTS:
                    raise
                log.info("ATTLOG batch of device %s raced a concurrent write; retrying", device_id)
                device = session.get(Device, device_id)
        stored, duplicates = stored + outcome.stored, duplicates + outcome.duplicates
        unmatched += outcome.unmatched
        punch_ids += outcome.punch_ids
    return AttlogOutcome(stored=stored, duplicates=duplicates, unmatched=unmatched, punch_ids=tuple(punch_ids))


def _store_attlog_once(session: Session, settings: Settings, device: Device, punches: list[DevicePunch],
                       unmatched: list[Unmatched], now: datetime) -> AttlogOutcome:
    unmatched = list(unmatched)
    pins = sorted({p.pin for p in punches})
    employees = {code: (id_, active) for id_, code, active in session.execute(
        select(Employee.id, Employee.code, Employee.active).where(Employee.code.in_(pins)))} if pins else {}
    enrolled = _enrolled_here(session, device, [id_ for id_, _ in employees.values()])
    already = _stored_keys(session, device.id, punches)

    wanted: list[tuple[DevicePunch, int]] = []
    duplicates = 0
    for punch in punches:
        key = (punch.pin, punch.local_time)
        if key in already:
            duplicates += 1
            continue
        employee = employees.get(punch.pin)
        reason = _unmatched_reason(punch, employee, enrolled)
        if reason:
            unmatched.append(Unmatched(punch.line_no, punch.raw, reason))
            continue
        already.add(key)  # the same line twice in one batch is stored once
        wanted.append((punch, employee[0]))

    stored = append_punches(session=session, punches=[_punch_row(settings, device, p, employee_id, now)
                                                      for p, employee_id in wanted])
    keep_unmatched(session=session, device=device, table_name="ATTLOG", lines=unmatched, now=now)
    if stored:
        _resolve_unmatched(session, device.id, [p.raw for p, _ in wanted], now)
    return AttlogOutcome(stored=len(stored), duplicates=duplicates, unmatched=len(unmatched),
                         punch_ids=tuple(p.id for p in stored))


def _enrolled_here(session: Session, device: Device, employee_ids: list[int]) -> set[int]:
    """Those of `employee_ids` put on this terminal or on a terminal of its site (and not taken off)."""
    if not employee_ids:
        return set()
    here = DeviceEnrollment.device_id == device.id
    if device.site_id is not None:
        here = here | DeviceEnrollment.device_id.in_(select(Device.id).where(Device.site_id == device.site_id))
    return set(session.scalars(select(DeviceEnrollment.employee_id).where(
        here, DeviceEnrollment.state != "removed", DeviceEnrollment.employee_id.in_(employee_ids))))


def _unmatched_reason(punch: DevicePunch, employee: tuple[int, bool] | None, enrolled: set[int]) -> str | None:
    if employee is None:
        return f"unknown PIN {punch.pin}: no employee has this code"
    if not employee[1]:
        return f"PIN {punch.pin} belongs to an inactive employee"
    if employee[0] not in enrolled:
        return f"PIN {punch.pin} is not enrolled on this terminal or on a terminal of its site"
    if punch.direction not in ("in", "out"):
        return f"state {punch.state} has no direction in the device state map"
    return None


def _stored_keys(session: Session, device_id: int, punches: list[DevicePunch]) -> set[tuple[str, datetime]]:
    """(PIN, wall clock) pairs of this batch already on the ledger for this device (one query)."""
    if not punches:
        return set()
    times = [p.local_time for p in punches]
    rows = session.execute(
        select(Punch.device_pin, Punch.device_local_time).where(
            Punch.device_id == device_id,
            Punch.device_pin.in_(sorted({p.pin for p in punches})),
            Punch.device_local_time >= min(times), Punch.device_local_time <= max(times)))
    return {(pin, local_time) for pin, local_time in rows}


def _punch_row(settings: Settings, device: Device, punch: DevicePunch, employee_id: int, now: datetime) -> NewPunch:
    # A terminal keeps punches while offline, but not for ever: one dated beyond the offline window, or
    # ahead of the server, is stored as sent and flagged, for a person to look at the terminal's clock.
    skewed = (punch.instant - now > timedelta(seconds=settings.clock_skew_seconds)
              or now - punch.instant > timedelta(hours=settings.device_offline_window_hours))
    # Columns a terminal has no value for (position, client time) are left unset: NULL, not hashed.
    return NewPunch(
        employee_id=employee_id, direction=punch.direction, source="face_terminal", recorded_at=now,
        effective_at=punch.instant, offline=False, is_mock=False, note="", address="",
        place_label=device.name, location_kind="office",
        site_id=device.site_id, flags=["clock_skew"] if skewed else [], verification_required=False,
        device_id=device.id, device_pin=punch.pin, device_local_time=punch.local_time,
        verify_code=punch.method.code, verify_method=punch.method.name,
    )


def keep_unmatched(*, session: Session, device: Device, table_name: str, lines: list[Unmatched],
                   now: datetime) -> None:
    """Add lines to the unmatched records; a line seen before only counts once more (no commit)."""
    if not lines:
        return
    by_sha: dict[str, Unmatched] = {}
    for line in lines:
        by_sha.setdefault(line_sha256(line.raw), line)
    existing = {row.line_sha256: row for row in session.scalars(select(UnmatchedDeviceRecord).where(
        UnmatchedDeviceRecord.device_id == device.id, UnmatchedDeviceRecord.line_sha256.in_(list(by_sha))))}
    for sha, line in by_sha.items():
        row = existing.get(sha)
        if row is not None:
            row.times_received += 1
            row.last_received_at = now
            row.reason = line.reason
            continue
        session.add(UnmatchedDeviceRecord(
            device_id=device.id, sn=device.sn, table_name=table_name[:32], line_no=line.line_no,
            raw_line=line.raw[:MAX_STORED_LINE], line_sha256=sha, reason=line.reason, received_at=now,
            last_received_at=now, times_received=1))
    session.flush()


def _resolve_unmatched(session: Session, device_id: int, raw_lines: list[str], now: datetime) -> None:
    # A line kept earlier (say, an unknown PIN) that now became a punch needs no more review.
    if session.scalar(select(UnmatchedDeviceRecord.id).where(
            UnmatchedDeviceRecord.device_id == device_id, UnmatchedDeviceRecord.resolved_at.is_(None)).limit(1)) is None:
        return  # the usual case: nothing open for this device, so no need to hash every line
    session.execute(update(UnmatchedDeviceRecord).where(
        UnmatchedDeviceRecord.device_id == device_id, UnmatchedDeviceRecord.resolved_at.is_(None),
        UnmatchedDeviceRecord.line_sha256.in_([line_sha256(raw) for raw in raw_lines]),
    ).values(resolved_at=now).execution_options(synchronize_session=False))


def rejects_as_unmatched(rejects: list[LineReject]) -> list[Unmatched]:
    """Parser rejects of any table, as unmatched lines."""
    return [Unmatched(r.line_no, r.raw, f"malformed line: {r.reason}") for r in rejects]
