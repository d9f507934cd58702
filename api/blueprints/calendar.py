"""Monthly calendars: the caller's own, and a subordinate's for their supervisors, hr and admin."""
import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Text
from api.blueprints.punch_schemas import PunchSchema
from api.context import db, opsta
from engine.attendance.calendar import month_calendar
from engine.attendance.thai_calendar import MonthInvalid, parse_month
from engine.directory.access import visible_employee
from engine.errors import InvalidInput
from engine.requests.effects import offsite_days

blp = Blueprint("calendar", __name__, description="Monthly attendance calendars")


class MonthQuery(ma.Schema):
    month = Text(load_default=None, metadata={"description": "YYYY-MM (CE); default: this month"})


class CalendarPunch(PunchSchema):
    class Meta:
        fields = ("id", "time", "direction", "place_label", "location_kind", "source", "flags", "offline",
                  "verification", "standing", "standing_reason")


class ExcludedPunch(ma.Schema):
    id = ma.fields.Integer()
    time = ma.fields.String()
    direction = ma.fields.String()
    reason = ma.fields.String(metadata={"description": "selfie_rejected or verification_error"})


class CalendarDay(ma.Schema):
    date = ma.fields.Date()
    weekday_th = ma.fields.String()
    kind = ma.fields.String()
    hours = ma.fields.String(allow_none=True, metadata={"description": "e.g. 08:45–16:30 on a workday"})
    holiday_name_th = ma.fields.String(allow_none=True)
    holiday_name_en = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "normal, late, left_early, absent, incomplete, holiday, "
                                                       "weekend, future, pending or offsite_approved"})
    statuses = ma.fields.List(ma.fields.String())
    final = ma.fields.Boolean()
    missing = ma.fields.List(ma.fields.String())
    late_minutes = ma.fields.Integer(allow_none=True)
    early_minutes = ma.fields.Integer(allow_none=True)
    worked_minutes = ma.fields.Integer(allow_none=True)
    provisional = ma.fields.Boolean(metadata={"description": "a counted punch still waits for its selfie check"})
    excluded_punches = ma.fields.List(ma.fields.Nested(ExcludedPunch), metadata={
        "description": "punches shown but not counted, and why: the reason the day is what it is"})
    punches = ma.fields.List(ma.fields.Nested(CalendarPunch))


class CalendarSchema(ma.Schema):
    month = ma.fields.String()
    title_th = ma.fields.String(metadata={"description": "e.g. กันยายน 2564 (Buddhist era)"})
    title_en = ma.fields.String()
    today = ma.fields.Date()
    today_th = ma.fields.String(metadata={"description": "e.g. 5/10/2564"})
    employee = ma.fields.Nested(EmployeeRef)
    days = ma.fields.List(ma.fields.Nested(CalendarDay))
    summary = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


def _calendar_of(employee, month_text):
    ctx = opsta()
    if month_text is None:
        from engine.directory.profile import local_today

        today = local_today(ctx.settings)
        month_text = f"{today:%Y-%m}"
    try:
        month = parse_month(month_text)
    except MonthInvalid as exc:
        raise InvalidInput(str(exc), code="month_invalid") from exc
    offsite = offsite_days(session=db(), employee_id=employee.id, first=month.first_day, last=month.last_day)
    return month_calendar(session=db(), settings=ctx.settings, employee=employee, month=month, offsite_days=offsite)


@blp.route("/api/me/calendar")
@blp.arguments(MonthQuery, location="query")
@blp.response(200, CalendarSchema)
@login_required()
def my_calendar(query):
    """The caller's month: hours or holiday, punches and status of every day."""
    return _calendar_of(current_employee(), query["month"])


@blp.route("/api/employees/<string:code>/calendar")
@blp.arguments(MonthQuery, location="query")
@blp.response(200, CalendarSchema)
@login_required()
def employee_calendar(query, code):
    """A subordinate's month, for everyone above them in the reporting line, hr and admin."""
    employee = visible_employee(session=db(), viewer=current_employee(), code=code)
    return _calendar_of(employee, query["month"])
