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


@pytest.fixture
def sso_app(oidc_provider, database_url, demo_org):
    """Start the app against the loopback provider, registered there the way the README says:
    redirect URI, post-logout URI and back-channel logout URI. Extra settings override the defaults."""
    from api.app import create_app
    from tests.conftest import make_settings
    from tests.support.live_server import LiveServer

    started = []

    def start(provider=None, **overrides):
        provider = provider or oidc_provider

        def build(url):
            provider.add_redirect_uri(f"{url}/authen/callback")
            provider.add_post_logout_redirect_uri(f"{url}/")
            provider.set_backchannel_logout_uri(f"{url}/authen/backchannel-logout")
            values = dict(public_url=url, local_login="auto", oidc_discovery_url=provider.discovery_url,
                          oidc_client_id=provider.client_id, oidc_client_secret=provider.client_secret,
                          oidc_audience=provider.audience)
            values.update(overrides)
            return create_app(make_settings(database_url, **values))

        server = LiveServer(build).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def sso_server(sso_app):
    """The app configured for the provider, with local sign-in left on 'auto' (so: off)."""
    return sso_app()
