"""What a device says about itself: the `table=options` upload and the getrequest `INFO=` field."""
from __future__ import annotations

import re
from dataclasses import dataclass

_OPTION_KEY = re.compile(r"^~?[A-Za-z][A-Za-z0-9_]*$")

# BioType indexes of the MultiBioDataSupport / MultiBioPhotoSupport bitmaps (ZKTeco demo enum).
BIO_TYPES = {
    0: "general", 1: "fingerprint", 2: "face_nir", 3: "voiceprint", 4: "iris", 5: "retina",
    6: "palm_print", 7: "finger_vein", 8: "palm", 9: "face",
}


def parse_options(body: str) -> dict[str, str]:
    """Parse a `table=options` body (`k=v,k=v`, keys without their leading `~`).

    A piece without a `Key=` prefix continues the previous value, which keeps
    `OEMVendor=ZKTeco Co., Ltd.` whole.
    """
    options: dict[str, str] = {}
    last_key: str | None = None
    for piece in re.split(r",|\r?\n", body):
        key, sep, value = piece.partition("=")
        if sep and _OPTION_KEY.match(key.strip()):
            last_key = key.strip().lstrip("~")
            options[last_key] = value
        elif last_key is not None:
            options[last_key] += "," + piece
    return {key: value.strip() for key, value in options.items()}


def parse_bio_support(bitmap: str | None) -> frozenset[int]:
    """BioTypes flagged 1 in a `0:1:0:…` support bitmap (10 or 11 entries)."""
    if not bitmap:
        return frozenset()
    return frozenset(i for i, flag in enumerate(bitmap.split(":")) if flag.strip() == "1")


@dataclass(frozen=True)
class DeviceInfo:
    """The first getrequest's `INFO=` field.

    Documented order: firmware, users, fingerprints, punches, IP, FP version, face version,
    face templates, support bits. Ten-field firmware inserts the palm version before the face count.
    """

    firmware: str
    user_count: int | None
    fingerprint_count: int | None
    attlog_count: int | None
    ip: str
    fingerprint_version: str
    face_version: str
    palm_version: str
    face_count: int | None
    support_bits: str
    raw: str


def parse_info(info: str) -> DeviceInfo:
    """Parse an `INFO=` value (with or without the `INFO=` prefix); missing fields stay empty."""
    raw = info[5:] if info[:5].upper() == "INFO=" else info
    fields = [field.strip() for field in raw.split(",")]
    palm_version = ""
    if len(fields) >= 10:
        palm_version = fields.pop(7)
    fields += [""] * (9 - len(fields))
    return DeviceInfo(
        firmware=fields[0],
        user_count=_count(fields[1]),
        fingerprint_count=_count(fields[2]),
        attlog_count=_count(fields[3]),
        ip=fields[4],
        fingerprint_version=fields[5],
        face_version=fields[6],
        palm_version=palm_version,
        face_count=_count(fields[7]),
        support_bits=fields[8],
        raw=raw,
    )


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else None
