"""Acting approvers: let a colleague decide your tasks for a period."""
from datetime import datetime
from zoneinfo import ZoneInfo

import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Day, Text
from api.blueprints.request_schemas import RequestPerson
from api.context import db, opsta
from engine.requests.queries import person_ref
from engine.workflow.delegation import delegations_of, end_delegation, set_delegation

blp = Blueprint("delegations", __name__, url_prefix="/api/me/delegations", description="Acting approvers")


class DelegationIn(ma.Schema):
    delegate_code = Text(required=True, validate=ma.validate.Length(min=1, max=16))
    starts_on = Day(required=True)
    ends_on = Day(required=True)


class DelegationOut(ma.Schema):
    id = ma.fields.Integer()
    delegator = ma.fields.Nested(RequestPerson)
    delegate = ma.fields.Nested(RequestPerson)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    ended_at = ma.fields.DateTime(allow_none=True, metadata={"description": "when the delegator ended it early"})
    active = ma.fields.Boolean(metadata={"description": "it lends authority today"})


def _today():
    return datetime.now(ZoneInfo(opsta().settings.timezone)).date()


def _view(delegation) -> dict:
    today = _today()
    return {"id": delegation.id, "delegator": person_ref(db(), delegation.delegator_id),
            "delegate": person_ref(db(), delegation.delegate_id), "starts_on": delegation.starts_on,
            "ends_on": delegation.ends_on, "ended_at": delegation.ended_at,
            "active": delegation.ended_at is None and delegation.starts_on <= today <= delegation.ends_on}


@blp.route("")
@blp.response(200, DelegationOut(many=True))
@login_required()
def list_mine():
    """Delegations the caller gave or received."""
    return [_view(d) for d in delegations_of(session=db(), employee=current_employee())]


@blp.route("", methods=["POST"])
@blp.arguments(DelegationIn)
@blp.response(201, DelegationOut)
@login_required()
def create(data):
    """Name an acting approver for a period (inclusive dates, starting today at the earliest)."""
    return _view(set_delegation(session=db(), delegator=current_employee(), today=_today(), **data))


@blp.route("/<int:delegation_id>", methods=["DELETE"])
@blp.response(200, DelegationOut)
@login_required()
def end(delegation_id):
    """End one of your delegations now (its delegate can no longer decide your tasks); the record stays."""
    return _view(end_delegation(session=db(), delegator=current_employee(), delegation_id=delegation_id))
