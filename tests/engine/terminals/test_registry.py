"""The device registry: what a registration must hold, and who is let in to /iclock."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.models import Site, UnauthorizedDeviceAttempt
from geo import load_demo_site_geojson
from engine.terminals.registry import admitted_device, create_device, update_device

NOW = datetime(2026, 9, 1, 3, 0, tzinfo=timezone.utc)
LAN = ["10.0.0.0/24"]


def test_a_new_device_gets_the_default_state_map_and_a_canonical_codec(db_session):
    device = create_device(session=db_session, allowed_networks=LAN, sn="REG001", name=" Gate ", codec="GB18030")
    assert (device.name, device.state_map, device.codec, device.enabled) == ("Gate", {"0": "in", "1": "out"},
                                                                          "gb18030", True)


@pytest.mark.parametrize("fields, code", [
    ({"sn": "bad sn"}, "sn_invalid"),
    ({"timezone": "Mars/Olympus"}, "timezone_invalid"),
    ({"timezone_format": "seconds"}, "timezone_format_invalid"),
    ({"codec": "no-such-codec"}, "codec_invalid"),
    ({"state_map": {"0": "sideways"}}, "state_map_invalid"),
    ({"site_id": 999}, "site_not_found"),
    ({"name": ""}, "device_name_invalid"),
    ({"allowed_networks": ["10.0.0.300/24"]}, "networks_invalid"),
    ({"allowed_networks": "10.0.0.0/24"}, "networks_invalid"),
    ({"allowed_networks": ["10.0.0.0/7"]}, "network_too_wide"),
    ({"allowed_networks": ["::/16"]}, "network_too_wide"),
])
def test_a_bad_field_is_refused_with_its_code(db_session, fields, code):
    with pytest.raises(InvalidInput) as refused:
        create_device(session=db_session, **{"sn": "REG002", "name": "Gate", "allowed_networks": LAN, **fields})
    assert refused.value.code == code


def test_a_serial_number_is_registered_once(db_session):
    create_device(session=db_session, allowed_networks=LAN, sn="REG003", name="Gate")
    with pytest.raises(Conflict) as refused:
        create_device(session=db_session, allowed_networks=LAN, sn="REG003", name="Other")
    assert refused.value.code == "device_exists"


def test_only_enabled_registered_devices_on_their_networks_are_admitted_and_refusals_are_counted(db_session,
                                                                                                settings):
    device = create_device(session=db_session, allowed_networks=LAN, sn="REG004", name="Gate")
    device.silence_alerted_at = NOW - timedelta(hours=1)
    db_session.commit()

    assert admitted_device(session=db_session, settings=settings, sn="REG004", remote_addr="10.0.0.7",
                           path="/iclock/cdata", now=NOW) is device
    assert (device.last_seen_at, device.last_seen_addr, device.silence_alerted_at) == (NOW, "10.0.0.7", None)

    for _ in range(2):
        assert admitted_device(session=db_session, settings=settings, sn="STRANGER", remote_addr="10.0.0.8",
                               path="/iclock/ping", now=NOW) is None
    assert admitted_device(session=db_session, settings=settings, sn="REG004", remote_addr="10.0.1.7",
                           path="/iclock/getrequest", now=NOW) is None
    update_device(session=db_session, device=device, changes={"enabled": False})
    assert admitted_device(session=db_session, settings=settings, sn="REG004", remote_addr="10.0.0.7",
                           path="/iclock/cdata", now=NOW) is None

    attempts = {(a.sn, a.remote_addr): (a.attempts, a.reason)
                for a in db_session.scalars(select(UnauthorizedDeviceAttempt))}
    assert attempts == {("STRANGER", "10.0.0.8"): (2, "unregistered"),
                        ("REG004", "10.0.1.7"): (1, "outside_networks"), ("REG004", "10.0.0.7"): (1, "disabled")}


def test_moving_a_terminal_to_a_site_or_widening_its_networks_takes_an_admin(db_session):
    site = Site(name="Gate site", geometry=load_demo_site_geojson()["geometry"])
    db_session.add(site)
    db_session.commit()
    device = create_device(session=db_session, allowed_networks=["10.0.0.0/24", "10.9.0.7"], sn="REG005",
                           name="Gate")
    for changes in ({"site_id": site.id}, {"allowed_networks": ["10.0.0.0/23"]},
                    {"allowed_networks": ["10.0.0.0/24", "10.9.0.8"]}):
        with pytest.raises(Forbidden) as refused:
            update_device(session=db_session, device=device, changes=changes)
        assert refused.value.code == "admin_required"
    narrowed = update_device(session=db_session, device=device, changes={"allowed_networks": ["10.0.0.128/25"]})
    assert narrowed.allowed_networks == ["10.0.0.128/25"]
    moved = update_device(session=db_session, device=device, changes={"site_id": site.id}, by_admin=True)
    assert moved.site_id == site.id
    assert update_device(session=db_session, device=device, changes={"site_id": None}).site_id is None
