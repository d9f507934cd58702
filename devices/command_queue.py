"""Packing queued commands into one getrequest reply (`C:<id>:<command>` lines) within device limits."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from devices.replies import OK_REPLY
from devices.wire import DEFAULT_CODEC, split_lines

# DOC V3.2.0: "No more than 200 commands or less 40KB in one message" (≤10 KB over GPRS).
MAX_COMMANDS = 200
MAX_REPLY_BYTES = 40 * 1024
HEAVY_COMMAND_BYTES = 20 * 1024
_PHOTO_PREFIXES = ("DATA UPDATE BIOPHOTO", "DATA UPDATE USERPIC")


@dataclass(frozen=True)
class BatchLimits:
    """How much one getrequest reply may carry."""

    max_commands: int = MAX_COMMANDS
    max_bytes: int = MAX_REPLY_BYTES
    heavy_bytes: int = HEAVY_COMMAND_BYTES


@dataclass(frozen=True)
class CommandBatch:
    """A getrequest reply body and the ids of the queued commands it carries, in order."""

    body: str
    command_ids: list[int]


def command_line(command_id: int, text: str) -> str:
    """One `C:<id>:<command>\\n` line; refuses line breaks that would split the command."""
    if "\n" in text or "\r" in text:
        raise ValueError("a command may not contain a line break")
    return f"C:{int(command_id)}:{text}\n"


def is_heavy(text: str, *, limits: BatchLimits = BatchLimits(), codec: str = DEFAULT_CODEC) -> bool:
    """Whether a command must travel alone: any photo upload, or anything over `heavy_bytes`."""
    return text.startswith(_PHOTO_PREFIXES) or len(text.encode(codec, errors="replace")) > limits.heavy_bytes


def batch_commands(queued: Iterable[tuple[int, str]], *, limits: BatchLimits = BatchLimits(),
                   codec: str = DEFAULT_CODEC) -> CommandBatch:
    """Take commands in queue order until a limit is hit; the rest wait for the next poll.

    Order is never changed (a USERINFO must reach the device before its BIOPHOTO). A heavy command
    goes alone; it is sent even if it alone exceeds `max_bytes`, since it can never be smaller.
    `REBOOT` ends the batch because the device ignores whatever follows it.
    """
    lines: list[str] = []
    ids: list[int] = []
    size = 0
    for command_id, text in queued:
        line = command_line(command_id, text)
        line_bytes = len(line.encode(codec, errors="replace"))
        heavy = is_heavy(text, limits=limits, codec=codec)
        if lines and (heavy or len(lines) >= limits.max_commands or size + line_bytes > limits.max_bytes):
            break
        lines.append(line)
        ids.append(int(command_id))
        size += line_bytes
        if heavy or text.strip().upper() == "REBOOT":
            break
    return CommandBatch(body="".join(lines) if lines else OK_REPLY, command_ids=ids)


def parse_command_reply(body: str) -> list[tuple[int, str]]:
    """Read a getrequest reply into (id, command) pairs; `OK` or anything else yields none."""
    commands = []
    for line in split_lines(body):
        if not line.startswith("C:"):
            continue
        command_id, sep, text = line[2:].partition(":")
        if sep and command_id.strip().isdigit():
            commands.append((int(command_id), text))
    return commands
