"""Profile photos: upload one with quality checks and advice, read the current one and its image."""
import marshmallow as ma
from flask import Response, url_for

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Text
from api.context import db, opsta
from engine.directory.access import visible_employee
from engine.errors import NotFound
from engine.face_checks.profile_photos import (current_profile_photo, photo_summary, set_profile_photo,
                                                visible_profile_photo)

blp = Blueprint("profile_photos", __name__, description="Profile photos (face verification)")


class PhotoUpload(ma.Schema):
    photo = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                   "description": "JPEG, PNG or WebP"})


class ImageQuery(ma.Schema):
    variant = Text(load_default="original", validate=ma.validate.OneOf(("original", "device")),
                               metadata={"description": "original, or device (≈300×300 JPEG for face terminals)"})


class CheckSchema(ma.Schema):
    name = ma.fields.String(metadata={"description": "one_face, face_large_enough, level_head, facing_camera, "
                                                     "bright_enough, not_overexposed, contrast, sharp, "
                                                     "face_uncovered"})
    passed = ma.fields.Boolean()
    value = ma.fields.Float(metadata={"description": "What was measured"})
    limit = ma.fields.Float()
    advice_th = ma.fields.String()
    advice_en = ma.fields.String()


class ProfilePhotoSchema(ma.Schema):
    id = ma.fields.Integer()
    set_at = ma.fields.DateTime()
    age_days = ma.fields.Integer()
    content_type = ma.fields.String()
    model_name = ma.fields.String()
    checks = ma.fields.List(ma.fields.Nested(CheckSchema))
    image_url = ma.fields.String()
    device_image_url = ma.fields.String()


def _image_reply(photo, variant: str) -> Response:
    data, kind = (photo.device_jpeg, "image/jpeg") if variant == "device" else (photo.image, photo.content_type)
    reply = Response(data, mimetype=kind)
    reply.headers["Cache-Control"] = "private, max-age=300"
    reply.headers["X-Content-Type-Options"] = "nosniff"
    return reply


@blp.route("/api/me/profile-photo", methods=["PUT"])
@blp.arguments(PhotoUpload, location="files")
@blp.response(200, ProfilePhotoSchema)
@login_required()
def put_my_photo(files):
    """Set the profile photo. Every check is returned by name with its measured value, limit and advice;
    a photo failing any check is refused with 422 `profile_photo_rejected` listing the failed checks."""
    data = files["photo"].read()
    photo, _checks = set_profile_photo(session=db(), settings=opsta().settings, employee=current_employee(),
                                       photo=data)
    return photo_summary(photo, image_url=url_for("profile_photos.my_photo_image"))


@blp.route("/api/me/profile-photo")
@blp.response(200, ProfilePhotoSchema)
@login_required()
def my_photo():
    """The current profile photo: when it was set, its checks, and where to get the image."""
    photo = current_profile_photo(session=db(), employee_id=current_employee().id)
    if photo is None:
        raise NotFound("You have no profile photo yet.", code="profile_photo_not_found")
    return photo_summary(photo, image_url=url_for("profile_photos.my_photo_image"))


@blp.route("/api/me/profile-photo/image")
@blp.arguments(ImageQuery, location="query")
@blp.response(200, description="The image bytes", content_type="image/jpeg")
@login_required()
def my_photo_image(query):
    """The current profile photo's bytes (or its terminal variant)."""
    photo = current_profile_photo(session=db(), employee_id=current_employee().id)
    if photo is None:
        raise NotFound("You have no profile photo yet.", code="profile_photo_not_found")
    return _image_reply(photo, query["variant"])


@blp.route("/api/employees/<string:code>/profile-photo")
@blp.response(200, ProfilePhotoSchema)
@login_required()
def employee_photo(code):
    """An employee's current profile photo, for the employee, their supervisors, hr and admin."""
    session = db()
    employee = visible_employee(session=session, viewer=current_employee(), code=code)
    photo = visible_profile_photo(session=session, viewer=current_employee(), employee=employee)
    return photo_summary(photo, image_url=url_for("profile_photos.employee_photo_image", code=code))


@blp.route("/api/employees/<string:code>/profile-photo/image")
@blp.arguments(ImageQuery, location="query")
@blp.response(200, description="The image bytes", content_type="image/jpeg")
@login_required()
def employee_photo_image(query, code):
    """The bytes of an employee's current profile photo; same access as their punches."""
    session = db()
    employee = visible_employee(session=session, viewer=current_employee(), code=code)
    photo = visible_profile_photo(session=session, viewer=current_employee(), employee=employee)
    return _image_reply(photo, query["variant"])
