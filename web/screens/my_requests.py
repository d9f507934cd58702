"""My requests (`คำขอของฉัน`): the viewer's requests with their status, and one request's timeline.

A request's page shows who decided what, when and with which comment, and who it waits for now; a
returned request can be edited and resubmitted (web/screens/request_forms.py), a pending or returned
one cancelled. `/requests/<id>` is also where a notification about a request leads: an approver with
an open task on it goes on to that task.
"""
from __future__ import annotations

from datetime import date

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from engine.directory.profile import local_today
from engine.errors import DomainError
from engine.models import ApprovalRequest
from engine.requests import flows
from engine.requests.queries import my_requests as my_request_views
from engine.requests.queries import request_view, visible_request
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in
from web.request_input import KIND_TITLES, REASON_CODE_LABELS
from web.request_words import DECISION_WORDS, LANE_WORDS, STATUS_WORDS, TIMELINE_WORDS, summary_line

CANCELLABLE = ("pending", "returned")
CANCEL_REFUSED = _l("This request can no longer be cancelled.")


def own_request(viewer: Viewer, request_id: int) -> ApprovalRequest:
    """The viewer's own request; anyone else's (or none) is the one 404 page."""
    found = viewer.db.get(ApprovalRequest, request_id)
    if found is None or found.requester_id != viewer.employee.id:
        raise NotFound()
    return found


@bp.route("/requests")
@signed_in
def my_requests(viewer: Viewer):
    items = my_request_views(session=viewer.db, employee=viewer.employee)
    return render_screen("requests/mine.html", items=items, kinds=KIND_TITLES, statuses=STATUS_WORDS,
                         summary_line=summary_line)


def _open_task_for(viewer: Viewer, view: dict):
    for task in view["open_tasks"]:
        if task["lane"] != "requester" and task["assignee"] and task["assignee"]["id"] == viewer.employee.id:
            return task
    return None


@bp.route("/requests/<int:request_id>")
@signed_in
def my_request(viewer: Viewer, request_id: int):
    try:
        found = visible_request(session=viewer.db, viewer=viewer.employee, request_id=request_id,
                                today=local_today(viewer.settings))
    except DomainError:
        raise NotFound() from None
    view = request_view(viewer.db, found, with_timeline=True)
    own = found.requester_id == viewer.employee.id
    if not own:
        task = _open_task_for(viewer, view)
        if task is not None:
            return redirect(url_for("web.approval_task", task_id=task["id"]))
    return render_screen("requests/detail.html", item=view, own=own, kinds=KIND_TITLES, statuses=STATUS_WORDS,
                         lanes=LANE_WORDS, decisions=DECISION_WORDS, timeline_words=TIMELINE_WORDS,
                         reason_codes=REASON_CODE_LABELS, summary_line=summary_line,
                         cancellable=own and found.status in CANCELLABLE,
                         sent=request.args.get("sent") == "1", cancelled=request.args.get("cancelled") == "1",
                         refused=request.args.get("refused") == "1")


@bp.route("/requests/<int:request_id>/cancel", methods=["POST"])
@signed_in
def cancel_my_request(viewer: Viewer, request_id: int):
    own_request(viewer, request_id)
    try:
        flows.cancel_request(session=viewer.db, settings=viewer.settings, employee=viewer.employee,
                             request_id=request_id, comment=(request.form.get("comment") or "").strip() or None)
    except DomainError as error:
        if error.code != "request_not_cancellable":
            raise
        return redirect(url_for("web.my_request", request_id=request_id, refused=1), 303)
    return redirect(url_for("web.my_request", request_id=request_id, cancelled=1), 303)


@bp.app_template_filter("iso_date")
def iso_date(text: str):
    """`2021-10-05` (as the request views carry dates) → a date for the date filters."""
    return date.fromisoformat(text)
