"""The profile photo (`การตั้งรูปโปรไฟล์`): the rules for a good photo, the camera with the face frame or a
file, each check's result with its advice, the current photo and when it was set, a hint to renew it.

`POST /profile-photo` is a plain multipart form (`photo` and the CSRF token), so it works without
script; js/profile_photo.js puts the camera's still into the same file input. The checks are the
engine's (engine/face_checks/profile_photos.py, the same as `PUT /api/me/profile-photo`): a refused
photo shows every check with its advice, in the page's language.
"""
from __future__ import annotations

from flask import Response, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from engine.errors import DomainError, InvalidInput
from engine.face_checks.profile_photos import current_profile_photo, profile_photo_age_days, set_profile_photo
from web.blueprint import bp
from web.i18n import page_language
from web.pages import Viewer, render_screen, signed_in
from web.problems import problem_of

# The training material's rules for a photo the face check can use, in the order it gives them.
PHOTO_RULES = (
    _l("Only your face in the photo: take it alone, with nobody else in the frame."),
    _l("Your face and shoulders fill the frame: not too small, not too far away."),
    _l("Hold the camera upright and keep your head straight, both eyes level."),
    _l("Face the camera straight and look into it."),
    _l("Good, even light from the front: not too dark, not too bright, no strong light behind you."),
    _l("A sharp photo: hold the phone still and wipe the lens."),
    _l("Nothing covering your face: no mask or scarf, hands away (glasses are fine)."),
    _l("A photo taken now, not a photo of a screen or a printed photo."),
)
CHECK_NAMES = {
    "one_face": _l("One face only"),
    "face_large_enough": _l("Face large enough"),
    "level_head": _l("Head level"),
    "facing_camera": _l("Facing the camera"),
    "bright_enough": _l("Bright enough"),
    "not_overexposed": _l("Not too bright"),
    "contrast": _l("Enough contrast"),
    "sharp": _l("Sharp"),
    "face_uncovered": _l("Face not covered"),
}
# A face changes over the years: after this many days the page suggests taking a new photo.
RENEW_AFTER_DAYS = 365


def shown_checks(checks: list[dict]) -> list[dict]:
    """Each check by its name in words, passed or not, with its advice in the page's language."""
    english = page_language() == "en"
    return [{"name": check["name"], "label": str(CHECK_NAMES.get(check["name"], check["name"])),
             "passed": check["passed"], "advice": check["advice_en"] if english else check["advice_th"]}
            for check in checks]


def _page(viewer: Viewer, *, status: int = 200, checks: list[dict] | None = None, problem=None, saved=False):
    photo = current_profile_photo(session=viewer.db, employee_id=viewer.employee.id)
    age_days = profile_photo_age_days(session=viewer.db, employee_id=viewer.employee.id) if photo else None
    if checks is None and photo is not None and saved:
        checks = photo.checks
    return render_screen("profile_photo/page.html", status=status, photo=photo, age_days=age_days,
                         renew=age_days is not None and age_days >= RENEW_AFTER_DAYS, rules=PHOTO_RULES,
                         checks=shown_checks(checks or []), problem=problem, saved=saved)


@bp.route("/profile-photo")
@signed_in
def profile_photo(viewer: Viewer):
    return _page(viewer, saved=request.args.get("saved") == "1")


@bp.route("/profile-photo", methods=["POST"])
@signed_in
def upload_profile_photo(viewer: Viewer):
    upload = request.files.get("photo")
    data = upload.read() if upload else b""
    if not data:
        error = InvalidInput("Choose or take a photo first.", code="validation_failed",
                             errors={"photo": ["Missing data for required field."]})
        return _page(viewer, status=422, problem=problem_of(error))
    try:
        set_profile_photo(session=viewer.db, settings=viewer.settings, employee=viewer.employee, photo=data)
    except DomainError as error:
        return _page(viewer, status=error.status, checks=error.extensions.get("checks"), problem=problem_of(error))
    return redirect(url_for("web.profile_photo", saved=1), 303)


@bp.route("/profile-photo/image/<int:photo_id>")
@signed_in
def profile_photo_image(viewer: Viewer, photo_id: int):
    """The viewer's current photo; the id in the address changes with the photo, so it may be cached."""
    photo = current_profile_photo(session=viewer.db, employee_id=viewer.employee.id)
    if photo is None or photo.id != photo_id:
        raise NotFound()
    reply = Response(photo.image, mimetype=photo.content_type)
    reply.headers["Cache-Control"] = "private, max-age=86400"
    reply.headers["X-Content-Type-Options"] = "nosniff"
    return reply
