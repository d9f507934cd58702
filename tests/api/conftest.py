"""Fixtures shared by the API tests."""
import copy

import pytest

from geo import load_demo_site_geojson


@pytest.fixture
def moc_site(api, demo_org):
    """The demo MOC-OPS geofence, created by an admin through the API."""
    feature = copy.deepcopy(load_demo_site_geojson())
    reply = api.login("admin").post("/api/sites", json=feature)
    assert reply.status_code == 201, reply.text
    return reply.json()
