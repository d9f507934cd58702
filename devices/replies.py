"""Server → device reply bodies and headers for the handshake, clock and acknowledgements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from devices.punch_meaning import zone
from devices.wire import split_lines

OK_REPLY = "OK"
UNAUTHORIZED_REPLY = "Device Unauthorized"  # with HTTP 401; the device retries the handshake
TIMEZONE_FORMATS = ("minutes", "hours", "hhmm", "omit")

# The TransFlag a real SpeedFace-V5L accepted from ZKTeco's own server (TAB-separated tags).
DEFAULT_TRANS_FLAG = "\t".join([
    "TransData AttLog", "OpLog", "AttPhoto", "EnrollUser", "ChgUser", "EnrollFP", "ChgFP",
    "FPImag", "FACE", "UserPic", "WORKCODE", "BioPhoto",
])


@dataclass(frozen=True)
class HandshakeSettings:
    """Per-device handshake options; defaults follow the reply a real SpeedFace accepted."""

    timezone: str = "Asia/Bangkok"
    # The TimeZone option *sets the device clock*, and its unit differs by firmware.
    timezone_format: str = "minutes"
    delay: int = 10
    error_delay: int = 30
    realtime: int = 1
    trans_interval: int = 1
    trans_times: str = ""
    trans_flag: str = DEFAULT_TRANS_FLAG
    sync_time: int = 0
    timeout: int = 60
    server_ver: str = "2.2.14"
    push_prot_ver: str = "2.4.1"
    push_options_flag: int = 1
    server_name: str = "OPS-TA"

    def __post_init__(self):
        if self.timezone_format not in TIMEZONE_FORMATS:
            raise ValueError(f"timezone_format must be one of {TIMEZONE_FORMATS}")
        zone(self.timezone)


def timezone_option(tz: str | ZoneInfo, fmt: str, at: datetime | None = None) -> str | None:
    """The TimeZone option value for `tz` at instant `at`: minutes `420`, hours `7`/`5.5`, hhmm `+07:00`."""
    at = at or datetime.now(timezone.utc)
    offset = at.astimezone(zone(tz)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    if fmt == "minutes":
        return str(minutes)
    if fmt == "hours":
        hours = minutes / 60
        return str(int(hours)) if hours.is_integer() else f"{hours:g}"
    if fmt == "hhmm":
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if fmt == "omit":
        return None
    raise ValueError(f"unknown timezone format {fmt!r}")


def handshake_reply(*, sn: str, settings: HandshakeSettings, attlog_stamp: str = "0",
                    operlog_stamp: str = "0", attphoto_stamp: str = "0",
                    now: datetime | None = None) -> str:
    """Build the `GET OPTION FROM: <SN>` option block answering `GET /iclock/cdata?options=all`.

    Stamps are upload watermarks: echo the last Stamp the device posted for each table.
    """
    options = [
        ("Stamp", attlog_stamp),
        ("OpStamp", operlog_stamp),
        ("PhotoStamp", attphoto_stamp),
        ("TransFlag", settings.trans_flag),
        ("ErrorDelay", settings.error_delay),
        ("Delay", settings.delay),
        ("TimeZone", timezone_option(settings.timezone, settings.timezone_format, now)),
        ("TransTimes", settings.trans_times),
        ("TransInterval", settings.trans_interval),
        ("SyncTime", settings.sync_time),
        ("Realtime", settings.realtime),
        ("Encrypt", 0),
        ("Timeout", settings.timeout),
        ("ServerVer", settings.server_ver),
        ("PushProtVer", settings.push_prot_ver),
        ("PushOptionsFlag", settings.push_options_flag),
        ("ATTLOGStamp", attlog_stamp),
        ("OPERLOGStamp", operlog_stamp),
        ("ATTPHOTOStamp", attphoto_stamp),
        ("ServerName", settings.server_name),
    ]
    lines = [f"GET OPTION FROM: {sn}"]
    lines += [f"{key}={value}" for key, value in options if value is not None]
    return "\n".join(lines) + "\n"


def parse_handshake_reply(body: str) -> tuple[str, dict[str, str]]:
    """Read an option block back into (SN, options); the device side of `handshake_reply`."""
    lines = split_lines(body)
    if not lines or not lines[0].startswith("GET OPTION FROM:"):
        raise ValueError("not a handshake option block")
    sn = lines[0][len("GET OPTION FROM:"):].strip()
    options = {}
    for line in lines[1:]:
        key, sep, value = line.partition("=")
        if sep:
            options[key.strip()] = value
    return sn, options


def http_date(now: datetime | None = None) -> str:
    """RFC 1123 `Date` header value in true GMT (devices set their clock from it)."""
    now = now or datetime.now(timezone.utc)
    return format_datetime(now.astimezone(timezone.utc), usegmt=True)


def time_reply(*, tz: str | ZoneInfo, now: datetime | None = None) -> str:
    """Answer `GET /iclock/cdata?type=time`: `Time=2026-11-25T08:45:00+07:00` in the device zone."""
    now = now or datetime.now(timezone.utc)
    return "Time=" + now.astimezone(zone(tz)).replace(microsecond=0).isoformat()
