"""Browser sign-in and sign-out: OIDC (code flow with PKCE), local sign-in, RP-initiated and back-channel logout."""
from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests

from flask import (Blueprint, Flask, jsonify, make_response, redirect, render_template, request,
                   send_from_directory, session, url_for)

from api.auth.backchannel_logout import InvalidLogoutToken, logout_subject
from api.auth.csrf import csrf_exempt, protect_from_csrf
from api.auth.device_cookie import remember_device, trusted_device_for
from api.auth.oidc_login import SignInFailed, authorization_redirect, identity_from_callback, register_oidc_client
from api.auth.redirects import local_path
from api.auth.web_session import STATE_COOKIE, client_address, current_web_session, sign_in_browser, sign_out_browser
from api.context import db, opsta
from api.security_headers import add_security_headers
from engine.accounts.identity import employee_for_claims
from engine.accounts.service import authenticate_local
from engine.accounts.web_sessions import end_provider_sessions
from engine.errors import DomainError

log = logging.getLogger(__name__)

web = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")
_NEXT = "next_page"


def _home(**context):
    settings = opsta().settings
    record = current_web_session()
    return render_template("home.html", employee=record.employee if record else None, oidc=settings.oidc_enabled,
                           local=settings.local_login_enabled, next_page=request.values.get("next", ""), **context)


def _message(title: str, message: str, status: int):
    return render_template("message.html", title=title, message=message), status


@web.route("/")
def home():
    return _home()


@web.route("/authen/login")
def login():
    client = opsta().oidc_client
    if client is None:
        return _message("Single sign-on is not configured",
                        "ระบบยังไม่ได้ตั้งค่าการเข้าสู่ระบบด้วย SSO / Single sign-on is not configured.", 404)
    session[_NEXT] = local_path(request.args.get("next"))
    redirect_uri = opsta().settings.public_url.rstrip("/") + url_for("web.callback")
    try:
        return authorization_redirect(client, settings=opsta().settings, redirect_uri=redirect_uri)
    except requests.RequestException as exc:
        log.warning("the OpenID provider is unreachable: %s", exc)
        return _message("Single sign-on is unavailable", "ระบบ SSO ขององค์กรไม่ตอบสนอง กรุณาลองใหม่ภายหลัง / The "
                        "organisation's single sign-on does not answer. Please try again later.", 503)


@web.route("/authen/callback")
def callback():
    client = opsta().oidc_client
    if client is None:
        return redirect(url_for("web.home"))
    if request.args.get("error"):
        return _message("Sign-in was not completed",
                        f"{request.args.get('error')}: {request.args.get('error_description', '')}", 400)
    settings = opsta().settings
    try:
        identity = identity_from_callback(client, settings=settings)
    except SignInFailed as exc:
        log.warning("OIDC sign-in failed: %s", exc)
        return _message("Sign-in failed", f"เข้าสู่ระบบไม่สำเร็จ กรุณาลองใหม่ / The sign-in could not be verified ({exc}). "
                                          "Please try again.", 400)
    employee = employee_for_claims(session=db(), claims=identity.claims, code_claim=settings.oidc_employee_code_claim,
                                   trust_email=settings.oidc_trust_email)
    if employee is None:
        log.info("OIDC sign-in of sub %r matched nobody in the directory", identity.sub)
        return render_template("unknown_user.html", email=identity.claims.get("email"),
                               code=identity.claims.get(settings.oidc_employee_code_claim)), 403
    response = redirect(local_path(session.get(_NEXT)))
    session.clear()  # the flow's state is spent; the signed-in session lives server side
    sign_in_browser(response, employee=employee, method="oidc", provider_sub=identity.sub,
                    provider_sid=identity.sid, id_token=identity.id_token)
    return response


@web.route("/authen/local", methods=["POST"])
def local_login():
    settings = opsta().settings
    if not settings.local_login_enabled:
        return _message("Local sign-in is off", "Sign in through the organisation's single sign-on.", 403)
    username = request.form.get("username", "")
    try:
        signed_in = authenticate_local(session=db(), settings=settings, username=username,
                                       password=request.form.get("password", ""), remote_addr=client_address(),
                                       trusted_device=trusted_device_for(username))
    except DomainError as exc:
        response = make_response(_home(error=exc.detail), exc.status)
        for name, value in (exc.extensions.get("headers") or {}).items():
            response.headers[name] = value
        return response
    response = redirect(local_path(request.form.get("next")))
    session.clear()
    sign_in_browser(response, employee=signed_in.employee, method="local")
    remember_device(response, username=username, device_id=signed_in.device_id)
    return response


@web.route("/authen/logout", methods=["GET"])
def logout_page():
    """A link cannot sign anyone out (that would be a cross-site request); this page's button can."""
    return render_template("logout.html")


@web.route("/authen/logout", methods=["POST"])
def logout():
    response = redirect(url_for("web.home"))
    ended = sign_out_browser(response)
    end_session = _end_session_endpoint(opsta())()
    if end_session:
        settings = opsta().settings
        query = {"post_logout_redirect_uri": settings.public_url.rstrip("/") + "/", "client_id": settings.oidc_client_id}
        if ended is not None and ended.id_token:
            query["id_token_hint"] = ended.id_token
        response.headers["Location"] = f"{end_session}?{urlencode(query)}"
    session.clear()
    return response


@web.route("/authen/backchannel-logout", methods=["POST"])
@csrf_exempt
def backchannel_logout():
    """The provider ends our sessions of a person (`sub`) or of one provider session (`sid`)."""
    verifier = opsta().logout_token_verifier
    if verifier is None:
        return _backchannel_answer({"error": "invalid_request", "error_description": "OIDC is off."}, 400)
    try:
        sub, sid = logout_subject(verifier=verifier, client_id=opsta().settings.oidc_client_id,
                                  token=request.form.get("logout_token", ""))
    except InvalidLogoutToken as exc:
        log.warning("refused a back-channel logout token: %s", exc)
        return _backchannel_answer({"error": "invalid_request", "error_description": str(exc)}, 400)
    ended = end_provider_sessions(session=db(), provider_sub=sub, provider_sid=sid)
    log.info("back-channel logout (sub %r, sid %r) ended %d sessions", sub, sid, ended)
    return _backchannel_answer(None, 200)


def _backchannel_answer(body, status: int):
    response = make_response(jsonify(body) if body else "", status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _swagger_static(filename):
    import swagger_ui_bundle

    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)


def register_web(app: Flask) -> None:
    """Mount the browser routes, the OIDC client, CSRF checks, security headers and the Swagger UI assets."""
    context = app.extensions["opsta"]
    settings = context.settings
    app.config.update(SESSION_COOKIE_NAME=STATE_COOKIE, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.secure_cookies)
    if settings.oidc_enabled:
        context.oidc_client = register_oidc_client(app, settings)
    protect_from_csrf(app)
    add_security_headers(app, settings, _end_session_endpoint(context))
    app.add_url_rule("/api/docs/static/<path:filename>", "swagger_static", _swagger_static)
    app.register_blueprint(web)


def _end_session_endpoint(context):
    def endpoint() -> str | None:
        client = context.oidc_client
        if client is None:
            return None
        try:
            return client.load_server_metadata().get("end_session_endpoint")
        except (requests.RequestException, ValueError):  # a provider outage must not break pages or sign-out
            return None

    return endpoint
