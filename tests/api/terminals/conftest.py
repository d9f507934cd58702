"""Face terminals against the live app: a device admin, registering devices, and a simulator for them."""
from __future__ import annotations

import pytest

from devices.simulator import SimulatedDevice


@pytest.fixture
def device_admin(api, demo_org):
    return api.login("device_admin")


@pytest.fixture
def register(device_admin):
    """Register a device through the admin API: `register(sn, **fields)` returns its JSON."""

    def _register(sn: str, **fields):
        reply = device_admin.post("/api/devices", json={"sn": sn, "name": fields.pop("name", sn), **fields})
        assert reply.status_code == 201, reply.text
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
