"""Face photos leaving for terminals: whether a queued one may still go, and the record of every hand-out.

A photo command waits in the queue until the terminal polls; by then the person may have left the
terminal's site, or the terminal may have been moved. So the rule of enrolment (only terminals of the
sites a person belongs to) is checked again at each hand-out, and each hand-out is recorded: which
terminal, whose photo, when, and the address it was handed to. hr reads that history.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.errors import NotFound
from engine.models import Device, DeviceCommand, DevicePhotoHandout, Employee
from engine.sites.members import employee_site_ids

# Commands that carry a person's name or face to a terminal.
PERSONAL_KINDS = ("user_info", "face_photo")
PHOTO_KINDS = ("face_photo",)
NOT_AT_SITE = "not sent: the employee does not belong to the terminal's site"
HISTORY_LIMIT = 500


def _carries_photo(command: DeviceCommand) -> bool:
    return command.kind in PHOTO_KINDS or command.command.startswith(("DATA UPDATE BIOPHOTO", "DATA UPDATE USERPIC"))


def photo_withheld(*, session: Session, device: Device) -> Callable[[DeviceCommand], str | None]:
    """For one hand-out: why a command must not go to `device` (a person not at its site), or None."""
    sites: dict[int, set[int]] = {}

    def why_not(command: DeviceCommand) -> str | None:
        if command.kind not in PERSONAL_KINDS and not _carries_photo(command):
            return None
        if command.employee_id is None or device.site_id is None:
            return NOT_AT_SITE
        if command.employee_id not in sites:
            employee = session.get(Employee, command.employee_id)
            sites[command.employee_id] = employee_site_ids(session=session, employee=employee)
        return None if device.site_id in sites[command.employee_id] else NOT_AT_SITE

    return why_not


def record_handouts(*, session: Session, device: Device, commands: list[DeviceCommand], remote_addr: str,
                    now: datetime) -> list[DevicePhotoHandout]:
    """Record each photo command among `commands` as handed to `device` at `remote_addr` now (no commit)."""
    rows = [DevicePhotoHandout(device_id=device.id, employee_id=command.employee_id, command_id=command.id,
                               remote_addr=remote_addr[:64], handed_out_at=now)
            for command in commands if _carries_photo(command) and command.employee_id is not None]
    session.add_all(rows)
    return rows


def photo_handouts(*, session: Session, employee_code: str | None = None, sn: str | None = None,
                   limit: int = HISTORY_LIMIT) -> list[DevicePhotoHandout]:
    """Hand-outs of face photos, newest first, for one employee and/or one terminal (404 for an unknown one)."""
    employee = device = None
    if employee_code:
        employee = session.scalar(select(Employee).where(Employee.code == employee_code.strip()))
        if employee is None:
            raise NotFound("No employee has this code.", code="employee_not_found")
    if sn:
        device = session.scalar(select(Device).where(Device.sn == sn))
        if device is None:
            raise NotFound("No device has this serial number.", code="device_not_found")
    query = select(DevicePhotoHandout).options(
        joinedload(DevicePhotoHandout.device), joinedload(DevicePhotoHandout.employee),
        joinedload(DevicePhotoHandout.command).joinedload(DeviceCommand.requested_by))
    if employee is not None:
        query = query.where(DevicePhotoHandout.employee_id == employee.id)
    if device is not None:
        query = query.where(DevicePhotoHandout.device_id == device.id)
    return list(session.scalars(query.order_by(DevicePhotoHandout.handed_out_at.desc(),
                                               DevicePhotoHandout.id.desc()).limit(limit)))


