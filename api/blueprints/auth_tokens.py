"""Local sign-in for API clients (username and password for a bearer token), and signing out."""
import marshmallow as ma
from flask import g, make_response, request
from flask_smorest import Blueprint

from api.auth.app_tokens import issue_token
from api.auth.device_cookie import remember_device, trusted_device_for
from api.auth.principal import bearer_token, current_employee
from api.auth.web_session import client_address, sign_out_browser
from api.context import db, opsta
from engine.accounts.app_tokens import revoke_token_by_jti
from engine.accounts.service import authenticate_local
from engine.errors import Forbidden, InvalidInput

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Local sign-in and sign-out")


class TokenRequest(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256), load_only=True)


class TokenResponse(ma.Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = ma.fields.Integer()


@blp.route("/token", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(TokenRequest)
@blp.response(200, TokenResponse)
def token(body):
    """Exchange a local username and password for an access token.

    Failures slow down further checks (429 `rate_limited` with `Retry-After`). The reply sets a
    trusted-device cookie: a client that sends it back is not slowed down by others' failures.
    """
    ctx = opsta()
    if not ctx.settings.local_login_enabled:
        raise Forbidden("Local sign-in is off; sign in through the organisation's single sign-on.",
                        code="local_login_disabled")
    signed_in = authenticate_local(session=db(), settings=ctx.settings, username=body["username"],
                                   password=body["password"], remote_addr=client_address(),
                                   trusted_device=trusted_device_for(body["username"]))
    issued = issue_token(session=db(), settings=ctx.settings, employee=signed_in.employee,
                         user_agent=request.user_agent.string or "", remote_addr=client_address())
    response = make_response(TokenResponse().dump(issued))
    remember_device(response, username=body["username"], device_id=signed_in.device_id)
    return response


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Sign out: revoke the app token this is called with, or end the browser session of the cookie."""
    current_employee()
    claims = g.get("app_token")
    if claims is None and bearer_token():
        raise InvalidInput("The organisation's provider issued this token; it ends at the provider (or when it "
                           "expires), not here.", code="token_not_ours")
    if claims is not None:
        revoke_token_by_jti(session=db(), jti=claims.jti, reason="signed_out")
        return ""
    response = make_response("", 204)
    sign_out_browser(response)
    return response
