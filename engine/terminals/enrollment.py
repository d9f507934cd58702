"""Putting employees on terminals (USERINFO + face photo), keeping them current, and taking them off.

The PIN on the device is the employee code. A person is put only on the terminals of the sites they
belong to (`engine/sites/members.py`: through their unit or named explicitly): enrolling "everyone" on a
terminal means everyone at its site, and a terminal without a site receives nobody. "An employee's
devices", for a photo change, are the enabled terminals at their sites. Whether a photo may still go
out is checked again when it is handed out (`photo_handouts`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from devices.commands import face_photo_command, face_photo_delete_command, user_delete_command, user_update_command
from engine.db import utcnow
from engine.models import Device, DeviceCommand, DeviceEnrollment, Employee, ProfilePhoto
from engine.sites.members import employee_site_ids, site_employee_ids
from engine.terminals.queue import cancel, queue_command

ENROLLING_KINDS = ("user_info", "face_photo")
NO_PHOTO = "no profile photo"
_LIVE_STATES = ("pending", "enrolled", "failed")
_CHUNK = 200
_KIND_LABELS = {"user_info": "DATA UPDATE USERINFO", "face_photo": "DATA UPDATE BIOPHOTO",
                "user_delete": "DATA DELETE USERINFO", "face_photo_delete": "DATA DELETE BIOPHOTO"}


@dataclass
class EnrollReport:
    """What an enroll request queued, by employee code."""

    queued: list[str] = field(default_factory=list)
    no_photo: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)
    invalid_pin: list[str] = field(default_factory=list)
    # Not at the terminal's site (or the terminal has none): nothing of them is sent to it.
    not_at_site: list[str] = field(default_factory=list)
    commands: int = 0


def _current_photos(session: Session, employee_ids: list[int]) -> dict[int, ProfilePhoto]:
    photos: dict[int, ProfilePhoto] = {}
    for i in range(0, len(employee_ids), _CHUNK):
        chunk = employee_ids[i:i + _CHUNK]
        for photo in session.scalars(select(ProfilePhoto).where(ProfilePhoto.employee_id.in_(chunk),
                                                                ProfilePhoto.current.is_(True))
                                     .order_by(ProfilePhoto.id)):
            photos[photo.employee_id] = photo  # the newest current one wins if data ever holds two
    return photos


def _device_name(employee: Employee, codec: str) -> str:
    # Keep the Thai name unless the device codec cannot write it.
    try:
        employee.name_th.encode(codec)
        return employee.name_th
    except (UnicodeEncodeError, LookupError):
        return employee.name_en or employee.code


def _enrollment(session: Session, device: Device, employee: Employee) -> DeviceEnrollment:
    row = session.scalar(select(DeviceEnrollment).where(DeviceEnrollment.device_id == device.id,
                                                        DeviceEnrollment.employee_id == employee.id))
    if row is None:
        row = DeviceEnrollment(device_id=device.id, employee_id=employee.id, state="pending", reason="")
        session.add(row)
    return row


def _queue_enrollment(session: Session, device: Device, employee: Employee, photo: ProfilePhoto | None,
                      now: datetime, requested_by_id: int | None = None) -> int:
    """Queue USERINFO (+ BIOPHOTO) for one employee on one device and mark them pending; returns commands queued."""
    user_info = user_update_command(pin=employee.code, name=_device_name(employee, device.codec))
    queue_command(session=session, device=device, kind="user_info", command=user_info, now=now,
                  employee_id=employee.id, supersede=True, requested_by_id=requested_by_id)
    row = _enrollment(session, device, employee)
    row.state, row.reason = "pending", ""
    if photo is None:
        row.reason, row.photo_id, row.photo_sha256 = NO_PHOTO, None, None
        return 1
    queue_command(session=session, device=device, kind="face_photo", now=now, employee_id=employee.id,
                  command=face_photo_command(pin=employee.code, jpeg=photo.device_jpeg), supersede=True,
                  requested_by_id=requested_by_id)
    row.photo_id, row.photo_sha256 = photo.id, hashlib.sha256(photo.device_jpeg).hexdigest()
    return 2


def enroll_employees(*, session: Session, device: Device, codes: list[str] | None = None,
                     now: datetime | None = None, requested_by_id: int | None = None) -> EnrollReport:
    """Queue the given employees (default: every active one at the device's site) with their current profile
    photo for `device`; people not at its site are reported, not sent; commits."""
    now = now or utcnow()
    report = EnrollReport()
    at_site = site_employee_ids(session=session, site_id=device.site_id) if device.site_id is not None else set()
    query = select(Employee).order_by(Employee.code)
    if codes is None:
        employees = [e for e in session.scalars(query.where(Employee.active.is_(True))) if e.id in at_site]
    else:
        wanted = list(dict.fromkeys(code.strip() for code in codes))
        found = {e.code: e for e in session.scalars(query.where(Employee.code.in_(wanted)))}
        report.unknown = [code for code in wanted if code not in found]
        report.inactive = [code for code in wanted if code in found and not found[code].active]
        report.not_at_site = [code for code in wanted if code in found and found[code].active
                              and found[code].id not in at_site]
        employees = [found[code] for code in wanted if code in found and found[code].active
                     and found[code].id in at_site]
    photos = _current_photos(session, [e.id for e in employees])
    for employee in employees:
        try:
            report.commands += _queue_enrollment(session, device, employee, photos.get(employee.id), now,
                                                 requested_by_id)
        except ValueError:  # a code with spaces or tabs cannot be a device PIN
            report.invalid_pin.append(employee.code)
            continue
        report.queued.append(employee.code)
        if employee.id not in photos:
            report.no_photo.append(employee.code)
    session.commit()
    return report


def employee_deactivated(*, session: Session, employee: Employee, now: datetime | None = None) -> list[DeviceCommand]:
    """Queue `DATA DELETE USERINFO` on every device the employee is on or being put on (no commit)."""
    return take_off_devices(session=session, employee=employee, why="employee deactivated", now=now)


def take_off_devices(*, session: Session, employee: Employee, why: str, site_id: int | None = None,
                     now: datetime | None = None) -> list[DeviceCommand]:
    """Queue `DATA DELETE USERINFO` on the devices (of `site_id`, or all) the employee is on or being put on,
    cancelling what still waits to be sent to them (no commit)."""
    now = now or utcnow()
    queued = []
    query = select(DeviceEnrollment).where(DeviceEnrollment.employee_id == employee.id,
                                           DeviceEnrollment.state.in_(_LIVE_STATES))
    if site_id is not None:
        query = query.where(DeviceEnrollment.device_id.in_(select(Device.id).where(Device.site_id == site_id)))
    for row in list(session.scalars(query)):
        device = session.get(Device, row.device_id)
        for waiting in session.scalars(select(DeviceCommand).where(
                DeviceCommand.device_id == device.id, DeviceCommand.employee_id == employee.id,
                DeviceCommand.kind.in_(ENROLLING_KINDS), DeviceCommand.state == "queued")):
            cancel(waiting, now=now, why=why)
        queued.append(queue_command(session=session, device=device, kind="user_delete", now=now,
                                    command=user_delete_command(pin=employee.code), employee_id=employee.id))
        row.state, row.reason = "removing", ""
    return queued


def employee_devices(*, session: Session, employee: Employee, now: datetime | None = None) -> list[Device]:
    """The enabled devices that should carry this employee's photo: those at the sites they belong to."""
    sites = employee_site_ids(session=session, employee=employee)
    if not sites:
        return []
    return list(session.scalars(select(Device).where(Device.enabled.is_(True), Device.site_id.in_(sites))
                                .order_by(Device.sn)))


def profile_photo_changed(*, session: Session, employee: Employee, now: datetime | None = None) -> list[Device]:
    """Queue the new current photo (or its removal) for every device of the employee (no commit).

    Call it after a profile photo is accepted, replaced or withdrawn. Returns the devices queued.
    """
    now = now or utcnow()
    if not employee.active:
        return []
    photo = _current_photos(session, [employee.id]).get(employee.id)
    devices = employee_devices(session=session, employee=employee, now=now)
    for device in devices:
        if photo is not None:
            _queue_enrollment(session, device, employee, photo, now)
            continue
        row = session.scalar(select(DeviceEnrollment).where(DeviceEnrollment.device_id == device.id,
                                                            DeviceEnrollment.employee_id == employee.id))
        if row is not None and row.photo_id is not None and row.state in _LIVE_STATES:
            queue_command(session=session, device=device, kind="face_photo_delete", now=now,
                          employee_id=employee.id, command=face_photo_delete_command(pin=employee.code))
    return devices


def command_finished(*, session: Session, command: DeviceCommand) -> None:
    """Move the employee's enrollment on that device after one of its commands got a result (no commit)."""
    if command.employee_id is None or command.kind not in _KIND_LABELS:
        return
    row = session.scalar(select(DeviceEnrollment).where(DeviceEnrollment.device_id == command.device_id,
                                                        DeviceEnrollment.employee_id == command.employee_id))
    if row is None:
        return
    ok = command.state == "succeeded"
    why = f"{_KIND_LABELS[command.kind]}: {command.explanation}"
    if command.return_code is not None:
        why += f" (Return={command.return_code})"
    if command.kind == "user_delete":
        if ok or command.return_code == -10:  # -10: the PIN was not on the device, which is the goal
            row.state, row.reason = "removed", ""
        else:
            row.state, row.reason = "failed", why
    elif command.kind == "face_photo_delete":
        if ok:
            row.photo_id, row.photo_sha256, row.reason = None, None, NO_PHOTO
    elif not ok:
        if row.state != "failed":  # keep the first failure: later ones (e.g. PIN missing) follow from it
            row.state, row.reason = "failed", why
    elif row.state == "pending" and not _enrollment_still_open(session, command):
        row.state = "enrolled"
    row.updated_at = utcnow()


def _enrollment_still_open(session: Session, command: DeviceCommand) -> bool:
    return session.scalar(select(DeviceCommand.id).where(
        DeviceCommand.device_id == command.device_id, DeviceCommand.employee_id == command.employee_id,
        DeviceCommand.kind.in_(ENROLLING_KINDS), DeviceCommand.state.in_(("queued", "sent"))).limit(1)) is not None


def enrollment_overview(*, session: Session, device: Device) -> dict[str, list[DeviceEnrollment]]:
    """The device's people grouped by state: enrolled, pending, failed (with why), removing, removed."""
    groups: dict[str, list[DeviceEnrollment]] = {state: [] for state in
                                                 ("enrolled", "pending", "failed", "removing", "removed")}
    rows = session.scalars(select(DeviceEnrollment).where(DeviceEnrollment.device_id == device.id)
                           .join(Employee, Employee.id == DeviceEnrollment.employee_id).order_by(Employee.code))
    for row in rows:
        groups.setdefault(row.state, []).append(row)
    return groups
