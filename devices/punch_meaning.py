"""What a ZKTeco punch means: its UTC instant, its direction and how the person was verified.

States and verify codes are user-definable on the device, so both maps are per-device settings;
the defaults below follow the common attendance firmware and the face terminals seen in the field.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_STATE_MAP: Mapping[str, str] = {"0": "in", "1": "out"}


@dataclass(frozen=True)
class VerifyMethod:
    """A verify code translated for storage (`name`) and for Thai users (`label_th`)."""

    code: int | None
    name: str
    label_th: str


METHOD_LABELS_TH: Mapping[str, str] = {
    "face": "ตรวจสอบใบหน้า",
    "fingerprint": "ตรวจสอบลายนิ้วมือ",
    "card": "บัตร",
    "password": "รหัสผ่าน",
    "pin": "รหัสประจำตัว (PIN)",
    "palm": "ตรวจสอบฝ่ามือ",
    "other": "อื่น ๆ",
}

# Face terminals use 4 for card although V3.2.0 lists it as PIN&FP; 15 face and 25 palm are observed.
DEFAULT_VERIFY_MAP: Mapping[int, str] = {
    0: "password",
    1: "fingerprint",
    2: "card",
    3: "pin",
    4: "card",
    15: "face",
    25: "palm",
}


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """Accept an IANA name or a ZoneInfo."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def local_to_utc(wall: datetime, tz: str | ZoneInfo) -> datetime:
    """Read naive device wall time in IANA zone `tz` and return the aware UTC instant.

    In a DST fold the earlier instant wins (fold=0): the device clock cannot tell them apart.
    """
    if wall.tzinfo is not None:
        return wall.astimezone(timezone.utc)
    return wall.replace(tzinfo=zone(tz)).astimezone(timezone.utc)


def utc_to_local(instant: datetime, tz: str | ZoneInfo) -> datetime:
    """Convert an aware instant to naive wall time in zone `tz` (what a device clock shows)."""
    return instant.astimezone(zone(tz)).replace(tzinfo=None)


def punch_direction(state: int | None, state_map: Mapping[str, str] | None = None) -> str | None:
    """Map an attendance state code to a direction ("in"/"out"/…); None when the map has no entry."""
    if state is None:
        return None
    mapping = DEFAULT_STATE_MAP if state_map is None else state_map
    return mapping.get(str(state))


def verify_method(code: int | None, verify_map: Mapping[int, str] | None = None) -> VerifyMethod:
    """Name a verify code (face, fingerprint, card, password, pin, palm; anything else "other")."""
    mapping = DEFAULT_VERIFY_MAP if verify_map is None else {int(k): v for k, v in verify_map.items()}
    name = mapping.get(code, "other") if code is not None else "other"
    return VerifyMethod(code=code, name=name, label_th=METHOD_LABELS_TH.get(name, METHOD_LABELS_TH["other"]))
