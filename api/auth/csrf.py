"""CSRF protection for every state-changing request that a cookie authenticates.

A signed-in browser's token is its session's secret (server side); before sign-in, the browser
forms use a token kept in the signed state cookie, so the sign-in form cannot be posted from
another site either. The token travels as the form field `csrf_token` or the `X-CSRF-Token`
header (fetch, htmx). Requests with an `Authorization` header do not use the cookie and are not
checked; nor are views marked `csrf_exempt` (the provider's back-channel logout, which carries
its own signed token).
"""
from __future__ import annotations

import hmac
import secrets
from typing import Callable

from flask import Flask, render_template, request, session

from api.auth.web_session import SESSION_COOKIE, current_web_session
from engine.errors import Forbidden

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_STATE_KEY = "csrf"
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    title = "CSRF check failed"


def csrf_exempt(view: Callable) -> Callable:
    """Mark a view whose writes are not authenticated by a cookie."""
    view.csrf_exempt = True
    return view


def csrf_token() -> str:
    """The token for this browser's forms and fetches (a Jinja global of the same name)."""
    record = current_web_session()
    if record is not None:
        return record.csrf_secret
    if _STATE_KEY not in session:
        session[_STATE_KEY] = secrets.token_urlsafe(32)
    return session[_STATE_KEY]


def _expected_token() -> str | None:
    """The token this request must carry, or None when it is not cookie-authenticated."""
    if request.headers.get("Authorization"):
        return None
    if request.cookies.get(SESSION_COOKIE):
        record = current_web_session()
        if record is not None:
            return record.csrf_secret
    # Browser forms of the `web` blueprint (sign-in, sign-out) are checked even without a session.
    if request.blueprint == "web":
        return session.get(_STATE_KEY, "")
    return None


def _sent_token() -> str:
    sent = request.headers.get(HEADER)
    if sent is None and request.mimetype in _FORM_TYPES:
        sent = request.form.get(FORM_FIELD)
    return sent or ""


def _refusal():
    detail = "The request did not carry this page's CSRF token. Reload the page and try again."
    if request.mimetype in _FORM_TYPES and not request.headers.get(HEADER):
        # A plain form post: the person gets a page, in the page's languages, not JSON.
        return render_template("message.html", title="ส่งแบบฟอร์มไม่สำเร็จ / The form could not be sent",
                               message="หน้านี้หมดอายุหรือถูกส่งมาจากเว็บไซต์อื่น กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง / "
                                       "This page has expired or the form came from another site. "
                                       "Reload the page and try again."), 403
    raise CsrfFailed(detail)


def protect_from_csrf(app: Flask) -> None:
    """Check every unsafe request of `app` before its view runs."""

    @app.before_request
    def check_csrf():
        if request.method in SAFE_METHODS:
            return None
        view = app.view_functions.get(request.endpoint)
        if view is None or getattr(view, "csrf_exempt", False):
            return None
        expected = _expected_token()
        if expected is None:
            return None
        if not expected or not hmac.compare_digest(_sent_token().encode(), expected.encode()):
            return _refusal()
        return None

    app.jinja_env.globals["csrf_token"] = csrf_token
