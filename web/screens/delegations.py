"""Acting approvers (`มอบหมายผู้อนุมัติแทน`): name a colleague who decides my tasks for a period, see the
delegations I gave and received, and end one of mine early.

The period's dates are typed (d/m/BE-year in Thai) or picked, as on the request forms; refusals come
back beside their field.
"""
from __future__ import annotations


from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l

from engine.directory.colleagues import colleagues
from engine.directory.profile import local_today
from engine.errors import DomainError
from engine.models import Employee
from engine.workflow import delegation as delegations_service
from engine.workflow.delegation import delegations_of, set_delegation
from web.blueprint import bp
from web.i18n import short_date
from web.pages import Viewer, render_screen, signed_in
from web.request_input import BAD_DATE, REQUIRED, parse_day

FIELD_OF_CODE = {
    "delegate_unknown": ("delegate_code", _l("Choose an active colleague.")),
    "delegate_self": ("delegate_code", _l("You cannot name yourself.")),
    "delegation_dates_invalid": ("ends_on", _l("The last day is before the first day.")),
    "delegation_starts_in_past": ("starts_on", _l("A delegation cannot start in the past.")),
    "delegation_too_long": ("ends_on", _l("A delegation lasts at most a year.")),
}
NOTICES = {"saved": _l("The acting approver was named."), "ended": _l("The delegation was ended.")}


def _row(viewer: Viewer, delegation, other_id: int) -> dict:
    """A delegation with the other person in it (the acting approver, or the one I act for)."""
    return {"id": delegation.id, "person": viewer.db.get(Employee, other_id), "starts_on": delegation.starts_on,
            "ends_on": delegation.ends_on, "ended": delegation.ended_at is not None}


def _page(viewer: Viewer, *, values: dict, errors: dict, status: int = 200):
    today = local_today(viewer.settings)
    rows = delegations_of(session=viewer.db, employee=viewer.employee)
    return render_screen("delegations/page.html", status=status, values=values, errors=errors,
                         people=colleagues(session=viewer.db, employee=viewer.employee), today=today,
                         given=[_row(viewer, d, d.delegate_id) for d in rows if d.delegator_id == viewer.employee.id],
                         received=[_row(viewer, d, d.delegator_id) for d in rows if d.delegate_id == viewer.employee.id],
                         notice=NOTICES.get(request.args.get("notice", "")),
                         date_example=short_date(today))


@bp.route("/delegations", methods=["GET", "POST"])
@signed_in
def delegations(viewer: Viewer):
    if request.method == "GET":
        return _page(viewer, values={}, errors={})
    values = {name: (request.form.get(name) or "").strip() for name in ("delegate_code", "starts_on", "ends_on")}
    errors, days = {}, {}
    for name in ("delegate_code", "starts_on", "ends_on"):
        if not values[name]:
            errors[name] = str(REQUIRED)
        elif name != "delegate_code":
            days[name] = parse_day(values[name])
            if days[name] is None:
                errors[name] = str(BAD_DATE)
    if not errors:
        try:
            set_delegation(session=viewer.db, delegator=viewer.employee, delegate_code=values["delegate_code"],
                           starts_on=days["starts_on"], ends_on=days["ends_on"], today=local_today(viewer.settings))
            return redirect(url_for("web.delegations", notice="saved"), 303)
        except DomainError as error:
            if error.code not in FIELD_OF_CODE:
                raise
            name, message = FIELD_OF_CODE[error.code]
            errors[name] = str(message)
    return _page(viewer, values=values, errors=errors, status=422)


@bp.route("/delegations/<int:delegation_id>/end", methods=["POST"])
@signed_in
def end_delegation(viewer: Viewer, delegation_id: int):
    delegations_service.end_delegation(session=viewer.db, delegator=viewer.employee, delegation_id=delegation_id)
    return redirect(url_for("web.delegations", notice="ended"), 303)
