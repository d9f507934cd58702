"""What device admins read back: a device with its open commands, and the lines kept for review."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Device, DeviceCommand, UnmatchedDeviceRecord
from engine.terminals.queue import OPEN_STATES

OPEN_COMMANDS_SHOWN = 50


@dataclass(frozen=True)
class DeviceView:
    """A device with its commands still waiting to be sent or for a result."""

    device: Device
    open_commands: list[DeviceCommand]
    open_count: int

    def __getattr__(self, name):
        return getattr(self.device, name)


def device_views(*, session: Session, devices: list[Device]) -> list[DeviceView]:
    """Each device with its open commands (at most `OPEN_COMMANDS_SHOWN` listed), in two queries' worth."""
    ids = [d.id for d in devices]
    open_by_device: dict[int, list[DeviceCommand]] = {i: [] for i in ids}
    if ids:
        for command in session.scalars(select(DeviceCommand).where(
                DeviceCommand.device_id.in_(ids), DeviceCommand.state.in_(OPEN_STATES)).order_by(DeviceCommand.id)):
            open_by_device[command.device_id].append(command)
    return [DeviceView(d, open_by_device[d.id][:OPEN_COMMANDS_SHOWN], len(open_by_device[d.id])) for d in devices]


def unmatched_records(*, session: Session, device: Device, include_resolved: bool = False,
                      limit: int = 200) -> list[UnmatchedDeviceRecord]:
    """Lines of this device that became no punch, newest first; resolved ones only when asked."""
    query = select(UnmatchedDeviceRecord).where(UnmatchedDeviceRecord.device_id == device.id)
    if not include_resolved:
        query = query.where(UnmatchedDeviceRecord.resolved_at.is_(None))
    return list(session.scalars(query.order_by(UnmatchedDeviceRecord.last_received_at.desc(),
                                               UnmatchedDeviceRecord.id.desc()).limit(limit)))
