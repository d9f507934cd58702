"""The punch detail: who, when, where, the note, the flags and the selfie's verdict in words.

GPS punches (`บันทึกเวลาทำงาน (GPS)`): who, when, the place, the note, the flags, the selfie and its
verdict, hr's acceptance of a rejected one, and a map (js/punch_map.js, Leaflet) of the point, its
accuracy circle and the site outlines; tiles only when `map_tile_url` is set. Face-terminal punches
(`บันทึกเวลาโดย ตรวจสอบใบหน้า`): in or out, code, name, time, the terminal's name, how it verified, and
the profile photo. Punches made by an approved request show who, when and where. The owner, everyone
above them, hr and admin may open it; anyone else gets the same 404 page as for a punch that does not
exist. The pictures come from web/screens/punch_images.py, with the same check.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from engine.attendance.queries import PunchView, visible_punch
from engine.config import Settings
from engine.face_checks.profile_photos import profile_photo_age_days
from engine.face_checks.queries import selfie_stored
from engine.models import Site
from engine.sites.service import list_sites
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in

FLAG_WORDS = {
    "mock_location": _l("The phone reported a mock (simulated) location."),
    "low_accuracy": _l("The GPS position was not accurate."),
    "impossible_travel": _l("Too far from the previous punch for the time between them."),
    "clock_skew": _l("The phone's clock did not match the server's."),
}
VERIFICATION_WORDS = {
    "not_required": _l("No selfie needed"),
    "pending": _l("Waiting for the face check"),
    "verified": _l("The face matches the profile photo"),
    "rejected": _l("The face check did not pass"),
    "error": _l("The face check could not be completed; HR has been told"),
}
METHOD_WORDS = {
    "face": _l("Face verification"),
    "fingerprint": _l("Fingerprint"),
    "card": _l("Card"),
    "password": _l("Password"),
    "pin": _l("PIN"),
    "palm": _l("Palm"),
    "other": _l("Other"),
}
DIRECTION_WORDS = {"in": _l("Clock in"), "out": _l("Clock out")}


def map_data(punch: PunchView, sites: list[Site], settings: Settings) -> dict | None:
    """What js/punch_map.js draws: the point, its accuracy, the site outlines and the tiles (if any)."""
    if punch.latitude is None or punch.longitude is None:
        return None
    return {"point": [punch.latitude, punch.longitude], "accuracy_m": punch.accuracy_m,
            "sites": [{"name": site.name, "geometry": site.geometry, "own": site.id == punch.site_id}
                      for site in sites],
            "tiles": {"url": settings.map_tile_url, "attribution": settings.map_tile_attribution}
            if settings.map_tile_url else None}


@bp.route("/punches/<int:punch_id>")
@signed_in
def punch_detail(viewer: Viewer, punch_id: int):
    punch = visible_punch(session=viewer.db, viewer=viewer.employee, punch_id=punch_id, tz=viewer.tz)
    query = {"month": f"{punch.local_date:%Y-%m}", "day": punch.local_date.isoformat()}
    back = (url_for("web.calendar", **query) if punch.employee_id == viewer.employee.id
            else url_for("web.employee_calendar", code=punch.employee.code, **query))
    gps = punch.source == "gps"
    return render_screen(
        "punches/detail.html", punch=punch, back=back, flag_words=FLAG_WORDS,
        verification_words=VERIFICATION_WORDS, method_words=METHOD_WORDS, direction_words=DIRECTION_WORDS,
        map=map_data(punch, list_sites(session=viewer.db), viewer.settings) if gps else None,
        has_selfie=gps and selfie_stored(session=viewer.db, punch_id=punch.id),
        has_photo=punch.source == "face_terminal"
        and profile_photo_age_days(session=viewer.db, employee_id=punch.employee_id) is not None)
