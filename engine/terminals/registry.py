"""The device registry: which serial numbers may talk to `/iclock/*`, with their clock, codec and state map."""
from __future__ import annotations

import codecs
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from devices.punch_meaning import DEFAULT_STATE_MAP
from devices.replies import TIMEZONE_FORMATS
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import Device, Site, UnauthorizedDeviceAttempt

SN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
DIRECTIONS = ("in", "out")
_EDITABLE = ("name", "site_id", "timezone", "timezone_format", "state_map", "codec", "enabled")


def list_devices(*, session: Session) -> list[Device]:
    """Every registered device, by serial number."""
    return list(session.scalars(select(Device).order_by(Device.sn)))


def get_device_or_404(*, session: Session, sn: str) -> Device:
    """The device with serial number `sn`, or raise not found."""
    device = session.scalar(select(Device).where(Device.sn == sn))
    if device is None:
        raise NotFound("No device has this serial number.", code="device_not_found")
    return device


def _checked(session: Session, values: dict) -> dict:
    """Validate the editable fields present in `values` and return them normalised."""
    checked = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name or len(name) > 100:
            raise InvalidInput("The device name must be 1 to 100 characters.", code="device_name_invalid")
        checked["name"] = name
    if "site_id" in values:
        site_id = values["site_id"]
        if site_id is not None and session.get(Site, site_id) is None:
            raise InvalidInput("No site has this id.", code="site_not_found", field="site_id")
        checked["site_id"] = site_id
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise InvalidInput("timezone must be an IANA zone name such as Asia/Bangkok.",
                               code="timezone_invalid", field="timezone") from exc
        checked["timezone"] = values["timezone"]
    if "timezone_format" in values:
        if values["timezone_format"] not in TIMEZONE_FORMATS:
            raise InvalidInput(f"timezone_format must be one of {', '.join(TIMEZONE_FORMATS)}.",
                               code="timezone_format_invalid", field="timezone_format")
        checked["timezone_format"] = values["timezone_format"]
    if "codec" in values:
        try:
            checked["codec"] = codecs.lookup(values["codec"]).name
        except (LookupError, TypeError) as exc:
            raise InvalidInput("codec must be a text encoding such as utf-8 or gb18030.",
                               code="codec_invalid", field="codec") from exc
    if "state_map" in values:
        checked["state_map"] = _checked_state_map(values["state_map"])
    if "enabled" in values:
        checked["enabled"] = bool(values["enabled"])
    return checked


def _checked_state_map(state_map) -> dict[str, str]:
    if not isinstance(state_map, dict) or not state_map:
        raise InvalidInput('state_map maps state codes to directions, e.g. {"0": "in", "1": "out"}.',
                           code="state_map_invalid", field="state_map")
    checked = {}
    for code, direction in state_map.items():
        if not str(code).strip().isdigit() or direction not in DIRECTIONS:
            raise InvalidInput(f'state_map entry {code!r}: {direction!r} must map a state number to "in" or "out".',
                               code="state_map_invalid", field="state_map")
        checked[str(int(str(code).strip()))] = direction
    return checked


def create_device(*, session: Session, sn: str, name: str, site_id: int | None = None,
                  timezone: str = "Asia/Bangkok", timezone_format: str = "minutes",
                  state_map: dict | None = None, codec: str = "utf-8", enabled: bool = True) -> Device:
    """Register a terminal so its serial number is let in; commits."""
    sn = (sn or "").strip()
    if not SN_PATTERN.match(sn):
        raise InvalidInput("sn must be 1 to 64 letters, digits, '.', '_' or '-'.", code="sn_invalid", field="sn")
    values = _checked(session, dict(name=name, site_id=site_id, timezone=timezone, timezone_format=timezone_format,
                                    state_map=state_map or dict(DEFAULT_STATE_MAP), codec=codec, enabled=enabled))
    device = Device(sn=sn, **values)
    session.add(device)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("A device with this serial number is already registered.", code="device_exists") from exc
    return device


def update_device(*, session: Session, device: Device, changes: dict) -> Device:
    """Change a device's editable fields (name, site, zone, TimeZone format, state map, codec, enabled); commits."""
    for key, value in _checked(session, {k: v for k, v in changes.items() if k in _EDITABLE}).items():
        setattr(device, key, value)
    session.commit()
    return device


def admitted_device(*, session: Session, sn: str, remote_addr: str, path: str, now: datetime) -> Device | None:
    """The enabled device `sn`, marked as seen now; None, with the attempt counted for review, otherwise; commits."""
    device = session.scalar(select(Device).where(Device.sn == sn)) if sn else None
    if device is None or not device.enabled:
        _count_refusal(session, sn=sn, remote_addr=remote_addr, path=path, now=now,
                       reason="unregistered" if device is None else "disabled")
        return None
    device.last_seen_at = now
    device.last_seen_addr = remote_addr[:64]
    device.silence_alerted_at = None  # it speaks again: the next silence gets its own alert
    session.commit()
    return device


def _count_refusal(session: Session, *, sn: str, remote_addr: str, path: str, now: datetime, reason: str) -> None:
    sn = sn[:64]
    for _ in range(2):  # a concurrent first attempt of the same SN may win the insert
        attempt = session.scalar(select(UnauthorizedDeviceAttempt).where(UnauthorizedDeviceAttempt.sn == sn))
        if attempt is None:
            session.add(UnauthorizedDeviceAttempt(sn=sn, remote_addr=remote_addr[:64], path=path[:255],
                                                  reason=reason, first_seen_at=now, last_seen_at=now, attempts=1))
        else:
            attempt.attempts += 1
            attempt.last_seen_at = now
            attempt.remote_addr = remote_addr[:64]
            attempt.path = path[:255]
            attempt.reason = reason
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()


def unauthorized_attempts(*, session: Session) -> list[tuple[UnauthorizedDeviceAttempt, bool]]:
    """Refused serial numbers, most recent first, each with whether it is registered now."""
    attempts = list(session.scalars(select(UnauthorizedDeviceAttempt)
                                    .order_by(UnauthorizedDeviceAttempt.last_seen_at.desc())))
    registered = set(session.scalars(select(Device.sn).where(Device.sn.in_([a.sn for a in attempts]))))
    return [(attempt, attempt.sn in registered) for attempt in attempts]
