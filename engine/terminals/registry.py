"""The device registry: which serial numbers may talk to `/iclock/*`, from where, with their clock, codec and
state map.

Registering a terminal, moving it to a site and widening its allowed networks decide whose photos it
receives and who may post punches in its name, so they take `admin`; a `device_admin` runs terminals
(names, clocks, codecs, state maps, enrolment, resync, disabling, narrowing networks).
"""
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
from engine.config import Settings
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import Device, Site
from engine.terminals.attempts import count_refusal
from engine.terminals.networks import address_in, checked_networks, is_narrowing

SN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
DIRECTIONS = ("in", "out")
_EDITABLE = ("name", "site_id", "timezone", "timezone_format", "state_map", "codec", "enabled", "allowed_networks")


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
    if "allowed_networks" in values:
        checked["allowed_networks"] = checked_networks(values["allowed_networks"])
    return checked


class AdminRequired(Forbidden):
    """A change only an admin may make (it widens whose photos or punches a terminal handles)."""

    code = "admin_required"


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


def create_device(*, session: Session, sn: str, name: str, allowed_networks: list[str], site_id: int | None = None,
                  timezone: str = "Asia/Bangkok", timezone_format: str = "minutes",
                  state_map: dict | None = None, codec: str = "utf-8", enabled: bool = True) -> Device:
    """Register a terminal so its serial number is let in from its allowed networks (an admin's act); commits."""
    sn = (sn or "").strip()
    if not SN_PATTERN.match(sn):
        raise InvalidInput("sn must be 1 to 64 letters, digits, '.', '_' or '-'.", code="sn_invalid", field="sn")
    values = _checked(session, dict(name=name, site_id=site_id, timezone=timezone, timezone_format=timezone_format,
                                    state_map=state_map or dict(DEFAULT_STATE_MAP), codec=codec, enabled=enabled,
                                    allowed_networks=allowed_networks))
    device = Device(sn=sn, **values)
    session.add(device)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("A device with this serial number is already registered.", code="device_exists") from exc
    return device


def update_device(*, session: Session, device: Device, changes: dict, by_admin: bool = False) -> Device:
    """Change a device's editable fields; only an admin may move it to a site or widen its networks; commits."""
    checked = _checked(session, {k: v for k, v in changes.items() if k in _EDITABLE})
    if not by_admin:
        if "site_id" in checked and checked["site_id"] not in (None, device.site_id):
            raise AdminRequired("Only an admin may put a terminal at a site: it decides whose photos it gets.")
        if "allowed_networks" in checked and not is_narrowing(device.allowed_networks or [],
                                                              checked["allowed_networks"]):
            raise AdminRequired("Only an admin may widen the networks a terminal may call from.")
    for key, value in checked.items():
        setattr(device, key, value)
    session.commit()
    return device


def admitted_device(*, session: Session, settings: Settings, sn: str, remote_addr: str, path: str,
                    now: datetime) -> Device | None:
    """The enabled device `sn` calling from one of its allowed networks, marked as seen now; None otherwise,
    with the refusal counted for review; commits."""
    device = session.scalar(select(Device).where(Device.sn == sn)) if sn else None
    if device is None or not device.enabled or not address_in(remote_addr, device.allowed_networks or []):
        reason = "unregistered" if device is None else "disabled" if not device.enabled else "outside_networks"
        count_refusal(session=session, settings=settings, sn=sn, remote_addr=remote_addr, path=path, now=now,
                      reason=reason)
        return None
    device.last_seen_at = now
    device.last_seen_addr = remote_addr[:64]
    device.silence_alerted_at = None  # it speaks again: the next silence gets its own alert
    session.commit()
    return device
