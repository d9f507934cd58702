"""Settings (ตั้งค่า) offers Web Push on this device only when the server has VAPID keys, with the key the
browser subscribes with; the service worker carries the push piece either way."""
from __future__ import annotations

import html
import json
import re

import pytest

from tests.support.http_browser import browser, csrf_token_of
from tests.support.live_server import serving
from tests.support.push_service import push_settings
from tests.support.settings import make_settings


@pytest.fixture(scope="module")
def push_app(database_url):
    with serving(make_settings(database_url, **push_settings())) as server:
        yield server


def _settings_page(base: str) -> str:
    client = browser()
    home = client.get(f"{base}/", timeout=30)
    client.post(f"{base}/authen/local", timeout=30, data={"username": "employee1", "password": "demo",
                                                         "csrf_token": csrf_token_of(home.text)})
    return client.get(f"{base}/settings", timeout=30).text


def test_without_vapid_keys_settings_has_no_push_switch(live_app, demo_org):
    page = _settings_page(live_app.url)
    assert "ตั้งค่า" in page and 'id="push-settings"' not in page


def test_with_vapid_keys_settings_offers_push_with_the_servers_key(push_app, demo_org):
    page = _settings_page(push_app.url)
    assert 'id="push-settings"' in page and "ส่งการแจ้งเตือนมาที่เครื่องนี้" in page
    config = json.loads(html.unescape(re.search(r'id="push-config">(.*?)</script>', page, re.S).group(1)))
    assert config["publicKey"] == push_app.app.extensions["opsta"].settings.push_vapid_public_key
    assert config["subscribe"] == "/api/me/push-subscriptions" and config["lang"] == "th"
    worker = browser().get(f"{push_app.url}/sw.js", timeout=30).text
    assert "sw/push.js" in worker
