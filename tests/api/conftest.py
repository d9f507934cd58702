"""Fixtures shared by the API tests."""
import copy
from contextlib import ExitStack

import pytest

from geo import load_demo_site_geojson
from tests.support.live_server import serving
from tests.support.settings import make_settings


@pytest.fixture
def moc_site(api, demo_org):
    """The demo MOC-OPS geofence, created by an admin through the API."""
    feature = copy.deepcopy(load_demo_site_geojson())
    reply = api.login("admin").post("/api/sites", json=feature)
    assert reply.status_code == 201, reply.text
    return reply.json()


@pytest.fixture
def sso_app(oidc_provider, database_url, demo_org):
    """Start the app against the loopback provider, registered there the way the README says:
    redirect URI, post-logout URI and back-channel logout URI. Extra settings override the defaults."""
    with ExitStack() as servers:
        def start(provider=None, **overrides):
            provider = provider or oidc_provider
            values = dict(local_login="auto", oidc_discovery_url=provider.discovery_url,
                          oidc_client_id=provider.client_id, oidc_client_secret=provider.client_secret,
                          oidc_audience=provider.audience)
            values.update(overrides)
            server = servers.enter_context(serving(make_settings(database_url, **values)))
            provider.add_redirect_uri(f"{server.url}/authen/callback")
            provider.add_post_logout_redirect_uri(f"{server.url}/")
            provider.set_backchannel_logout_uri(f"{server.url}/authen/backchannel-logout")
            return server

        yield start


@pytest.fixture
def sso_server(sso_app):
    """The app configured for the provider, with local sign-in left on 'auto' (so: off)."""
    return sso_app()
