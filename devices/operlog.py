"""Parsing of `table=OPERLOG` and `table=BIODATA` uploads.

`OPLOG` lines are positional; every other tag (`USER`, `BIOPHOTO`, `FP`, `FACE`, `USERPIC`, `BIODATA`)
is `TAG<space>Key=Value<TAB>Key=Value…` with keys whose case varies by firmware.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devices.attlog import parse_attlog_time
from devices.wire import FieldMap, LineReject, numbered_lines, parse_key_values, split_fields

# Operation codes named in DOC V3.2.0 tables 2.5/2.6 as quoted in our research note; others keep their number.
OPLOG_OPERATIONS = {0: "power on", 3: "alarm", 4: "enter menu", 6: "enrol fingerprint", 9: "delete user",
                    30: "enrol user"}


@dataclass(frozen=True)
class OplogEntry:
    """An operation-log line: `OPLOG <op>\\t<admin>\\t<time>\\t<obj1>…<obj4>`."""

    line_no: int
    op_code: int
    admin: str
    local_time: datetime | None
    objects: tuple[str, ...]
    raw: str

    @property
    def operation(self) -> str:
        return OPLOG_OPERATIONS.get(self.op_code, f"operation {self.op_code}")


@dataclass(frozen=True)
class TaggedEntry:
    """A `TAG Key=Value…` line (USER, BIOPHOTO, FP, FACE, USERPIC, BIODATA, …)."""

    line_no: int
    tag: str
    fields: FieldMap
    raw: str

    @property
    def pin(self) -> str | None:
        value = self.fields.get("PIN")
        return value.strip() if value is not None else None

    def content_size_matches(self) -> bool | None:
        """Whether `Size` equals the length of the base64 `Content`/`Tmp` (None if either is absent)."""
        payload = self.fields.get("Content", self.fields.get("Tmp"))
        size = self.fields.get("Size")
        if payload is None or size is None or not size.strip().isdigit():
            return None
        return int(size) == len(payload)


def parse_operlog(text: str) -> tuple[list[OplogEntry | TaggedEntry], list[LineReject]]:
    """Parse an OPERLOG or BIODATA body into entries (in body order) and per-line rejects."""
    entries: list[OplogEntry | TaggedEntry] = []
    rejects: list[LineReject] = []
    for line_no, line in numbered_lines(text):
        tag, _, rest = line.partition(" ")
        tag = tag.strip().upper()
        if not tag or not rest.strip():
            rejects.append(LineReject(line_no, line, "no tag or no fields"))
        elif tag == "OPLOG":
            entry = _parse_oplog(line_no, line, rest)
            (entries if isinstance(entry, OplogEntry) else rejects).append(entry)
        elif "=" not in rest:
            rejects.append(LineReject(line_no, line, "no Key=Value fields"))
        else:
            entries.append(TaggedEntry(line_no, tag, parse_key_values(split_fields(rest)), line))
    return entries, rejects


def _parse_oplog(line_no: int, line: str, rest: str) -> OplogEntry | LineReject:
    fields = [field.strip() for field in split_fields(rest)]
    if len(fields) < 3:
        return LineReject(line_no, line, "too few columns")
    try:
        op_code = int(fields[0])
    except ValueError:
        return LineReject(line_no, line, "bad operation code")
    try:
        local_time, _ = parse_attlog_time(fields[2])
    except (ValueError, OverflowError, OSError):
        return LineReject(line_no, line, "bad time")
    return OplogEntry(line_no, op_code, fields[1], local_time, tuple(fields[3:]), line)
