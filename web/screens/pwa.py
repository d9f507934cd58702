"""The installable app: the web manifest, the service worker and the offline page.

The service worker at `/sw.js` (scope `/`) is small pieces under static/sw/, loaded with `importScripts`
in the order of `SERVICE_WORKER_PARTS`. Before them, `self.OPSTA_SW` holds what the pieces share: the
cache name (which changes whenever a precached file or a piece changes, so the browser installs the new
worker and the old cache is dropped), the app shell's URLs and the offline page. A new piece (the
offline punch outbox, push) is one more file and one more line here.
"""
from __future__ import annotations

import hashlib
import json

from flask import Response, render_template, url_for
from flask_babel import gettext as _

from web.assets import STATIC_DIR, asset_digest, asset_url
from web.blueprint import bp

# Precached at install, so the offline page draws with its styles and the next start is fast: these, and
# every ES module of ours under static/js/ (a module's relative imports must be there offline too).
APP_SHELL_FILES = ("css/app.css", "vendor/htmx.org/htmx.min.js", "vendor/idb/idb.js", "icons/icon.svg",
                   "icons/icon-192.png", "icons/favicon-32.png")


def app_shell() -> list[str]:
    modules = sorted(path.relative_to(STATIC_DIR).as_posix() for path in (STATIC_DIR / "js").glob("*.js"))
    return [*APP_SHELL_FILES, *modules]
SERVICE_WORKER_PARTS = ("sw/shell.js", "sw/offline_page.js", "sw/push.js", "sw/punch_outbox.js")
CACHE_PREFIX = "opsta-shell-"
ICON_SIZES = (("icons/icon-192.png", "192x192", "any"), ("icons/icon-512.png", "512x512", "any"),
              ("icons/maskable-512.png", "512x512", "maskable"))


def cache_name() -> str:
    """`opsta-shell-<digest>` of every precached file and piece (the offline page's template included)."""
    digests = [asset_digest(name) for name in (*app_shell(), *SERVICE_WORKER_PARTS)]
    source, _filename, _uptodate = bp.jinja_loader.get_source(None, "pwa/offline.html")
    digests.append(hashlib.sha256(source.encode()).hexdigest())
    return CACHE_PREFIX + hashlib.sha256("|".join(digests).encode()).hexdigest()[:12]


@bp.route("/manifest.webmanifest")
def manifest():
    body = {
        "id": "/",
        "name": "OPS-TA ระบบบันทึกเวลาปฏิบัติราชการ",
        "short_name": "OPS-TA",
        "description": "บันทึกเวลาเข้า-ออกงาน ปฏิทิน และคำขอ ของสำนักงานปลัดกระทรวงพาณิชย์",
        "lang": "th",
        "dir": "ltr",
        "start_url": url_for("web.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [{"src": asset_url(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for path, sizes, purpose in ICON_SIZES]
                 + [{"src": asset_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sw.js")
def service_worker():
    shared = {"cache": cache_name(), "cachePrefix": CACHE_PREFIX, "offlinePage": url_for("web.offline"),
              "shell": [url_for("web.offline"), *(asset_url(name) for name in app_shell())]}
    body = render_template("pwa/sw.js", shared=shared, parts=[asset_url(name) for name in SERVICE_WORKER_PARTS])
    response = Response(body, mimetype="text/javascript")
    # The browser checks for a new worker on every start; it must never get an old one from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """What the service worker shows when a page cannot be reached: in both languages (it is cached once)."""
    return render_template("pwa/offline.html", title=_("No connection"))
