"""Recording punches from phones, reading one punch, and the punch history."""
import uuid
from zoneinfo import ZoneInfo

from flask import after_this_request, request

from api.auth.principal import current_employee, login_required, token_subject_id, unchecked_app_token
from api.blueprints.base import Blueprint
from api.blueprints.punch_schemas import (AcceptanceIn, HistoryPage, HistoryQuery, PunchCreate, PunchDetailSchema,
                                         PunchSchema)
from api.context import db, opsta
from engine.attendance.acceptance import accept_punch
from engine.attendance.queries import as_view, punch_history, visible_punch
from engine.attendance.recording import GpsPunchInput, record_gps_punch
from engine.errors import InvalidInput
from engine.face_checks.queue import send_verification
from engine.face_checks.selfies import prepare_selfie


class PunchBlueprint(Blueprint):
    # A punch comes as JSON, or as multipart form fields with a `selfie` file (documented below).
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "json_or_form": "application/json"}


blp = PunchBlueprint("punches", __name__, description="Punches (IN/OUT)")

# One schema instance for every request: webargs would build (and deep-copy the fields of) a new one per call.
PUNCH_CREATE = PunchCreate()

SELFIE_FORM = {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["direction", "latitude", "longitude", "selfie"],
    "properties": {**{name: {"type": "string"} for name in PUNCH_CREATE.fields},
                   "selfie": {"type": "string", "format": "binary",
                              "description": "JPEG, PNG or WebP; checked against the profile photo afterwards"}},
}}}}


def _tz() -> ZoneInfo:
    return ZoneInfo(opsta().settings.timezone)


def _idempotency_key() -> str | None:
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError as exc:
        raise InvalidInput("Idempotency-Key must be a UUID made by the phone.", code="idempotency_key_invalid") from exc


def _selfie():
    if request.mimetype != "multipart/form-data":
        return None
    upload = request.files.get("selfie")
    if upload is None:
        raise InvalidInput("A multipart punch needs its `selfie` file.", code="selfie_missing",
                           errors={"selfie": ["Missing data for required field."]})
    return prepare_selfie(data=upload.read(), settings=opsta().settings)


@blp.route("/api/punches", methods=["POST"])
@blp.arguments(PUNCH_CREATE, location="json_or_form")
@blp.doc(requestBody=SELFIE_FORM)
@blp.response(201, PunchSchema)
@blp.alt_response(200, schema=PunchSchema, description="A retry with the same Idempotency-Key: the first punch")
@login_required(directory_checked_by_view=True)
def create_punch(body):
    """Record an IN or OUT from a phone: GPS position, optional note, address and client time.

    Send multipart/form-data with the same fields and a `selfie` file for a punch that needs face
    verification: it is stored at once with `verification.status = "pending"` and checked by a worker.
    While `OPSTA_PHONE_PUNCH_SELFIE` is `required` (the default) a JSON punch is 422 `selfie_required`.
    """
    ctx = opsta()
    selfie = _selfie()
    recorded = record_gps_punch(session=db(), settings=ctx.settings, geofence=ctx.geofence,
                                employee_id=token_subject_id(), data=GpsPunchInput(**body),
                                idempotency_key=_idempotency_key(), selfie=selfie, token=unchecked_app_token())
    if recorded.created and selfie is not None:
        _send_after_reply(ctx.face_queue, recorded.punch.id)
    return as_view(recorded.punch, _tz(), recorded.site), 201 if recorded.created else 200


def _send_after_reply(queue, punch_id: int) -> None:
    # Sent once the reply is built, so it always shows the state at recording time ("pending"),
    # however fast the worker is; a failed send leaves the outbox row for the sweeper.
    @after_this_request
    def send(response):
        send_verification(session=db(), queue=queue, punch_id=punch_id)
        return response


@blp.route("/api/punches/<int:punch_id>")
@blp.response(200, PunchDetailSchema)
@login_required()
def get_punch(punch_id):
    """One punch with its place, coordinates, note, flags and verification. Owner, supervisors, hr, admin."""
    return visible_punch(session=db(), viewer=current_employee(), punch_id=punch_id, tz=_tz())


@blp.route("/api/punches/<int:punch_id>/acceptance", methods=["POST"])
@blp.arguments(AcceptanceIn)
@blp.response(201, PunchDetailSchema)
@login_required(roles=("hr",))
def accept(body, punch_id):
    """hr accepts a punch whose selfie was rejected (or could not be checked), with a reason: it then counts.

    409 `punch_not_excluded` for any other punch, `punch_already_accepted` the second time; nobody
    accepts their own punch (403 `own_punch`).
    """
    employee = current_employee()
    accept_punch(session=db(), settings=opsta().settings, hr=employee, punch_id=punch_id, reason=body["reason"])
    return visible_punch(session=db(), viewer=employee, punch_id=punch_id, tz=_tz())


@blp.route("/api/me/punches")
@blp.arguments(HistoryQuery, location="query")
@blp.response(200, HistoryPage)
@login_required()
def my_punches(query):
    """The punch history (ประวัติการบันทึกเวลา), newest first."""
    items, total = punch_history(session=db(), employee=current_employee(), tz=_tz(), start=query["from_"],
                                 end=query["to"], page=query["page"], page_size=query["page_size"])
    return {"items": items, "page": query["page"], "page_size": query["page_size"], "total": total}
