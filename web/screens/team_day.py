"""The team's day (`วันนี้ของทีม`): each subordinate's standing today, the flags of today's punches, and links
to their calendar and their requests waiting for me. hr picks a unit (with its sub-units) instead, and
also sees the selfie checks that gave up and the terminal lines that matched nobody, each with what can
be done about it.
"""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from engine.attendance.team_day import team_day as team_day_of
from engine.directory.profile import local_today
from engine.directory.service import list_units
from engine.directory.unit_members import unit_members
from engine.face_checks.queries import verification_errors
from engine.terminals.registry import list_devices
from engine.terminals.review import unmatched_records
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in

STATE_WORDS = {
    "in": _l("In"),
    "late": _l("Late"),
    "offsite": _l("In, off-site"),
    "offsite_approved": _l("Approved off-site work"),
    "not_in": _l("Not in yet"),
    "holiday": _l("Holiday"),
    "day_off": _l("Day off"),
}
FLAG_WORDS = {
    "mock_location": _l("Mock location"),
    "impossible_travel": _l("Impossible travel"),
    "selfie_rejected": _l("Selfie not passed"),
}
REVIEW_LIMIT = 50


def _hr_review(viewer: Viewer) -> dict:
    """What waits for hr beyond the team: selfie checks that gave up, terminal lines that matched nobody."""
    unmatched = [(device, record) for device in list_devices(session=viewer.db)
                 for record in unmatched_records(session=viewer.db, device=device, limit=REVIEW_LIMIT)]
    return {"selfie_errors": verification_errors(session=viewer.db, limit=REVIEW_LIMIT),
            "unmatched": unmatched[:REVIEW_LIMIT]}


@bp.route("/team/today")
@signed_in
def team_day(viewer: Viewer):
    hr = viewer.has_role("hr")
    if not (hr or viewer.is_supervisor):
        raise NotFound()
    units = list_units(session=viewer.db) if hr else []
    unit = None
    code = request.args.get("unit")
    if hr and (code or not viewer.is_supervisor):
        unit = next((u for u in units if u.code == code), None) if code else (units[0] if units else None)
        if code and unit is None:
            raise NotFound()
    people = unit_members(session=viewer.db, unit_id=unit.id) if unit else viewer.subordinates
    members = team_day_of(session=viewer.db, settings=viewer.settings, employees=people)
    return render_screen("team/today.html", members=members, states=STATE_WORDS, flags=FLAG_WORDS, hr=hr,
                         units=units, unit=unit, review=_hr_review(viewer) if hr else None,
                         today_date=local_today(viewer.settings))
