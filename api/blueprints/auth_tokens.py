"""Local sign-in for API clients: username and password for a bearer token."""
import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from api.auth.app_tokens import issue_token
from api.context import db, opsta
from engine.accounts.service import authenticate_local
from engine.errors import Forbidden

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Local sign-in")


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
    """Exchange a local username and password for an access token."""
    ctx = opsta()
    if not ctx.settings.local_login_enabled:
        raise Forbidden("Local sign-in is off; sign in through the organisation's single sign-on.",
                        code="local_login_disabled")
    employee = authenticate_local(session=db(), settings=ctx.settings, username=body["username"],
                                  password=body["password"], remote_addr=request.remote_addr or "")
    return issue_token(ctx.settings, employee.id)
