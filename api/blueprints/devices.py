"""Face terminals for device admins: register devices (admin), enroll people, resync punches, review what
arrived; where photos went, for hr."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.device_schemas import (
    CommandList, DeviceCreate, DeviceList, DeviceSchema, DeviceUpdate, EnrollmentOverview, EnrollReportSchema,
    EnrollRequest, PhotoHandoutList, PhotoHandoutQuery, ResyncQuery, ResyncReply, UnauthorizedList, UnmatchedList,
    UnmatchedQuery,
)
from api.context import db
from engine.db import utcnow
from engine.terminals.attempts import unauthorized_attempts
from engine.terminals.enrollment import enroll_employees, enrollment_overview
from engine.terminals.photo_handouts import photo_handouts
from engine.terminals.queue import queue_resync, recent_commands
from engine.terminals.registry import create_device, get_device_or_404, list_devices, update_device
from engine.terminals.review import device_views, unmatched_records

blp = Blueprint("devices", __name__, description="Face terminals (ZKTeco push), role device_admin or admin; "
                                                  "registering one takes admin")

DEVICE_ROLES = ("device_admin", "admin")
HISTORY_ROLES = ("hr", "admin")


def _view(device):
    return device_views(session=db(), devices=[device])[0]


@blp.route("/api/devices")
@blp.response(200, DeviceList)
@login_required(roles=DEVICE_ROLES)
def list_all():
    """Every device with its last-seen time, firmware info and pending commands."""
    return {"items": device_views(session=db(), devices=list_devices(session=db()))}


@blp.route("/api/devices", methods=["POST"])
@blp.arguments(DeviceCreate)
@blp.response(201, DeviceSchema)
@login_required(roles=("admin",))
def create(body):
    """Register a terminal by serial number and the networks it calls from (admin only); until then it gets
    401 Device Unauthorized."""
    return _view(create_device(session=db(), **body))


@blp.route("/api/devices/<string:sn>")
@blp.response(200, DeviceSchema)
@login_required(roles=DEVICE_ROLES)
def get(sn):
    """One device."""
    return _view(get_device_or_404(session=db(), sn=sn))


@blp.route("/api/devices/<string:sn>", methods=["PUT"])
@blp.arguments(DeviceUpdate)
@blp.response(200, DeviceSchema)
@login_required(roles=DEVICE_ROLES)
def update(body, sn):
    """Change a device; only the fields given change. `enabled: false` locks it out (401). Putting it at a site
    or widening its allowed networks takes admin (403 `admin_required`)."""
    return _view(update_device(session=db(), device=get_device_or_404(session=db(), sn=sn), changes=body,
                               by_admin="admin" in current_employee().roles))


@blp.route("/api/devices/<string:sn>/commands")
@blp.response(200, CommandList)
@login_required(roles=DEVICE_ROLES)
def commands(sn):
    """The newest 100 commands of a device, with their state and explained return code."""
    return {"items": recent_commands(session=db(), device=get_device_or_404(session=db(), sn=sn))}


@blp.route("/api/devices/<string:sn>/enroll", methods=["POST"])
@blp.arguments(EnrollRequest)
@blp.response(202, EnrollReportSchema)
@login_required(roles=DEVICE_ROLES)
def enroll(body, sn):
    """Queue USERINFO (PIN = employee code, name) and the profile photo for the given employees, or every active
    one at the device's site; people not at its site are listed in `not_at_site` and nothing is sent."""
    device = get_device_or_404(session=db(), sn=sn)
    return enroll_employees(session=db(), device=device, codes=body["codes"], requested_by_id=current_employee().id)


@blp.route("/api/devices/<string:sn>/enrollment")
@blp.response(200, EnrollmentOverview)
@login_required(roles=DEVICE_ROLES)
def enrollment(sn):
    """Who is on the device, who is pending, who failed and why, who is being or was removed."""
    return enrollment_overview(session=db(), device=get_device_or_404(session=db(), sn=sn))


@blp.route("/api/devices/<string:sn>/resync", methods=["POST"])
@blp.arguments(ResyncQuery, location="query")
@blp.response(202, ResyncReply)
@login_required(roles=DEVICE_ROLES)
def resync(query, sn):
    """Queue `DATA QUERY ATTLOG` for device-local times from…to; the device posts them again (stored once)."""
    device = get_device_or_404(session=db(), sn=sn)
    return {"command": queue_resync(session=db(), device=device, start=query["from_"], end=query["to"],
                                    now=utcnow(), requested_by_id=current_employee().id)}


@blp.route("/api/devices/<string:sn>/unmatched-records")
@blp.arguments(UnmatchedQuery, location="query")
@blp.response(200, UnmatchedList)
@login_required(roles=DEVICE_ROLES)
def unmatched(query, sn):
    """Lines that became no punch (unknown PIN, malformed, unsupported table), newest first."""
    device = get_device_or_404(session=db(), sn=sn)
    return {"items": unmatched_records(session=db(), device=device, include_resolved=query["include_resolved"])}


@blp.route("/api/enrollment-history")
@blp.arguments(PhotoHandoutQuery, location="query")
@blp.response(200, PhotoHandoutList)
@login_required(roles=HISTORY_ROLES)
def enrollment_history(query):
    """Every face photo handed to a terminal (which terminal, whose photo, when, to which address, asked by
    whom), newest first; for one employee (`employee`) and/or one terminal (`sn`)."""
    return {"items": photo_handouts(session=db(), employee_code=query.get("employee"), sn=query.get("sn"))}


@blp.route("/api/unauthorized-devices")
@blp.response(200, UnauthorizedList)
@login_required(roles=DEVICE_ROLES)
def unauthorized():
    """Refused calls (unregistered, disabled, outside the allowed networks), counted in a fixed number of
    buckets by serial number and address; each shows its latest refusal, most recent first."""
    return {"items": [{**_attempt_fields(a), "registered": registered}
                      for a, registered in unauthorized_attempts(session=db())]}


def _attempt_fields(attempt) -> dict:
    return {name: getattr(attempt, name) for name in
            ("sn", "remote_addr", "path", "reason", "first_seen_at", "last_seen_at", "attempts")}
