"""Recording punches from phones, reading one punch, and the punch history."""
import uuid
from zoneinfo import ZoneInfo

from flask import request
from flask_smorest import Blueprint

from api.auth.principal import current_employee, login_required
from api.blueprints.punch_schemas import HistoryPage, HistoryQuery, PunchCreate, PunchDetailSchema, PunchSchema
from api.context import db, opsta
from engine.attendance.reading import as_view, punch_history, visible_punch
from engine.attendance.recording import GpsPunchInput, record_gps_punch
from engine.errors import InvalidInput

blp = Blueprint("punches", __name__, description="Punches (IN/OUT)")


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


@blp.route("/api/punches", methods=["POST"])
@blp.arguments(PunchCreate)
@blp.response(201, PunchSchema)
@blp.alt_response(200, schema=PunchSchema, description="A retry with the same Idempotency-Key: the first punch")
@login_required()
def create_punch(body):
    """Record an IN or OUT from a phone: GPS position, optional note, address and client time."""
    ctx = opsta()
    punch, created = record_gps_punch(session=db(), settings=ctx.settings, geofence=ctx.services["geofence"],
                                      employee=current_employee(), data=GpsPunchInput(**body),
                                      idempotency_key=_idempotency_key())
    return as_view(punch, _tz()), 201 if created else 200


@blp.route("/api/punches/<int:punch_id>")
@blp.response(200, PunchDetailSchema)
@login_required()
def get_punch(punch_id):
    """One punch with its place, coordinates, note, flags and verification. Owner, supervisors, hr, admin."""
    return visible_punch(session=db(), viewer=current_employee(), punch_id=punch_id, tz=_tz())


@blp.route("/api/me/punches")
@blp.arguments(HistoryQuery, location="query")
@blp.response(200, HistoryPage)
@login_required()
def my_punches(query):
    """The punch history (ประวัติการบันทึกเวลา), newest first."""
    items, total = punch_history(session=db(), employee=current_employee(), tz=_tz(), start=query["from_"],
                                 end=query["to"], page=query["page"], page_size=query["page_size"])
    return {"items": items, "page": query["page"], "page_size": query["page_size"], "total": total}
