"""The browser's session cookie: it holds only a random session id; everything else is server side.

Flask's own signed-cookie session (`flask.session`, cookie `opsta_state`) is kept for what a
browser needs before it is signed in: the OIDC flow's state, nonce and PKCE verifier, the `next`
page, and the CSRF token of the sign-in form. It never holds who is signed in, or any token.
"""
from __future__ import annotations

from flask import Response, g, request

from api.context import db, opsta
from engine.accounts.web_sessions import admitted_web_session, end_web_session, start_web_session
from engine.models import Employee, WebSession

SESSION_COOKIE = "opsta_session"
STATE_COOKIE = "opsta_state"


def cookie_options() -> dict:
    """HttpOnly, SameSite=Lax, and Secure outside the embedded mode (OPSTA_COOKIE_SECURE)."""
    return {"httponly": True, "samesite": "Lax", "secure": opsta().settings.secure_cookies, "path": "/"}


def client_address() -> str:
    """The client's address (after OPSTA_TRUSTED_PROXY_COUNT proxies, see api/app.py)."""
    return request.remote_addr or ""


def current_web_session() -> WebSession | None:
    """The live session behind the request's cookie, once per request; None without one."""
    if "web_session" not in g:
        raw_id = request.cookies.get(SESSION_COOKIE)
        g.web_session = (admitted_web_session(session=db(), settings=opsta().settings, raw_id=raw_id)
                         if raw_id else None)
    return g.web_session


def sign_in_browser(response: Response, *, employee: Employee, method: str, provider_sub: str | None = None,
                    provider_sid: str | None = None, id_token: str | None = None) -> WebSession:
    """Start a session with a fresh id (ending the one the browser had) and set its cookie."""
    raw_id, record = start_web_session(session=db(), settings=opsta().settings, employee=employee, method=method,
                                       provider_sub=provider_sub, provider_sid=provider_sid, id_token=id_token,
                                       user_agent=request.user_agent.string or "", remote_addr=client_address(),
                                       replacing=current_web_session())
    g.web_session = record
    settings = opsta().settings
    response.set_cookie(SESSION_COOKIE, raw_id, max_age=settings.session_max_hours * 3600, **cookie_options())
    return record


def sign_out_browser(response: Response) -> WebSession | None:
    """End the request's session, if any, and drop its cookie. Returns the ended session."""
    record = current_web_session()
    if record is not None:
        end_web_session(session=db(), record=record, reason="signed_out")
    g.web_session = None
    options = cookie_options()
    response.delete_cookie(SESSION_COOKIE, path=options["path"], secure=options["secure"],
                           httponly=True, samesite="Lax")
    return record
