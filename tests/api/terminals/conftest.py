"""Face terminals against the live app: a device admin, registering devices, and a simulator for them."""
from __future__ import annotations

import copy

import pytest

from devices.simulator import SimulatedDevice
from geo import load_demo_site_geojson
from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.settings import make_settings
from tests.support.terminals import put_on_terminal

LOOPBACK = ["127.0.0.0/8"]


@pytest.fixture
def device_admin(api, demo_org):
    return api.login("device_admin")


@pytest.fixture
def admin(api, demo_org):
    return api.login("admin")


@pytest.fixture
def office(admin, moc_site):
    """The MOC-OPS site with the whole demo office (unit OPS and the units below it) working there."""
    reply = admin.put(f"/api/sites/{moc_site['id']}/members", json={"unit_codes": ["OPS"]})
    assert reply.status_code == 200, reply.text
    return moc_site


@pytest.fixture
def other_site(admin):
    """A second site, a few kilometres away, with nobody at it yet."""
    feature = copy.deepcopy(load_demo_site_geojson())
    feature["properties"]["name"] = "DIT"
    feature["geometry"]["coordinates"] = [[[lon + 0.05, lat] for lon, lat in ring]
                                          for ring in feature["geometry"]["coordinates"]]
    reply = admin.post("/api/sites", json=feature)
    assert reply.status_code == 201, reply.text
    return reply.json()


@pytest.fixture
def register(admin, session_factory):
    """Register a device as an admin through the API, calling from loopback unless `allowed_networks` says
    otherwise: `register(sn, pins=[...], **fields)` returns its JSON; `pins` are put on it as enrolled."""

    def _register(sn: str, pins=(), **fields):
        body = {"sn": sn, "name": fields.pop("name", sn), "allowed_networks": LOOPBACK, **fields}
        reply = admin.post("/api/devices", json=body)
        assert reply.status_code == 201, reply.text
        if pins:
            with session_factory() as session:
                put_on_terminal(session, sn, *pins)
        return reply.json()

    return _register


@pytest.fixture
def simulator(live_app):
    """`simulator(sn, tz=...)`: a simulated terminal talking to the live app over HTTP."""
    made = []

    def _make(sn: str, **kwargs) -> SimulatedDevice:
        device = SimulatedDevice(base_url=live_app.url, sn=sn, **kwargs)
        made.append(device)
        return device

    yield _make
    for device in made:
        device.http.close()


@pytest.fixture
def app_with(database_url, demo_org):
    """`app_with(**settings)`: the app on another port with other settings, and an admin client for it."""
    contexts = []

    def start(**overrides):
        context = serving(make_settings(database_url, **overrides))
        server = context.__enter__()
        contexts.append(context)
        return server, ApiClient(server.url).login("admin")

    yield start
    for context in contexts:
        context.__exit__(None, None, None)
