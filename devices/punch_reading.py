"""ATTLOG bodies turned into canonical device punches, ready for `record_punch`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from devices.attlog import AttlogRecord, parse_attlog
from devices.punch_meaning import VerifyMethod, punch_direction, verify_method
from devices.wire import LineReject


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
    """Parse a decoded ATTLOG body and resolve every punch; malformed lines come back as rejects."""
    records, rejects = parse_attlog(text)
    punches = [read_punch(r, tz=tz, state_map=state_map, verify_map=verify_map) for r in records]
    return punches, rejects
