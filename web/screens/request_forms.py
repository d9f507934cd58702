"""The request forms (`คำขอ`): overtime, off-site work and a missed punch, new or edited after a return.

`/requests/new/<kind>` (endpoints `web.new_<kind>`) shows an empty form (a missed punch may come prefilled from a calendar day:
`?date=YYYY-MM-DD&direction=in`); posting it submits the request and opens it in `คำขอของฉัน`.
`/requests/<id>/edit` is the same form for a returned request, and posting it resubmits. A plain form
post without script; refusals come back as the same page (422) with each message beside its field.
"""
from __future__ import annotations

from datetime import date

from flask import redirect, request, url_for

from engine.errors import DomainError
from engine.requests import flows
from engine.requests.queries import request_view
from web.blueprint import bp
from web.i18n import short_date
from web.pages import Viewer, render_screen, signed_in
from web.request_input import (FIELDS, KIND_TITLES, KINDS, REASON_CODE_LABELS, FormState, planned_hours,
                               read_form, values_of)
from web.screens.my_requests import own_request


def _prefill(kind: str) -> dict[str, str]:
    """A missed punch started from a calendar day: that day and direction."""
    values = dict.fromkeys((*FIELDS[kind], "comment"), "")
    if kind == "missed_punch":
        try:
            values["date"] = short_date(date.fromisoformat(request.args.get("date", "")))
        except ValueError:
            pass
        if request.args.get("direction") in ("in", "out"):
            values["direction"] = request.args["direction"]
    return values


def _form_page(viewer: Viewer, state: FormState, *, action: str, editing: dict | None = None, status: int = 200):
    return render_screen("requests/form.html", status=status, kind=state.kind, title=KIND_TITLES[state.kind],
                         values=state.values, errors=state.errors, action=action, editing=editing,
                         reason_codes=REASON_CODE_LABELS, hours=planned_hours(state.values),
                         date_example=short_date(date(2021, 10, 5)))


@signed_in
def new_request(viewer: Viewer, kind: str):
    action = url_for(f"web.new_{kind}")
    if request.method == "GET":
        return _form_page(viewer, FormState(kind, _prefill(kind)), action=action)
    submitted, state = read_form(kind, request.form)
    if submitted is not None:
        try:
            made = flows.submit_request(session=viewer.db, settings=viewer.settings, requester=viewer.employee,
                                        submitted=submitted)
            return redirect(url_for("web.my_request", request_id=made.id, sent=1), 303)
        except DomainError as error:
            if not state.place(error):
                raise
    return _form_page(viewer, state, action=action, status=422)


# One endpoint per kind (`web.new_overtime`, …), so the menu links each form by name.
for _kind in KINDS:
    bp.add_url_rule(f"/requests/new/{_kind}", endpoint=f"new_{_kind}", view_func=new_request,
                    defaults={"kind": _kind}, methods=["GET", "POST"])


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_request(viewer: Viewer, request_id: int):
    """A returned request, edited and sent back for approval (the requester only)."""
    stored = own_request(viewer, request_id)
    view = request_view(viewer.db, stored)
    action = url_for("web.edit_request", request_id=request_id)
    if request.method == "GET":
        return _form_page(viewer, FormState(stored.type, {**values_of(view), "comment": ""}), action=action,
                          editing=view)
    submitted, state = read_form(stored.type, request.form)
    if submitted is not None:
        try:
            flows.resubmit_request(session=viewer.db, settings=viewer.settings, employee=viewer.employee,
                                   request_id=request_id, submitted=submitted,
                                   comment=state.values["comment"] or None)
            return redirect(url_for("web.my_request", request_id=request_id, sent=1), 303)
        except DomainError as error:
            if not state.place(error):
                raise
    return _form_page(viewer, state, action=action, editing=view, status=422)
