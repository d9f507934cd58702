"""Security headers: a strict Content-Security-Policy on HTML pages, and the usual hardening headers.

The pages load scripts and styles from our own origin only (no inline script). The Swagger UI at
/api/docs gets a policy of its own: its React code sets inline style attributes and draws icons
from data: URLs. Forms may post to our origin and, for sign-out, be redirected to the provider's
end-session endpoint, so that origin is allowed as a form action too. The modeler pages (bpmn-js,
dmn-js) set inline style attributes on the elements they draw, so a view that opens them calls
`allow_style_attributes()`: that page alone gets `style-src-attr 'unsafe-inline'` (attributes only;
style elements stay 'self', and the DMN editor is configured so that CodeMirror injects none).
"""
from __future__ import annotations

from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from engine.config import Settings

HSTS = "max-age=31536000; includeSubDomains"


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def tile_origin(tile_url: str) -> str | None:
    """The origin of the map's tile server (`{s}` sub-domains as `*`), which pages may load images from."""
    return _origin(tile_url.replace("{s}", "*")) if tile_url else None


def allow_style_attributes() -> None:
    """Let this page's drawing libraries set inline style attributes (the modeler pages only)."""
    g.csp_style_attributes = True


def page_policy(*, form_targets: list[str], image_origins: list[str] = (), style_attributes: bool = False) -> str:
    """The CSP of our own pages."""
    form_action = " ".join(["'self'", *form_targets])
    images = " ".join(["'self'", "data:", "blob:", *image_origins])
    styles = "style-src 'self'; style-src-attr 'unsafe-inline'" if style_attributes else "style-src 'self'"
    return (f"default-src 'self'; script-src 'self'; {styles}; "
            f"img-src {images}; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            f"form-action {form_action}; frame-ancestors 'none'")


DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def add_security_headers(app: Flask, settings: Settings, provider_end_session: Callable[[], str | None]) -> None:
    """Set the headers on every response of `app`; `provider_end_session()` gives the end-session URL or None."""
    hsts = not settings.embedded and settings.secure_cookies
    tiles = tile_origin(settings.map_tile_url)

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if hsts:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if response.mimetype == "text/html":
            if request.path.startswith("/api/docs"):
                policy = DOCS_POLICY
            else:
                target = _origin(provider_end_session())
                policy = page_policy(form_targets=[target] if target else [], image_origins=[tiles] if tiles else [],
                                     style_attributes=g.get("csp_style_attributes", False))
            headers.setdefault("Content-Security-Policy", policy)
            headers.setdefault("Referrer-Policy", "same-origin")
            headers.setdefault("X-Frame-Options", "DENY")
        return response
