"""Work schedules and their overrides per unit and per employee, for hr and admin."""
import marshmallow as ma

from api.auth.principal import login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Day, Flag, Text
from api.blueprints.request_schemas import HH_MM
from api.context import db
from engine.schedules.overrides import (list_schedules, override_view, overrides_of, remove_override,
                                        save_schedule, set_override)

blp = Blueprint("schedules", __name__, description="Work schedules and overrides, roles hr and admin")
MANAGERS = ("hr", "admin")


class ScheduleIn(ma.Schema):
    start = Text(required=True, validate=HH_MM, metadata={"description": "HH:MM, e.g. 08:45"})
    end = Text(required=True, validate=HH_MM, metadata={"description": "HH:MM; before the start = a night shift"})
    weekdays = Text(load_default="12345", validate=ma.validate.Regexp(r"^[1-7]{1,7}$"),
                    metadata={"description": "ISO weekday digits, Monday=1: 12345 is Monday to Friday"})
    works_on_holidays = Flag(load_default=False,
                             metadata={"description": "shift work: public holidays are working days"})


class ScheduleOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    start = ma.fields.Function(lambda s: f"{s.start_time:%H:%M}")
    end = ma.fields.Function(lambda s: f"{s.end_time:%H:%M}")
    weekdays = ma.fields.String()
    works_on_holidays = ma.fields.Boolean()


class OverrideIn(ma.Schema):
    schedule = Text(required=True, validate=ma.validate.Length(min=1, max=100))
    effective_from = Day(required=True)


class OverrideOut(ma.Schema):
    id = ma.fields.Integer()
    schedule = ma.fields.String()
    effective_from = ma.fields.Date()
    unit_code = ma.fields.String(allow_none=True)
    employee_code = ma.fields.String(allow_none=True)


def _hours(text: str):
    from datetime import time

    return time.fromisoformat(text)


@blp.route("/api/schedules")
@blp.response(200, ScheduleOut(many=True))
@login_required(roles=MANAGERS)
def schedules():
    """Every work schedule."""
    return list_schedules(session=db())


@blp.route("/api/schedules/<string:name>", methods=["PUT"])
@blp.arguments(ScheduleIn)
@blp.response(200, ScheduleOut)
@login_required(roles=MANAGERS)
def put_schedule(body, name):
    """Create or change a schedule (hours, weekdays, whether it works on public holidays)."""
    return save_schedule(session=db(), name=name, start=_hours(body["start"]), end=_hours(body["end"]),
                         weekdays=body["weekdays"], works_on_holidays=body["works_on_holidays"])


@blp.route("/api/org/units/<string:code>/schedule-overrides")
@blp.response(200, OverrideOut(many=True))
@login_required(roles=MANAGERS)
def unit_overrides(code):
    """The unit's schedule overrides, newest first (units below it without their own follow them)."""
    return [override_view(a, db()) for a in overrides_of(session=db(), unit_code=code)]


@blp.route("/api/org/units/<string:code>/schedule-overrides", methods=["POST"])
@blp.arguments(OverrideIn)
@blp.response(201, OverrideOut)
@login_required(roles=MANAGERS)
def add_unit_override(body, code):
    """Give the unit a schedule from a date on."""
    return override_view(set_override(session=db(), schedule_name=body["schedule"],
                                      effective_from=body["effective_from"], unit_code=code), db())


@blp.route("/api/employees/<string:code>/schedule-overrides")
@blp.response(200, OverrideOut(many=True))
@login_required(roles=MANAGERS)
def employee_overrides(code):
    """The employee's own schedule overrides, newest first."""
    return [override_view(a, db()) for a in overrides_of(session=db(), employee_code=code)]


@blp.route("/api/employees/<string:code>/schedule-overrides", methods=["POST"])
@blp.arguments(OverrideIn)
@blp.response(201, OverrideOut)
@login_required(roles=MANAGERS)
def add_employee_override(body, code):
    """Give one employee a schedule from a date on, over their unit's."""
    return override_view(set_override(session=db(), schedule_name=body["schedule"],
                                      effective_from=body["effective_from"], employee_code=code), db())


@blp.route("/api/schedule-overrides/<int:override_id>", methods=["DELETE"])
@blp.response(204)
@login_required(roles=MANAGERS)
def delete_override(override_id):
    """Remove an override; the unit's (or the default) schedule applies again."""
    remove_override(session=db(), override_id=override_id)
