"""An admin's view of a person's sign-ins: their browser sessions and app tokens, and revoking them."""
import marshmallow as ma
from flask_smorest import Blueprint

from api.auth.principal import current_employee, login_required
from api.context import db
from engine.accounts.app_tokens import revoke_app_token, tokens_of
from engine.accounts.revocation import revoke_all_sign_ins
from engine.accounts.web_sessions import end_web_session, sessions_of
from engine.db import utcnow
from engine.directory.access import visible_employee
from engine.errors import NotFound
from engine.models import AppToken, WebSession

blp = Blueprint("sign_ins", __name__, url_prefix="/api/employees", description="Sessions and tokens (admin)")


class _SignInSchema(ma.Schema):
    """What sessions and tokens share: which one, whether it still counts, and where it came from."""

    id = ma.fields.Integer()
    live = ma.fields.Boolean()
    user_agent = ma.fields.String()
    remote_addr = ma.fields.String()


class SessionSchema(_SignInSchema):
    method = ma.fields.String(metadata={"description": "oidc or local"})
    created_at = ma.fields.DateTime()
    last_seen_at = ma.fields.DateTime()
    idle_expires_at = ma.fields.DateTime()
    absolute_expires_at = ma.fields.DateTime()
    ended_at = ma.fields.DateTime(allow_none=True)
    end_reason = ma.fields.String()


class TokenSchema(_SignInSchema):
    issued_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)
    revoke_reason = ma.fields.String()


class SignInsSchema(ma.Schema):
    sessions = ma.fields.List(ma.fields.Nested(SessionSchema))
    tokens = ma.fields.List(ma.fields.Nested(TokenSchema))


def _person(code: str):
    return visible_employee(session=db(), viewer=current_employee(), code=code)


def _view(row, schema: type[ma.Schema], live: bool) -> dict:
    return {**{name: getattr(row, name) for name in schema().fields if name != "live"}, "live": live}


def _session_view(record: WebSession, epoch: int, now) -> dict:
    return _view(record, SessionSchema, record.ended_at is None and record.epoch == epoch
                 and now < record.idle_expires_at and now < record.absolute_expires_at)


def _token_view(token: AppToken, now) -> dict:
    return _view(token, TokenSchema, token.revoked_at is None and now < token.expires_at)


@blp.route("/<string:code>/sign-ins")
@blp.response(200, SignInsSchema)
@login_required(roles=["admin"])
def list_sign_ins(code):
    """The person's browser sessions and app tokens, newest first (ended ones are kept for 30 days)."""
    person, now = _person(code), utcnow()
    return {"sessions": [_session_view(s, person.credentials_epoch, now)
                         for s in sessions_of(session=db(), employee_id=person.id)],
            "tokens": [_token_view(t, now) for t in tokens_of(session=db(), employee_id=person.id)]}


@blp.route("/<string:code>/sign-ins/revoke", methods=["POST"])
@blp.response(204)
@login_required(roles=["admin"])
def revoke_all(code):
    """End every session and app token of the person at once."""
    revoke_all_sign_ins(session=db(), employee_id=_person(code).id, reason="revoked_by_admin")


def _row_of(code: str, model, row_id: int, what: str):
    """The session or token `row_id` when it belongs to the person `code`; else 404 as for an unknown id."""
    row = db().get(model, row_id)
    if row is None or row.employee_id != _person(code).id:
        raise NotFound(f"No such {what}.", code=f"{what}_not_found")
    return row


@blp.route("/<string:code>/sessions/<int:session_id>", methods=["DELETE"])
@blp.response(204)
@login_required(roles=["admin"])
def end_one_session(code, session_id):
    """End one browser session of the person."""
    end_web_session(session=db(), record=_row_of(code, WebSession, session_id, "session"), reason="revoked_by_admin")


@blp.route("/<string:code>/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
@login_required(roles=["admin"])
def revoke_one_token(code, token_id):
    """Revoke one app token of the person."""
    revoke_app_token(session=db(), token=_row_of(code, AppToken, token_id, "token"), reason="revoked_by_admin")
