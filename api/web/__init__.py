"""Browser sign-in: OIDC authorization code with PKCE, local sign-in for the demo, and logout."""
from __future__ import annotations

import secrets

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, redirect, render_template, request, send_from_directory, session, url_for

from api.context import db, opsta
from engine.accounts.identity import employee_for_claims
from engine.accounts.service import authenticate_local
from engine.errors import DomainError
from engine.models import Employee

web = Blueprint("web", __name__, template_folder="templates")


def _signed_in() -> Employee | None:
    employee_id = session.get("employee_id")
    employee = db().get(Employee, employee_id) if employee_id else None
    return employee if employee is not None and employee.active else None


@web.route("/")
def home():
    settings = opsta().settings
    return render_template("home.html", employee=_signed_in(), oidc=settings.oidc_enabled,
                           local=settings.local_login_enabled)


@web.route("/authen/login")
def login():
    client = opsta().oidc_client
    if client is None:
        return render_template("message.html", title="Single sign-on is not configured",
                               message="ระบบยังไม่ได้ตั้งค่าการเข้าสู่ระบบด้วย SSO / Single sign-on is not configured."), 404
    session["oidc_nonce"] = nonce = secrets.token_urlsafe(16)
    redirect_uri = opsta().settings.public_url.rstrip("/") + url_for("web.callback")
    return client.authorize_redirect(redirect_uri, nonce=nonce)


@web.route("/authen/callback")
def callback():
    client = opsta().oidc_client
    if client is None:
        return redirect(url_for("web.home"))
    if request.args.get("error"):
        return render_template("message.html", title="Sign-in was not completed",
                               message=f"{request.args.get('error')}: {request.args.get('error_description', '')}"), 400
    try:
        token = client.authorize_access_token(nonce=session.pop("oidc_nonce", None))
    except (OAuthError, ValueError, KeyError) as exc:
        return render_template("message.html", title="Sign-in failed",
                               message=f"เข้าสู่ระบบไม่สำเร็จ กรุณาลองใหม่ / The sign-in could not be verified ({exc}). "
                                       "Please try again."), 400
    claims = dict(token.get("userinfo") or {})
    employee = employee_for_claims(session=db(), claims=claims,
                                   code_claim=opsta().settings.oidc_employee_code_claim)
    if employee is None:
        return render_template("unknown_user.html", email=claims.get("email"),
                               code=claims.get(opsta().settings.oidc_employee_code_claim)), 403
    session.clear()
    session["employee_id"] = employee.id
    session["id_token"] = token.get("id_token")
    return redirect(url_for("web.home"))


@web.route("/authen/local", methods=["POST"])
def local_login():
    settings = opsta().settings
    if not settings.local_login_enabled:
        return render_template("message.html", title="Local sign-in is off",
                               message="Sign in through the organisation's single sign-on."), 403
    try:
        employee = authenticate_local(session=db(), settings=settings, username=request.form.get("username", ""),
                                      password=request.form.get("password", ""),
                                      remote_addr=request.remote_addr or "")
    except DomainError as exc:
        return render_template("home.html", employee=None, oidc=settings.oidc_enabled, local=True,
                               error=exc.detail), exc.status
    session.clear()
    session["employee_id"] = employee.id
    return redirect(url_for("web.home"))


@web.route("/authen/logout", methods=["GET", "POST"])
def logout():
    id_token = session.get("id_token")
    session.clear()
    client = opsta().oidc_client
    if client is not None:
        end_session = client.load_server_metadata().get("end_session_endpoint")
        if end_session:
            from urllib.parse import urlencode

            query = {"post_logout_redirect_uri": opsta().settings.public_url.rstrip("/") + "/",
                     "client_id": opsta().settings.oidc_client_id}
            if id_token:
                query["id_token_hint"] = id_token
            return redirect(f"{end_session}?{urlencode(query)}")
    return redirect(url_for("web.home"))


def _swagger_static(filename):
    import swagger_ui_bundle

    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)


def register_web(app: Flask) -> None:
    """Mount the browser routes, the OIDC client and the offline Swagger UI assets."""
    settings = app.extensions["opsta"].settings
    if settings.oidc_enabled:
        oauth = OAuth(app)
        app.extensions["opsta"].oidc_client = oauth.register(
            "sso",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=settings.oidc_discovery_url,
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256",
                           "timeout": settings.oidc_http_timeout_seconds},
        )
    app.add_url_rule("/api/docs/static/<path:filename>", "swagger_static", _swagger_static)
    app.register_blueprint(web)
