"""Fixtures for the punch screen's browser tests: the demo site, and employee1 with a profile photo.

Imported by the test modules that use them (with the face thread fixture of tests/support/selfies.py).
"""
from __future__ import annotations

import pytest

from tests.support.photos import photo_bytes
from tests.support.selfies import set_profile_photo


@pytest.fixture
def moc_ops_site(live_app, session_factory, demo_org):
    """The demo's MOC-OPS geofence (the demo organisation alone has no site), in the app's index now."""
    from engine.sites.service import create_site
    from geo import load_demo_site_geojson

    feature = load_demo_site_geojson()
    with session_factory() as session:
        site = create_site(session=session, name=feature["properties"]["name"], geometry=feature["geometry"],
                           tolerance_m=feature["properties"].get("tolerance_m"))
        name = site.name
    live_app.app.extensions["opsta"].geofence.sites.invalidate()
    return name


@pytest.fixture
def employee1_with_photo(api, demo_org, moc_ops_site):
    """employee1 with obama.jpg as the accepted profile photo (the camera shows obama2.jpg or biden.jpg)."""
    client = api.login("employee1")
    reply = set_profile_photo(client, photo_bytes("obama.jpg"))
    assert reply.status_code == 200, reply.text
    return client
