"""The punch screen (`บันทึกเวลา`): the live position and its site, IN or OUT, a note and the selfie.

The page itself only draws the screen; js/punch.js watches the position, asks `/punch/place` where it
is, takes the selfie and hands the punch to the outbox (js/punch_outbox.js), which sends it to the
API's `POST /api/punches` (multipart, Idempotency-Key, the session cookie and CSRF header) now, or
later when there is no connection. Once the server has the punch, `/punch/<id>/verdict` shows the
selfie's verdict, polling itself by htmx while the face check is still pending.
"""
from __future__ import annotations

from datetime import datetime

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from api.context import opsta
from engine.attendance.queries import punch_history, visible_punch
from engine.errors import InvalidInput
from engine.face_checks.profile_photos import current_profile_photo
from engine.sites.whereabouts import site_at
from web.blueprint import bp
from web.i18n import page_language
from web.pages import Viewer, render_screen, signed_in
from web.problems import MESSAGES

# Short names of the selfie verdict's reasons (face/advice.py REASON_ADVICE gives the advice itself).
REASON_TITLES = {
    "no_face": _l("No face was found"),
    "multiple_faces": _l("More than one face"),
    "face_too_small": _l("The face is too small"),
    "too_dark": _l("Too dark"),
    "too_bright": _l("Too bright"),
    "blurred": _l("Blurred"),
    "not_frontal": _l("Not facing the camera"),
    "mismatch": _l("Does not match the profile photo"),
    "no_profile_photo": _l("No profile photo yet"),
    "replayed_selfie": _l("A photo used before"),
}
POLL_MS = 1500


def likely_direction(viewer: Viewer, *, now: datetime | None = None) -> str:
    """`out` when today's last punch is an IN (the day is open), else `in`: the button shown first."""
    today = (now or datetime.now(viewer.tz)).astimezone(viewer.tz).date()
    latest, _total = punch_history(session=viewer.db, employee=viewer.employee, tz=viewer.tz, start=today,
                                   end=today, page=1, page_size=1)
    return "out" if latest and latest[0].direction == "in" else "in"


@bp.route("/punch")
@signed_in
def punch(viewer: Viewer):
    settings = viewer.settings
    first = likely_direction(viewer)
    has_photo = current_profile_photo(session=viewer.db, employee_id=viewer.employee.id) is not None
    return render_screen(
        "punch/page.html", directions=(first, "out" if first == "in" else "in"), has_photo=has_photo,
        selfie_required=settings.selfie_required, low_accuracy_m=settings.low_accuracy_m,
        punch_url=url_for("punches.create_punch"), place_url=url_for("web.punch_place"),
        verdict_url=url_for("web.punch_verdict", punch_id=0).replace("/0/", "/{id}/"),
        note_max=settings.note_max_length)


def _number(name: str, *, required: bool = True) -> float | None:
    raw = request.args.get(name, "")
    if not raw and not required:
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a number", code="validation_failed",
                           errors={name: ["Not a valid number."]}) from exc


@bp.route("/punch/place")
@signed_in
def punch_place(viewer: Viewer):
    """Where a punch at `latitude`, `longitude` (± `accuracy_m`) would be tagged: a site's name or off-site."""
    latitude, longitude = _number("latitude"), _number("longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput("latitude and longitude must be a position on Earth", code="validation_failed")
    site = site_at(geofence=opsta().geofence, latitude=latitude, longitude=longitude,
                   accuracy_m=_number("accuracy_m", required=False))
    text = _("At the site: %(name)s", name=site.name) if site else _("Off-site (outside every office site)")
    return jsonify(office=site is not None, site=site.name if site else None, text=text)


@bp.route("/punch/<int:punch_id>/verdict")
@signed_in
def punch_verdict(viewer: Viewer, punch_id: int):
    """The punch just sent and its selfie's verdict; while pending the fragment asks again by itself."""
    punch = visible_punch(session=viewer.db, viewer=viewer.employee, punch_id=punch_id, tz=viewer.tz)
    verification = punch.verification
    english = page_language() == "en"
    reasons = [{"code": reason["code"], "title": REASON_TITLES.get(reason["code"], reason["code"]),
                "advice": reason["advice_en"] if english else reason["advice_th"]}
               for reason in verification.get("reasons", [])]
    return render_screen("punch/_verdict.html", punch=punch, verdict=verification["status"], reasons=reasons,
                         poll_ms=POLL_MS)


# The problems a punch kept in the outbox can meet when it is finally sent, in the page's language
# (punch/_outbox.html hands them to the script; the API answers with the code).
OUTBOX_PROBLEMS = ("client_time_too_old", "client_time_in_future", "client_time_required", "idempotency_key_reused",
                   "note_too_long", "selfie_required", "selfie_missing", "validation_failed", "photo_too_large",
                   "photo_type_unsupported", "photo_too_many_pixels", "photo_unreadable")


@bp.app_template_global()
def outbox_messages() -> dict[str, str]:
    return {code: str(MESSAGES[code]) for code in OUTBOX_PROBLEMS}
