"""How employees and units look in API replies."""
import marshmallow as ma


class UnitRef(ma.Schema):
    code = ma.fields.String()
    name_th = ma.fields.String()
    name_en = ma.fields.String()


class EmployeeRef(ma.Schema):
    """An employee named in another reply: a punch, a request step, a device enrollment."""

    code = ma.fields.String()
    name_th = ma.fields.String()
    name_en = ma.fields.String()


class PersonRef(EmployeeRef):
    position_title = ma.fields.String()


class EmployeeSchema(PersonRef):
    email = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()
    roles = ma.fields.List(ma.fields.String(), attribute="sorted_roles")
    unit = ma.fields.Nested(UnitRef, allow_none=True)
    supervisor = ma.fields.Nested(PersonRef, allow_none=True)


def hhmm(value):
    return value.strftime("%H:%M") if value else None


class DayScheduleSchema(ma.Schema):
    day = ma.fields.Date()
    kind = ma.fields.String(metadata={"description": "workday, weekend or holiday"})
    start = ma.fields.Function(lambda s: hhmm(s.start), metadata={"description": "HH:MM, local time"})
    end = ma.fields.Function(lambda s: hhmm(s.end), metadata={"description": "HH:MM, local time"})
    label = ma.fields.String(metadata={"description": "e.g. 08:45–16:30, or the holiday name"})
    holiday_name_th = ma.fields.String(allow_none=True)
    holiday_name_en = ma.fields.String(allow_none=True)


class MeSchema(EmployeeSchema):
    is_supervisor = ma.fields.Boolean()
    subordinate_count = ma.fields.Integer()
    timezone = ma.fields.String()
    today = ma.fields.Date()
    schedule_today = ma.fields.Nested(DayScheduleSchema)
    profile_photo_age_days = ma.fields.Integer(allow_none=True, metadata={
        "description": "Days since the current profile photo was set (null: none yet); suggest renewing old ones"})


class UnitSchema(UnitRef):
    id = ma.fields.Integer()
    parent_code = ma.fields.String(allow_none=True)
    depth = ma.fields.Integer()
    head = ma.fields.Nested(PersonRef, allow_none=True)
