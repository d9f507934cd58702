"""Sign-in (`/`), the OIDC round trip (`/authen/login` → `/authen/callback`), local sign-in and sign-out.

`/` is the sign-in page for a browser without a session, and the dashboard (the calendar) for a
signed-in one. The callback first answers a real browser's navigation with a page asking the person
not to leave it, which goes straight on to the same URL with `finish=1`: the browser keeps showing
that page while the server exchanges the code, which can take a few seconds at a busy provider.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from flask import make_response, redirect, render_template, request, session, url_for

from api.auth.device_cookie import remember_device, trusted_device_for
from api.auth.oidc_login import SignInFailed, authorization_redirect, end_session_endpoint, identity_from_callback
from api.auth.redirects import local_path
from api.auth.web_session import client_address, sign_in_browser, sign_out_browser
from api.context import db, opsta
from engine.accounts.identity import employee_for_claims
from engine.accounts.service import authenticate_local
from engine.errors import DomainError
from flask_babel import gettext as _
from web.blueprint import bp
from web.pages import current_viewer
from web.problems import problem_of
from web.screens.calendar import dashboard

log = logging.getLogger(__name__)

_NEXT = "next_page"


def _sign_in_page(*, problem=None, status: int = 200):
    settings = opsta().settings
    response = make_response(render_template(
        "sign_in/page.html", oidc=settings.oidc_enabled, local=settings.local_login_enabled,
        sso_label=settings.sso_button_label, next_page=local_path(request.values.get("next"), default=""),
        problem=problem), status)
    if problem is not None and problem.retry_after:
        response.headers["Retry-After"] = problem.retry_after
    return response


def _message(title: str, message: str, status: int):
    return render_template("message.html", title=title, message=message), status


@bp.route("/")
def home():
    viewer = current_viewer()
    if viewer is not None:
        return dashboard(viewer)
    return _sign_in_page()


@bp.route("/authen/login")
def login():
    client = opsta().oidc_client
    if client is None:
        return _message(_("Single sign-on is not configured"),
                        "ระบบยังไม่ได้ตั้งค่าการเข้าสู่ระบบด้วย SSO / Single sign-on is not configured.", 404)
    session[_NEXT] = local_path(request.args.get("next"))
    redirect_uri = opsta().settings.public_url.rstrip("/") + url_for("web.callback")
    try:
        return authorization_redirect(client, settings=opsta().settings, redirect_uri=redirect_uri)
    except requests.RequestException as exc:
        log.warning("the OpenID provider is unreachable: %s", exc)
        return _message(_("Single sign-on is unavailable"), "ระบบ SSO ขององค์กรไม่ตอบสนอง กรุณาลองใหม่ภายหลัง / The "
                        "organisation's single sign-on does not answer. Please try again later.", 503)


def _browser_navigation() -> bool:
    """A browser opening a page (it can show one), not a script following redirects."""
    return request.headers.get("Sec-Fetch-Mode") == "navigate" and request.headers.get("Sec-Fetch-Dest") == "document"


@bp.route("/authen/callback")
def callback():
    client = opsta().oidc_client
    if client is None:
        return redirect(url_for("web.home"))
    if request.args.get("error"):
        return _message(_("Sign-in was not completed"),
                        f"{request.args.get('error')}: {request.args.get('error_description', '')}", 400)
    if _browser_navigation() and request.args.get("finish") != "1":
        return render_template("sign_in/callback_wait.html",
                               finish_url=url_for("web.callback", **request.args.to_dict(), finish="1"))
    settings = opsta().settings
    try:
        identity = identity_from_callback(client, settings=settings)
    except SignInFailed as exc:
        log.warning("OIDC sign-in failed: %s", exc)
        return _message(_("Sign-in failed"), f"เข้าสู่ระบบไม่สำเร็จ กรุณาลองใหม่ / Sign-in failed: the sign-in could not "
                                             f"be verified ({exc}). Please try again.", 400)
    employee = employee_for_claims(session=db(), claims=identity.claims, code_claim=settings.oidc_employee_code_claim,
                                   trust_email=settings.oidc_trust_email)
    if employee is None:
        log.info("OIDC sign-in of sub %r matched nobody in the directory", identity.sub)
        return render_template("sign_in/unknown_user.html", email=identity.claims.get("email"),
                               code=identity.claims.get(settings.oidc_employee_code_claim)), 403
    response = redirect(local_path(session.get(_NEXT)))
    session.clear()  # the flow's state is spent; the signed-in session lives server side
    sign_in_browser(response, employee=employee, method="oidc", provider_sub=identity.sub,
                    provider_sid=identity.sid, id_token=identity.id_token)
    return response


@bp.route("/authen/local", methods=["POST"])
def local_login():
    settings = opsta().settings
    if not settings.local_login_enabled:
        return _message(_("Local sign-in is off"), _("Sign in through the organisation's single sign-on."), 403)
    username = request.form.get("username", "")
    try:
        signed_in = authenticate_local(session=db(), settings=settings, username=username,
                                       password=request.form.get("password", ""), remote_addr=client_address(),
                                       trusted_device=trusted_device_for(username))
    except DomainError as exc:
        return _sign_in_page(problem=problem_of(exc), status=exc.status)
    response = redirect(local_path(request.form.get("next")))
    session.clear()
    sign_in_browser(response, employee=signed_in.employee, method="local")
    remember_device(response, username=username, device_id=signed_in.device_id)
    return response


@bp.route("/authen/logout", methods=["GET"])
def logout_page():
    """A link cannot sign anyone out (that would be a cross-site request); this page's button can."""
    return render_template("sign_in/logout.html")


@bp.route("/authen/logout", methods=["POST"])
def logout():
    """End our session, then the provider's where there is one (RP-initiated logout)."""
    response = redirect(url_for("web.home"))
    ended = sign_out_browser(response)
    end_session = end_session_endpoint(opsta())()
    if end_session:
        settings = opsta().settings
        query = {"post_logout_redirect_uri": settings.public_url.rstrip("/") + "/", "client_id": settings.oidc_client_id}
        if ended is not None and ended.id_token:
            query["id_token_hint"] = ended.id_token
        response.headers["Location"] = f"{end_session}?{urlencode(query)}"
    session.clear()
    return response
