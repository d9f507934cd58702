"""The pictures of a punch detail: the punch's selfie and its owner's profile photo.

Each is served only to those who may open the punch (the owner, everyone above them, hr and admin);
anyone else, a purged selfie or no photo gets the same 404 page as an unknown punch.
"""
from __future__ import annotations

from flask import Response

from engine.attendance.queries import visible_punch
from engine.face_checks.profile_photos import visible_profile_photo
from engine.face_checks.queries import visible_selfie
from web.blueprint import bp
from web.pages import Viewer, signed_in


def _image(data: bytes, content_type: str) -> Response:
    reply = Response(data, mimetype=content_type)
    # Personal data: kept by this browser only, briefly; never by a shared cache.
    reply.headers["Cache-Control"] = "private, max-age=300"
    return reply


@bp.route("/punches/<int:punch_id>/selfie")
@signed_in
def punch_selfie(viewer: Viewer, punch_id: int):
    selfie = visible_selfie(session=viewer.db, viewer=viewer.employee, punch_id=punch_id)
    return _image(selfie.image, selfie.content_type)


@bp.route("/punches/<int:punch_id>/profile-photo")
@signed_in
def punch_profile_photo(viewer: Viewer, punch_id: int):
    punch = visible_punch(session=viewer.db, viewer=viewer.employee, punch_id=punch_id, tz=viewer.tz)
    photo = visible_profile_photo(session=viewer.db, viewer=viewer.employee, employee=punch.employee)
    return _image(photo.image, photo.content_type)
