"""The punch detail: who, when, where, the note, the flags and the selfie's verdict in words.

GPS punches (`บันทึกเวลาทำงาน (GPS)`), face-terminal punches (`บันทึกเวลาโดย ตรวจสอบใบหน้า`) and punches
made by an approved request. The owner, everyone above them, hr and admin may open it; anyone else gets
the same 404 page as for a punch that does not exist. (The map, the selfie and the profile photo are
the next step of issue 13.)
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from engine.attendance.queries import visible_punch
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


@bp.route("/punches/<int:punch_id>")
@signed_in
def punch_detail(viewer: Viewer, punch_id: int):
    punch = visible_punch(session=viewer.db, viewer=viewer.employee, punch_id=punch_id, tz=viewer.tz)
    query = {"month": f"{punch.local_date:%Y-%m}", "day": punch.local_date.isoformat()}
    back = (url_for("web.calendar", **query) if punch.employee_id == viewer.employee.id
            else url_for("web.employee_calendar", code=punch.employee.code, **query))
    return render_screen("punches/detail.html", punch=punch, back=back, flag_words=FLAG_WORDS,
                         verification_words=VERIFICATION_WORDS, method_words=METHOD_WORDS,
                         direction_words=DIRECTION_WORDS)
