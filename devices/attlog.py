"""Parsing of `table=ATTLOG` uploads: one punch per line, TAB-separated, and what each punch means
for one device configuration (`read_punches`).

Layout: PIN, time, state, verify, workcode, reserved, reserved[, mask flag, temperature, …].
Firmware varies from 2 to 16 columns, so only PIN and time are required.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from devices.punch_meaning import VerifyMethod, local_to_utc, punch_direction, verify_method, zone
from devices.wire import LineReject, numbered_lines, split_fields

ATTLOG_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_TIME_FORMATS = (ATTLOG_TIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
# Terminals know people by their employee code (at most 16 characters in the directory) or a short PIN.
MAX_PIN_CHARS = 32
_MASK_COLUMN = 7
_TEMPERATURE_COLUMN = 8


@dataclass(frozen=True)
class AttlogRecord:
    """One punch as the device sent it.

    Exactly one of `local_time` (naive device wall clock, the usual form) and `epoch_seconds`
    (some firmware) is set; use `wall_clock(tz)` / `instant(tz)` instead of reading them directly.
    """

    line_no: int
    pin: str
    local_time: datetime | None
    epoch_seconds: int | None
    state: int | None
    verify: int | None
    workcode: str
    extra: tuple[str, ...]
    raw: str

    def instant(self, tz: str | ZoneInfo) -> datetime:
        """The punch as an aware UTC datetime, reading the wall clock in the device zone `tz`."""
        if self.epoch_seconds is not None:
            return datetime.fromtimestamp(self.epoch_seconds, tz=timezone.utc)
        return local_to_utc(self.local_time, tz)

    def wall_clock(self, tz: str | ZoneInfo) -> datetime:
        """The punch as naive device-local wall time (the dedupe key `(sn, pin, local_time)`)."""
        if self.local_time is not None:
            return self.local_time
        return datetime.fromtimestamp(self.epoch_seconds, tz=zone(tz)).replace(tzinfo=None)

    @property
    def mask_flag(self) -> int | None:
        """Mask detected (1) or not (0) on thermal/face models that send column 7."""
        return _int_or_none(self._column(_MASK_COLUMN))

    @property
    def temperature(self) -> float | None:
        """Body temperature from column 8 on thermal models."""
        try:
            return float(self._column(_TEMPERATURE_COLUMN))
        except (TypeError, ValueError):
            return None

    def _column(self, index: int) -> str | None:
        position = index - 5  # `extra` starts at column 5
        return self.extra[position].strip() if 0 <= position < len(self.extra) else None


def parse_attlog_time(text: str) -> tuple[datetime | None, int | None]:
    """Parse an ATTLOG time column into (naive wall time, None) or (None, Unix epoch seconds)."""
    text = text.strip()
    if text.isdigit():
        seconds = int(text)
        datetime.fromtimestamp(seconds, tz=timezone.utc)  # raises on absurd values
        return None, seconds
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt), None
        except ValueError:
            continue
    raise ValueError(f"unrecognised time {text!r}")


def parse_attlog(text: str) -> tuple[list[AttlogRecord], list[LineReject]]:
    """Parse an ATTLOG body into punches and per-line rejects (blank lines are skipped)."""
    records: list[AttlogRecord] = []
    rejects: list[LineReject] = []
    for line_no, line in numbered_lines(text):
        result = _parse_line(line_no, line)
        (records if isinstance(result, AttlogRecord) else rejects).append(result)
    return records, rejects


def _parse_line(line_no: int, line: str) -> AttlogRecord | LineReject:
    fields = split_fields(line)
    if len(fields) < 2:
        return LineReject(line_no, line, "too few columns")
    pin = fields[0].strip()
    if not pin:
        return LineReject(line_no, line, "empty PIN")
    if not pin.isprintable() or "\ufffd" in pin or len(pin) > MAX_PIN_CHARS:
        return LineReject(line_no, line, "bad PIN")
    try:
        local_time, epoch = parse_attlog_time(fields[1])
    except (ValueError, OverflowError, OSError):
        return LineReject(line_no, line, "bad time")
    # A garbled state or verify column costs the punch its direction, not the punch itself.
    codes = [_int_or_none(fields[index].strip()) if index < len(fields) else None for index in (2, 3)]
    return AttlogRecord(
        line_no=line_no,
        pin=pin,
        local_time=local_time,
        epoch_seconds=epoch,
        state=codes[0],
        verify=codes[1],
        workcode=fields[4].strip() if len(fields) > 4 else "",
        extra=tuple(fields[5:]),
        raw=line,
    )


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def format_attlog_line(*, pin: str, local_time: datetime, state: int = 0, verify: int = 15,
                       workcode: str = "0", extra: tuple[str, ...] = ("0", "0")) -> str:
    """Render one punch the way a device writes it (no line break)."""
    columns = [pin, local_time.strftime(ATTLOG_TIME_FORMAT), str(state), str(verify), workcode, *extra]
    return "\t".join(columns)


@dataclass(frozen=True)
class DevicePunch:
    """One punch with its meaning resolved for a given device configuration."""

    pin: str
    local_time: datetime      # naive device wall clock; dedupe on (sn, pin, local_time)
    instant: datetime         # aware UTC
    state: int | None         # raw state code as sent
    direction: str | None     # from the device state map; None when unmapped
    method: VerifyMethod
    workcode: str
    line_no: int
    raw: str


def read_punch(record: AttlogRecord, *, tz: str | ZoneInfo, state_map: Mapping[str, str] | None = None,
               verify_map: Mapping[int, str] | None = None) -> DevicePunch:
    """Resolve one parsed ATTLOG record with the device's zone, state map and verify map."""
    return DevicePunch(
        pin=record.pin,
        local_time=record.wall_clock(tz),
        instant=record.instant(tz),
        state=record.state,
        direction=punch_direction(record.state, state_map),
        method=verify_method(record.verify, verify_map),
        workcode=record.workcode,
        line_no=record.line_no,
        raw=record.raw,
    )


def read_punches(text: str, *, tz: str | ZoneInfo, state_map: Mapping[str, str] | None = None,
                 verify_map: Mapping[int, str] | None = None) -> tuple[list[DevicePunch], list[LineReject]]:
    """Parse a decoded ATTLOG body and resolve every punch.

    Malformed lines come back as rejects, and so do times the zone cannot place (e.g. past year 9999 in UTC).
    """
    records, rejects = parse_attlog(text)
    punches = []
    for record in records:
        try:
            punches.append(read_punch(record, tz=tz, state_map=state_map, verify_map=verify_map))
        except (ValueError, OverflowError, OSError) as exc:
            rejects.append(LineReject(record.line_no, record.raw, f"bad time ({exc})"))
    return punches, rejects
