"""Requests: submit, read with timeline, cancel, and edit-and-resubmit a returned one."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.request_schemas import CancelIn, RequestDetail, RequestIn, RequestListQuery, RequestOut
from api.context import db, opsta
from engine.directory.profile import local_today
from engine.requests import flows
from engine.requests.forms import Submitted
from engine.requests.queries import my_requests, request_view, visible_request

blp = Blueprint("requests", __name__, description="Overtime, off-site and missed-punch requests")


def _submitted(data: dict) -> Submitted:
    fields = {k: v for k, v in data.items() if k not in ("type", "reason", "comment")}
    return Submitted(type=data["type"], reason=data["reason"], fields=fields)


@blp.route("/api/requests", methods=["POST"])
@blp.arguments(RequestIn)
@blp.response(201, RequestOut)
@login_required()
def submit(data):
    """Submit a request; its approval process starts at once."""
    request = flows.submit_request(session=db(), settings=opsta().settings, requester=current_employee(),
                                   submitted=_submitted(data))
    return request_view(db(), request)


@blp.route("/api/me/requests")
@blp.arguments(RequestListQuery, location="query")
@blp.response(200, RequestOut(many=True))
@login_required()
def mine(query):
    """The caller's own requests, newest first."""
    return my_requests(session=db(), employee=current_employee(), status=query["status"])


@blp.route("/api/requests/<int:request_id>")
@blp.response(200, RequestDetail)
@login_required()
def detail(request_id):
    """A request with every step of its approval: who, when, decision and comment."""
    request = visible_request(session=db(), viewer=current_employee(), request_id=request_id,
                              today=local_today(opsta().settings))
    return request_view(db(), request, with_timeline=True)


@blp.route("/api/requests/<int:request_id>", methods=["PUT"])
@blp.arguments(RequestIn)
@blp.response(200, RequestDetail)
@login_required()
def resubmit(data, request_id):
    """Edit a returned request and send it back for approval (the requester only)."""
    request = flows.resubmit_request(session=db(), settings=opsta().settings, employee=current_employee(),
                                     request_id=request_id, submitted=_submitted(data), comment=data["comment"])
    return request_view(db(), request, with_timeline=True)


@blp.route("/api/requests/<int:request_id>/cancel", methods=["POST"])
@blp.arguments(CancelIn)
@blp.response(200, RequestDetail)
@login_required()
def cancel(data, request_id):
    """Cancel a pending or returned request (the requester only)."""
    request = flows.cancel_request(session=db(), settings=opsta().settings, employee=current_employee(),
                                   request_id=request_id, comment=data["comment"])
    return request_view(db(), request, with_timeline=True)
