"""What protects every browser request, whoever serves the page: the sign-in state cookie's flags,
the OIDC client, CSRF checks and the security headers."""
from __future__ import annotations

from flask import Flask

from api.auth.csrf import protect_from_csrf
from api.auth.oidc_login import end_session_endpoint, register_oidc_client
from api.auth.web_session import STATE_COOKIE
from api.security_headers import add_security_headers


def protect_browsers(app: Flask) -> None:
    """Cookie flags of the signed state cookie, the OIDC client (when configured), CSRF and headers."""
    context = app.extensions["opsta"]
    settings = context.settings
    app.config.update(SESSION_COOKIE_NAME=STATE_COOKIE, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.secure_cookies)
    if settings.oidc_enabled:
        context.oidc_client = register_oidc_client(app, settings)
    protect_from_csrf(app)
    add_security_headers(app, settings, end_session_endpoint(context))
