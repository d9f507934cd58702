"""Text of server → device commands (`DATA UPDATE USERINFO …`) and their parsing on the device side.

Values travel inside TAB-separated `Key=Value` fields of one line, so a TAB, CR or LF in a value
would split or end the command: names are cleaned, PINs are refused.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime

from devices.wire import FieldMap, parse_key_values

COMMAND_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
FACE_PHOTO_BIO_TYPE = 9  # visible-light face
_BREAKS = re.compile(r"[\t\r\n\x00]+")


def clean_value(value: object) -> str:
    """Make a value safe inside a command field: TAB/CR/LF/NUL runs become one space."""
    return _BREAKS.sub(" ", str(value)).strip()


def check_pin(pin: str) -> str:
    """Return the PIN unchanged (an opaque string: leading zeros kept) or raise ValueError."""
    if not isinstance(pin, str) or not pin or pin != pin.strip() or _BREAKS.search(pin) or " " in pin:
        raise ValueError(f"invalid device PIN {pin!r}")
    return pin


def _fields(pairs: list[tuple[str, object]]) -> str:
    return "\t".join(f"{key}={value}" for key, value in pairs)


def user_update_command(*, pin: str, name: str, privilege: int = 0, password: str = "",
                        card: str = "", group: int = 1, time_zones: str = "0000000100000000",
                        verify_mode: int | None = None) -> str:
    """`DATA UPDATE USERINFO` adding or updating one user (privilege 0 user, 2 enroller, 14 admin)."""
    pairs: list[tuple[str, object]] = [
        ("PIN", check_pin(pin)), ("Name", clean_value(name)), ("Pri", int(privilege)),
        ("Passwd", clean_value(password)), ("Card", clean_value(card)), ("Grp", int(group)),
        ("TZ", clean_value(time_zones)),
    ]
    if verify_mode is not None:
        pairs.append(("Verify", int(verify_mode)))
    return "DATA UPDATE USERINFO " + _fields(pairs)


def user_delete_command(*, pin: str) -> str:
    """`DATA DELETE USERINFO` removing a user and all of their templates and photos."""
    return "DATA DELETE USERINFO " + _fields([("PIN", check_pin(pin))])


def face_photo_command(*, pin: str, jpeg: bytes, bio_type: int = FACE_PHOTO_BIO_TYPE) -> str:
    """`DATA UPDATE BIOPHOTO` sending a face photo; `Size` is the base64 length, not the byte count."""
    content = base64.b64encode(jpeg).decode("ascii")
    return "DATA UPDATE BIOPHOTO " + _fields([
        ("PIN", check_pin(pin)), ("Type", int(bio_type)), ("Size", len(content)), ("Content", content),
        ("Format", 0), ("Url", ""), ("PostBackTmpFlag", 0),
    ])


def face_photo_delete_command(*, pin: str) -> str:
    """`DATA DELETE BIOPHOTO` removing a user's face photos."""
    return "DATA DELETE BIOPHOTO " + _fields([("PIN", check_pin(pin))])


def attlog_query_command(*, start: datetime, end: datetime) -> str:
    """`DATA QUERY ATTLOG` asking the device to re-post punches between two device-local times."""
    if end < start:
        raise ValueError("end is before start")
    return "DATA QUERY ATTLOG " + _fields([
        ("StartTime", start.strftime(COMMAND_TIME_FORMAT)), ("EndTime", end.strftime(COMMAND_TIME_FORMAT)),
    ])


@dataclass(frozen=True)
class DeviceCommand:
    """A command as a device reads it: verb words (`("DATA", "UPDATE", "USERINFO")`) and fields."""

    words: tuple[str, ...]
    fields: FieldMap
    text: str

    @property
    def verb(self) -> str:
        """The first word, which devices echo back as `CMD=` in devicecmd."""
        return self.words[0] if self.words else ""


def parse_command(text: str) -> DeviceCommand:
    """Split a command into its verb words and its TAB-separated `Key=Value` fields."""
    first_equals = text.find("=")
    if first_equals < 0:
        return DeviceCommand(tuple(text.split()), FieldMap(), text)
    head_end = text.rfind(" ", 0, first_equals)
    head, rest = (text[:head_end], text[head_end + 1:]) if head_end >= 0 else ("", text)
    return DeviceCommand(tuple(head.split()), parse_key_values(rest.split("\t")), text)
