"""The team's day: each subordinate's standing today (or, for hr, each person of a unit and its sub-units)."""
import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Text
from api.context import db, opsta
from engine.attendance.team_day import team_day
from engine.directory.service import direct_subordinates, list_units
from engine.directory.unit_members import unit_members
from engine.errors import NotFound

blp = Blueprint("team", __name__, url_prefix="/api/me/team", description="The team's day")


class TeamQuery(ma.Schema):
    unit = Text(load_default=None, validate=ma.validate.Length(min=1, max=32),
                metadata={"description": "hr only: a unit's code (its sub-units included)"})


class MemberDayOut(ma.Schema):
    employee = ma.fields.Nested(EmployeeRef)
    state = ma.fields.String(metadata={"description": "in, late, offsite, offsite_approved, not_in, holiday, day_off"})
    first_in = ma.fields.DateTime(allow_none=True)
    place = ma.fields.String()
    late_minutes = ma.fields.Integer()
    holiday_name_th = ma.fields.String()
    holiday_name_en = ma.fields.String()
    flags = ma.fields.List(ma.fields.String(), metadata={"description": "mock_location, impossible_travel, "
                                                                        "selfie_rejected"})
    pending_requests = ma.fields.Integer()


@blp.route("/today")
@blp.arguments(TeamQuery, location="query")
@blp.response(200, MemberDayOut(many=True))
@login_required()
def today(query):
    """Today for each direct subordinate, or for hr each active person of `unit` and the units below it."""
    viewer = current_employee()
    if query["unit"] is not None:
        unit = next((u for u in list_units(session=db()) if u.code == query["unit"]), None)
        if unit is None or "hr" not in viewer.roles:
            raise NotFound("No unit with this code is open to you.", code="unit_not_found")
        people = unit_members(session=db(), unit_id=unit.id)
    else:
        people = direct_subordinates(session=db(), employee_id=viewer.id)
    return team_day(session=db(), settings=opsta().settings, employees=people)
