"""Map tiles are off by default; with OPSTA_MAP_TILE_URL the punch detail's map gets the tile layer and the
pages may load images from that tile server (and no other)."""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest

from api.security_headers import page_policy, tile_origin
from tests.support.http_browser import browser, csrf_token_of
from tests.support.live_server import serving
from tests.support.punch_details import seed_detailed_punches
from tests.support.settings import make_settings
from tests.support.web_month import last_month

TILES = "https://{s}.tiles.example.go.th/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def tiled_app(database_url):
    with serving(make_settings(database_url, map_tile_url=TILES, map_tile_attribution="© แผนที่ทดสอบ")) as server:
        yield server


def test_the_tile_servers_origin_joins_img_src_only_when_set():
    assert tile_origin("") is None
    assert tile_origin(TILES) == "https://*.tiles.example.go.th"
    assert "img-src 'self' data: blob:;" in page_policy(form_targets=[])
    assert "img-src 'self' data: blob: https://*.tiles.example.go.th;" in page_policy(
        form_targets=[], image_origins=[tile_origin(TILES)])


def test_with_a_tile_url_the_map_draws_tiles_and_the_page_allows_them(tiled_app, demo_org, session_factory):
    month = last_month()
    punches = seed_detailed_punches(session_factory, month.first_day + timedelta(days=(7 - month.first_day.weekday()) % 7))
    client = browser()
    home = client.get(f"{tiled_app.url}/", timeout=30)
    client.post(f"{tiled_app.url}/authen/local", timeout=30, data={"username": "employee1", "password": "demo",
                                                                   "csrf_token": csrf_token_of(home.text)})
    page = client.get(f"{tiled_app.url}/punches/{punches.gps_id}", timeout=30)
    data = json.loads(html.unescape(re.search(r'id="punch-map-data">(.*?)</script>', page.text, re.S).group(1)))
    assert data["tiles"] == {"url": TILES, "attribution": "© แผนที่ทดสอบ"}
    assert "img-src 'self' data: blob: https://*.tiles.example.go.th;" in page.headers["Content-Security-Policy"]
