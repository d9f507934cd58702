"""Static files: versioned URLs, a year of caching for a versioned URL, gzip for text, and gzipped pages.

`asset_url("css/app.css")` (a Jinja global) gives `/static/css/app.css?v=<digest of the file>`. A request
carrying the file's current digest is cached for a year (`immutable`): a changed file gets a new URL.
Any other request for it (an ES module's relative `import`, an old digest) must revalidate (`no-cache`
with an ETag), so nothing stale is ever used. Text files are gzipped once per process and version.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, request, url_for
from werkzeug.security import safe_join

from web.blueprint import bp

STATIC_DIR = Path(__file__).resolve().parent / "static"
YEAR_SECONDS = 365 * 24 * 3600
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
                "application/manifest+json", "text/html", "text/plain", "text/markdown"}
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".webmanifest": "application/manifest+json",
         ".md": "text/markdown", ".woff2": "font/woff2"}
# Below this size gzip saves less than its header and the CPU it costs.
MIN_COMPRESS_BYTES = 512


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    gzipped: bytes | None
    mimetype: str
    digest: str
    mtime: float


_files: dict[str, StaticFile] = {}
_lock = threading.Lock()


def _mimetype(path: Path) -> str:
    return TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def static_file(filename: str) -> StaticFile | None:
    """The file under web/static/ (None when missing or outside it), read and gzipped once per version."""
    joined = safe_join(str(STATIC_DIR), filename)
    if joined is None:
        return None
    path = Path(joined)
    try:
        mtime = path.stat().st_mtime
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not path.is_file():
        return None
    cached = _files.get(filename)
    if cached is not None and cached.mtime == mtime:
        return cached
    body = path.read_bytes()
    mimetype = _mimetype(path)
    gzipped = (gzip.compress(body, compresslevel=9, mtime=0)
               if mimetype in COMPRESSIBLE and len(body) >= MIN_COMPRESS_BYTES else None)
    loaded = StaticFile(body, gzipped, mimetype, hashlib.sha256(body).hexdigest()[:12], mtime)
    with _lock:
        _files[filename] = loaded
    return loaded


def asset_digest(filename: str) -> str:
    """The version of a static file (part of its URL); raises for a missing file so a typo fails loudly."""
    found = static_file(filename)
    if found is None:
        raise FileNotFoundError(f"web/static/{filename} does not exist")
    return found.digest


def asset_url(filename: str) -> str:
    """`/static/<filename>?v=<digest>`: the URL pages and the service worker use for a static file."""
    return url_for("web.static", filename=filename, v=asset_digest(filename))


def accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


@bp.route("/static/<path:filename>", endpoint="static")
def serve_static(filename: str):
    found = static_file(filename)
    if found is None:
        abort(404)
    use_gzip = found.gzipped is not None and accepts_gzip()
    response = Response(found.gzipped if use_gzip else found.body, mimetype=found.mimetype)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    if found.gzipped is not None:
        response.vary.add("Accept-Encoding")
    response.set_etag(found.digest + ("-gz" if use_gzip else ""))
    if request.args.get("v") == found.digest:
        response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def compress_page(response: Response) -> Response:
    """Gzip an HTML page (or fragment) for a client that accepts it."""
    if (response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers or response.status_code < 200 or not accepts_gzip()):
        return response
    body = response.get_data()
    response.vary.add("Accept-Encoding")
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    return response
