"""What a punch's hash covers, and how each value is written down before it is hashed.

One canonical text per kind of column, used when a punch is chained and when it is checked, so the
hash never depends on what the caller passed or on how the database hands the value back:

- numbers (Float columns): any int, float or Decimal as the float the column stores, written with
  `repr` (the shortest text that reads back as the same float); -0.0 is 0.0;
- integers: `int`; booleans: `bool`;
- text: NFC-normalised (the same Thai word typed with its marks in another order hashes the same);
- instants (UTC columns): UTC ISO 8601 with microseconds; the naive device wall clock as written;
- flags: a list of texts; None (an empty column) is left out.

`normalise_punch` also turns the punch's own values into those canonical ones before it is stored,
so the row holds exactly what was hashed.

Hash formats, recorded per punch (`Punch.hash_format`):
1. the format before issue 10 (kept so punches stored then still verify): values as given, floats
   with `repr`, no NFC. Writers of that time sometimes passed an integer to a Float column (the demo's
   `accuracy_m`), which was hashed as a JSON integer; the check accepts that spelling of the same number.
2. the canonical format above; the format number itself is hashed, so it cannot be switched back.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import unicodedata
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterator

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text

from engine.db import UTCDateTime
from engine.models import Punch

LEGACY_HASH_FORMAT = 1
CANONICAL_HASH_FORMAT = 2

# The columns a punch's hash covers. Empty (None) values are left out of the hashed content,
# so a nullable column added later does not change the hash of rows written before it.
HASHED_FIELDS = (
    "employee_id", "direction", "source", "recorded_at", "client_time", "effective_at", "offline",
    "latitude", "longitude", "accuracy_m", "is_mock", "note", "address", "place_label",
    "location_kind", "site_id", "flags", "verification_required", "idempotency_key", "request_id",
    "device_id", "device_pin", "device_local_time", "verify_code", "verify_method",
)


def _kind(column) -> str:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "instant"
    if isinstance(kind, DateTime):
        return "wall_clock"
    if isinstance(kind, Float):
        return "number"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, (String, Text)):
        return "text"
    if isinstance(kind, JSON):
        return "texts"
    raise TypeError(f"no canonical form for column {column.key} ({kind!r})")


FIELD_KINDS = {name: _kind(Punch.__table__.c[name]) for name in HASHED_FIELDS}
NUMBER_FIELDS = tuple(name for name, kind in FIELD_KINDS.items() if kind == "number")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"a number is needed, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number + 0.0  # -0.0 + 0.0 == 0.0: one spelling of zero


def _instant(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a UTC column needs an aware datetime")
    return value.astimezone(timezone.utc)


def _wall_clock(value: datetime) -> datetime:
    if value.tzinfo is not None:
        # A device wall clock (device_local_time) is naive on purpose: never read through a zone.
        raise ValueError("a wall-clock column needs a naive datetime")
    return value


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value))


_NORMALISE = {
    "number": _number, "integer": int,
    "boolean": bool, "text": _text, "instant": _instant, "wall_clock": _wall_clock,
    "texts": lambda v: [_text(item) for item in v],
}


def normalise_punch(punch: Punch) -> None:
    """Turn the punch's hashed values into the canonical Python values the database hands back (in place)."""
    for name in HASHED_FIELDS:
        value = getattr(punch, name)
        if value is not None:
            setattr(punch, name, _NORMALISE[FIELD_KINDS[name]](value))


def _written(kind: str, value: Any) -> Any:
    value = _NORMALISE[kind](value)
    if kind == "number":
        return repr(value)
    if kind in ("instant", "wall_clock"):
        return value.isoformat(timespec="microseconds")
    return value


def _digest(content: dict, prev_hash: str) -> str:
    content["prev_hash"] = prev_hash
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def canonical_hash(punch, prev_hash: str) -> str:
    """SHA-256 of the punch in hash format 2 (the canonical encoding), chained after `prev_hash`."""
    content = {name: _written(FIELD_KINDS[name], value) for name in HASHED_FIELDS
               if (value := getattr(punch, name, None)) is not None}
    content["hash_format"] = CANONICAL_HASH_FORMAT
    return _digest(content, prev_hash)


def _legacy_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="microseconds")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, float):
        return repr(value)
    return value


def legacy_hashes(punch, prev_hash: str) -> Iterator[str]:
    """The hashes a punch stored in format 1 may carry: the exact old rule first, then the same numbers
    spelled as the integers some writers passed (at most 2^3 spellings: three number columns)."""
    content = {name: _legacy_value(value) for name in HASHED_FIELDS
               if (value := getattr(punch, name, None)) is not None}
    yield _digest(dict(content), prev_hash)
    integral = [name for name in NUMBER_FIELDS
                if isinstance(getattr(punch, name, None), float) and getattr(punch, name).is_integer()]
    for count in range(1, len(integral) + 1):
        for names in itertools.combinations(integral, count):
            yield _digest({**content, **{name: int(getattr(punch, name)) for name in names}}, prev_hash)


def punch_hash(punch, prev_hash: str) -> str:
    """The hash a new punch is stored with (the current, canonical format)."""
    return canonical_hash(punch, prev_hash)


def hash_matches(punch, prev_hash: str) -> bool:
    """Whether a stored punch's `content_hash` is its content chained after `prev_hash`, by its hash format."""
    if getattr(punch, "hash_format", CANONICAL_HASH_FORMAT) == LEGACY_HASH_FORMAT:
        return any(candidate == punch.content_hash for candidate in legacy_hashes(punch, prev_hash))
    return canonical_hash(punch, prev_hash) == punch.content_hash
