"""Selfie verification results: a punch's selfie, and the checks that failed for good (for hr)."""
import marshmallow as ma
from flask import Response

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import EmployeeRef
from api.context import db
from engine.face_checks.queries import verification_errors, visible_selfie

blp = Blueprint("verifications", __name__, description="Selfie verification of punches")


class VerificationErrorSchema(ma.Schema):
    punch_id = ma.fields.Integer()
    employee = ma.fields.Nested(EmployeeRef)
    direction = ma.fields.String()
    effective_at = ma.fields.DateTime()
    attempts = ma.fields.Integer()
    last_error = ma.fields.String()
    failed_at = ma.fields.DateTime(allow_none=True)


@blp.route("/api/punches/<int:punch_id>/selfie")
@blp.response(200, description="The stored (downscaled) selfie", content_type="image/jpeg")
@login_required()
def punch_selfie(punch_id):
    """The selfie of a punch, for the owner, their supervisors, hr and admin, until it is purged."""
    selfie = visible_selfie(session=db(), viewer=current_employee(), punch_id=punch_id)
    reply = Response(selfie.image, mimetype=selfie.content_type)
    reply.headers["Cache-Control"] = "private, max-age=300"
    return reply


@blp.route("/api/verification-errors")
@blp.response(200, VerificationErrorSchema(many=True))
@login_required(roles=("hr", "admin"))
def errors():
    """Punches whose selfie could not be checked after every retry: hr decides on them by hand."""
    return verification_errors(session=db())
