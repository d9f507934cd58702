"""The per-device command queue: queue commands, hand them out on getrequest, apply devicecmd results.

States: queued → sent (at, polls) → succeeded | failed (return code explained); a queued command
replaced by a newer one of the same kind for the same employee becomes cancelled.

The queue knows nothing of enrollment: `hand_out_commands` and `apply_results` return the commands
they finished, and the terminal conversation (`terminal`) passes those on to `enrollment`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from devices.command_queue import batch_commands
from devices.command_results import CommandResult, explain_return_code
from devices.commands import attlog_query_command
from engine.config import Settings
from engine.errors import InvalidInput
from engine.models import Device, DeviceCommand

log = logging.getLogger(__name__)

OPEN_STATES = ("queued", "sent")
_CANDIDATES = 200


def queue_command(*, session: Session, device: Device, kind: str, command: str, now: datetime,
                  employee_id: int | None = None, supersede: bool = False,
                  requested_by_id: int | None = None) -> DeviceCommand:
    """Append a command to the device's queue (no commit).

    With `supersede`, a not-yet-sent command of the same kind for the same employee is cancelled:
    only the newest USERINFO or photo matters.
    """
    if supersede and employee_id is not None:
        for older in session.scalars(select(DeviceCommand).where(
                DeviceCommand.device_id == device.id, DeviceCommand.employee_id == employee_id,
                DeviceCommand.kind == kind, DeviceCommand.state == "queued")):
            cancel(older, now=now, why="replaced by a newer command")
    row = DeviceCommand(device_id=device.id, kind=kind, command=command, employee_id=employee_id,
                        state="queued", explanation="", queued_at=now, polls=0, requested_by_id=requested_by_id)
    session.add(row)
    return row


def cancel(command: DeviceCommand, *, now: datetime, why: str) -> None:
    """Withdraw a command that has not been sent yet."""
    command.state = "cancelled"
    command.explanation = why
    command.done_at = now


@dataclass(frozen=True)
class HandOut:
    """A getrequest reply, the commands it carries, and those that ended while it was made (given up after
    too many sends, or withheld and cancelled)."""

    body: str
    given_up: list[DeviceCommand]
    sent: list[DeviceCommand] = field(default_factory=list)


def hand_out_commands(*, session: Session, settings: Settings, device: Device, now: datetime,
                      withheld: Callable[[DeviceCommand], str | None] = lambda command: None) -> HandOut:
    """The getrequest reply: `OK` or `C:<id>:<command>` lines within the device limits (no commit).

    A command sent without a result for `device_command_resend_seconds` goes out again (DATA UPDATE and
    DELETE are idempotent), and fails after `device_command_max_sends` sends. A command for which
    `withheld` gives a reason is cancelled with it instead of being sent (checked again at every hand-out,
    since who may receive what can change while a command waits).
    """
    stale = now - timedelta(seconds=settings.device_command_resend_seconds)
    candidates = list(session.scalars(
        select(DeviceCommand).where(DeviceCommand.device_id == device.id, or_(
            DeviceCommand.state == "queued",
            and_(DeviceCommand.state == "sent", DeviceCommand.sent_at <= stale)))
        .order_by(DeviceCommand.id).limit(_CANDIDATES).with_for_update(skip_locked=True)))
    ready, given_up = [], []
    for command in candidates:
        why_not = withheld(command)
        if why_not:
            cancel(command, now=now, why=why_not)
            given_up.append(command)
        elif command.state == "sent" and command.polls >= settings.device_command_max_sends:
            _finish(command, return_code=None, now=now,
                    explanation=f"no result from the device after {command.polls} sends")
            given_up.append(command)
        else:
            ready.append(command)
    batch = batch_commands([(c.id, c.command) for c in ready], codec=device.codec)
    sent = set(batch.command_ids)
    handed = [command for command in ready if command.id in sent]
    for command in handed:
        command.state = "sent"
        command.sent_at = now
        command.polls += 1
    return HandOut(body=batch.body, given_up=given_up, sent=handed)


def apply_results(*, session: Session, device: Device, results: list[CommandResult],
                  now: datetime) -> list[DeviceCommand]:
    """Record devicecmd results on this device's commands (no commit); returns the commands they finished."""
    finished = []
    for result in results:
        command = session.get(DeviceCommand, result.id)
        if command is None or command.device_id != device.id:
            log.warning("device %s reported a result for unknown command %s", device.sn, result.id)
            continue
        if command.state in ("succeeded", "failed") and command.return_code == result.return_code:
            continue  # the device resent a devicecmd body we already took
        _finish(command, return_code=result.return_code, now=now,
                explanation=explain_return_code(result.return_code))
        finished.append(command)
    return finished


def _finish(command: DeviceCommand, *, return_code: int | None, explanation: str, now: datetime) -> None:
    command.return_code = return_code
    command.state = "succeeded" if return_code is not None and return_code >= 0 else "failed"
    command.explanation = explanation
    command.done_at = now


def open_commands(*, session: Session, device: Device) -> list[DeviceCommand]:
    """Commands still waiting to be sent or for their result, oldest first."""
    return list(session.scalars(select(DeviceCommand).where(
        DeviceCommand.device_id == device.id, DeviceCommand.state.in_(OPEN_STATES)).order_by(DeviceCommand.id)))


def recent_commands(*, session: Session, device: Device, limit: int = 100) -> list[DeviceCommand]:
    """The newest commands of a device in any state."""
    return list(session.scalars(select(DeviceCommand).where(DeviceCommand.device_id == device.id)
                                .order_by(DeviceCommand.id.desc()).limit(limit)))


def queue_resync(*, session: Session, device: Device, start: datetime, end: datetime,
                 now: datetime, requested_by_id: int | None = None) -> DeviceCommand:
    """Ask the device to post its punches between two device-local wall times again; commits."""
    try:
        text = attlog_query_command(start=start, end=end)
    except ValueError as exc:
        raise InvalidInput("'to' is before 'from'.", code="resync_range_invalid") from exc
    command = queue_command(session=session, device=device, kind="attlog_query", command=text, now=now,
                            requested_by_id=requested_by_id)
    session.commit()
    return command
