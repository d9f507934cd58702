"""Static files and pages on the wire: versioned URLs cached for a year, others revalidated, text gzipped;
the manifest and the service worker as the browser reads them."""
from __future__ import annotations

import gzip
import io
import json
import re

import requests
from PIL import Image

from tests.support.http_browser import browser
from web.screens.pwa import SERVICE_WORKER_PARTS

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def _assets_of(page_html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+\?v=[0-9a-f]{12})"', page_html)


def test_a_versioned_static_url_is_cached_for_a_year_and_gzipped(live_app, clean_db):
    page = requests.get(f"{live_app.url}/", timeout=30)
    css = next(url for url in _assets_of(page.text) if "/css/app.css" in url)
    packed = requests.get(f"{live_app.url}{css}", headers=GZIP, stream=True, timeout=30)
    raw_bytes = packed.raw.read()
    plain = requests.get(f"{live_app.url}{css}", headers=IDENTITY, timeout=30)
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(raw_bytes) == plain.content and len(raw_bytes) < len(plain.content) / 2
    assert "Content-Encoding" not in plain.headers and plain.headers["Content-Type"].startswith("text/css")


def test_an_unversioned_or_old_url_must_revalidate(live_app, clean_db):
    for query in ("", "?v=000000000000"):
        reply = requests.get(f"{live_app.url}/static/js/menu.js{query}", timeout=30)
        assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-cache"
        assert reply.headers["Content-Type"].startswith("text/javascript")
        again = requests.get(f"{live_app.url}/static/js/menu.js{query}", timeout=30,
                             headers={"If-None-Match": reply.headers["ETag"], **IDENTITY})
        assert again.status_code == 304 or reply.headers["Content-Encoding"] == "gzip"


def test_every_asset_a_page_names_is_served(live_app, demo_org):
    page = requests.get(f"{live_app.url}/", timeout=30)
    assets = _assets_of(page.text)
    assert len(assets) >= 6
    for url in assets:
        assert requests.get(f"{live_app.url}{url}", timeout=30).status_code == 200, url
    assert requests.get(f"{live_app.url}/static/../engine/config.py", timeout=30).status_code == 404
    assert requests.get(f"{live_app.url}/static/js/nothing.js", timeout=30).status_code == 404


def test_pages_are_gzipped_for_browsers_that_accept_it(live_app, demo_org):
    reply = requests.get(f"{live_app.url}/", headers=GZIP, stream=True, timeout=30)
    body = reply.raw.read()
    assert reply.headers["Content-Encoding"] == "gzip"
    assert "ชื่อผู้ใช้".encode() in gzip.decompress(body)


def test_the_manifest_is_valid_and_its_icons_have_their_sizes(live_app, clean_db):
    reply = requests.get(f"{live_app.url}/manifest.webmanifest", timeout=30)
    assert reply.headers["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(reply.text)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["lang"] == "th" and "ระบบบันทึกเวลา" in manifest["name"] and manifest["short_name"] == "OPS-TA"
    sizes = {}
    for icon in manifest["icons"]:
        image = requests.get(f"{live_app.url}{icon['src']}", timeout=30)
        assert image.status_code == 200 and image.headers["Content-Type"].split(";")[0] == icon["type"]
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(image.content)).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.setdefault(icon["purpose"], set()).add(width)
    assert sizes == {"any": {192, 512}, "maskable": {512}}


def test_the_service_worker_loads_its_pieces_and_names_a_versioned_shell(live_app, clean_db):
    reply = requests.get(f"{live_app.url}/sw.js", timeout=30)
    assert reply.headers["Content-Type"].startswith("text/javascript") and reply.headers["Cache-Control"] == "no-cache"
    shared = json.loads(re.search(r"self\.OPSTA_SW = (\{.*\});", reply.text).group(1))
    assert shared["cache"].startswith("opsta-shell-") and shared["offlinePage"] == "/offline"
    parts = re.findall(r'"(/static/sw/[^"]+)"', reply.text)
    assert [p.split("?")[0] for p in parts] == [f"/static/{part}" for part in SERVICE_WORKER_PARTS]
    for url in [*parts, *shared["shell"]]:
        assert requests.get(f"{live_app.url}{url}", timeout=30).status_code == 200, url
    offline = browser().get(f"{live_app.url}/offline", timeout=30)
    assert "ไม่มีการเชื่อมต่ออินเทอร์เน็ต" in offline.text and "You are offline" in offline.text
