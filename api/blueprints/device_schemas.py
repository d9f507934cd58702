"""How face terminals, their commands, enrollments and review lists look on the wire."""
from datetime import date, datetime, time

import marshmallow as ma

from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Flag, Int, Text
from devices.replies import TIMEZONE_FORMATS

DIRECTION = ma.validate.OneOf(("in", "out"))


class DeviceUpdate(ma.Schema):
    name = Text(validate=ma.validate.Length(min=1, max=100))
    site_id = Int(allow_none=True)
    timezone = Text(metadata={"description": "IANA zone of the device clock, e.g. Asia/Bangkok"})
    timezone_format = Text(validate=ma.validate.OneOf(TIMEZONE_FORMATS),
                                       metadata={"description": "How the handshake TimeZone option is written "
                                                                "for this firmware (default minutes)"})
    state_map = ma.fields.Dict(keys=Text(), values=Text(validate=DIRECTION),
                               metadata={"description": 'attendance state code → direction, e.g. {"0": "in", "1": "out"}'})
    codec = Text(metadata={"description": "body encoding: utf-8 (default) or gb18030, gbk, …"})
    enabled = Flag()
    allowed_networks = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=64)),
                                      validate=ma.validate.Length(min=1, max=32),
                                      metadata={"description": "CIDR networks the terminal may call from, "
                                                               "e.g. [\"10.20.0.0/24\"]; widening takes admin"})


class DeviceCreate(DeviceUpdate):
    sn = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    name = Text(required=True, validate=ma.validate.Length(min=1, max=100))
    site_id = Int(allow_none=True, load_default=None)
    timezone = Text(load_default="Asia/Bangkok")
    timezone_format = Text(load_default="minutes", validate=ma.validate.OneOf(TIMEZONE_FORMATS))
    state_map = ma.fields.Dict(keys=Text(), values=Text(validate=DIRECTION),
                               load_default=None)
    codec = Text(load_default="utf-8")
    enabled = Flag(load_default=True)
    allowed_networks = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=64)), required=True,
                                      validate=ma.validate.Length(min=1, max=32),
                                      metadata={"description": "CIDR networks the terminal may call from, "
                                                               "e.g. [\"10.20.0.0/24\"]"})


class CommandSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    verb = ma.fields.Function(lambda c: " ".join(c.command.split(" ", 3)[:3]))
    employee_code = ma.fields.Function(lambda c: c.employee.code if c.employee else None)
    state = ma.fields.String()
    return_code = ma.fields.Integer(allow_none=True)
    explanation = ma.fields.String()
    queued_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)
    polls = ma.fields.Integer()
    done_at = ma.fields.DateTime(allow_none=True)


class DeviceSchema(ma.Schema):
    sn = ma.fields.String()
    name = ma.fields.String()
    site_id = ma.fields.Integer(allow_none=True)
    site_name = ma.fields.Function(lambda d: d.site.name if d.site else None)
    timezone = ma.fields.String()
    timezone_format = ma.fields.String()
    state_map = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    codec = ma.fields.String()
    enabled = ma.fields.Boolean()
    allowed_networks = ma.fields.List(ma.fields.String())
    last_seen_at = ma.fields.DateTime(allow_none=True)
    last_seen_addr = ma.fields.String()
    silent = ma.fields.Function(lambda d: d.silence_alerted_at is not None,
                                metadata={"description": "true after a silence alert, until the device speaks"})
    push_version = ma.fields.String()
    firmware = ma.fields.Dict(attribute="firmware_info", metadata={"description": "from the getrequest INFO="})
    options = ma.fields.Dict(metadata={"description": "capabilities from table=options"})
    pending_count = ma.fields.Integer(attribute="open_count")
    pending_commands = ma.fields.List(ma.fields.Nested(CommandSchema), attribute="open_commands")
    created_at = ma.fields.DateTime()


class DeviceList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeviceSchema))


class CommandList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommandSchema))


class EnrollRequest(ma.Schema):
    codes = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=16)), load_default=None,
                           allow_none=True, metadata={"description": "employee codes; omit for every active employee"})


class EnrollReportSchema(ma.Schema):
    queued = ma.fields.List(ma.fields.String())
    no_photo = ma.fields.List(ma.fields.String(), metadata={"description": "queued without a face: no profile photo"})
    unknown = ma.fields.List(ma.fields.String())
    inactive = ma.fields.List(ma.fields.String())
    invalid_pin = ma.fields.List(ma.fields.String())
    not_at_site = ma.fields.List(ma.fields.String(),
                                 metadata={"description": "not sent: not at the device's site (or it has none)"})
    commands = ma.fields.Integer()


class EnrollmentItem(ma.Schema):
    employee = ma.fields.Nested(EmployeeRef)
    state = ma.fields.String()
    reason = ma.fields.String()
    has_photo = ma.fields.Function(lambda e: e.photo_id is not None)
    updated_at = ma.fields.DateTime()


class EnrollmentOverview(ma.Schema):
    enrolled = ma.fields.List(ma.fields.Nested(EnrollmentItem))
    pending = ma.fields.List(ma.fields.Nested(EnrollmentItem))
    failed = ma.fields.List(ma.fields.Nested(EnrollmentItem))
    removing = ma.fields.List(ma.fields.Nested(EnrollmentItem))
    removed = ma.fields.List(ma.fields.Nested(EnrollmentItem))


def _wall_time(text: str, *, end: bool) -> datetime:
    """`YYYY-MM-DD` (a whole day) or `YYYY-MM-DDTHH:MM[:SS]`, as naive device wall time."""
    try:
        return datetime.combine(date.fromisoformat(text), time(23, 59, 59) if end else time.min)
    except ValueError:
        pass
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        raise ValueError("device time has no offset")
    return value


class ResyncQuery(ma.Schema):
    from_ = Text(data_key="from", required=True,
                             metadata={"description": "device-local YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"})
    to = Text(required=True, metadata={"description": "device-local; a date means its end"})

    @ma.post_load
    def to_wall_times(self, data, **_):
        times = {}
        for key, wire, end in (("from_", "from", False), ("to", "to", True)):
            try:
                times[key] = _wall_time(data[key], end=end)
            except ValueError as exc:
                raise ma.ValidationError("Use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, without an offset.", wire) from exc
        if times["to"] < times["from_"]:
            raise ma.ValidationError("'to' is before 'from'.", "to")
        return times


class ResyncReply(ma.Schema):
    command = ma.fields.Nested(CommandSchema)


class UnmatchedQuery(ma.Schema):
    include_resolved = Flag(load_default=False)


class UnmatchedRecordSchema(ma.Schema):
    id = ma.fields.Integer()
    table_name = ma.fields.String()
    line_no = ma.fields.Integer()
    raw_line = ma.fields.String()
    reason = ma.fields.String()
    received_at = ma.fields.DateTime()
    last_received_at = ma.fields.DateTime()
    times_received = ma.fields.Integer()
    resolved_at = ma.fields.DateTime(allow_none=True)


class UnmatchedList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UnmatchedRecordSchema))


class UnauthorizedAttemptSchema(ma.Schema):
    sn = ma.fields.String(metadata={"description": "of the latest refusal counted in this bucket"})
    remote_addr = ma.fields.String()
    path = ma.fields.String()
    reason = ma.fields.String(metadata={"description": "unregistered, disabled or outside_networks"})
    first_seen_at = ma.fields.DateTime()
    last_seen_at = ma.fields.DateTime()
    attempts = ma.fields.Integer(metadata={"description": "refusals counted in this bucket"})
    registered = ma.fields.Boolean(metadata={"description": "registered since (an admin let it in)"})


class UnauthorizedList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UnauthorizedAttemptSchema))


class PhotoHandoutQuery(ma.Schema):
    employee = Text(validate=ma.validate.Length(min=1, max=16), metadata={"description": "employee code"})
    sn = Text(validate=ma.validate.Length(min=1, max=64), metadata={"description": "terminal serial number"})


class PhotoHandoutSchema(ma.Schema):
    employee = ma.fields.Nested(EmployeeRef)
    sn = ma.fields.Function(lambda h: h.device.sn)
    device_name = ma.fields.Function(lambda h: h.device.name)
    site_id = ma.fields.Function(lambda h: h.device.site_id)
    handed_out_at = ma.fields.DateTime()
    remote_addr = ma.fields.String(metadata={"description": "the address the photo was handed to"})
    command_id = ma.fields.Integer()
    command_state = ma.fields.Function(lambda h: h.command.state)
    requested_by = ma.fields.Function(lambda h: h.command.requested_by.code if h.command.requested_by else None,
                                      metadata={"description": "employee code of who enrolled (None: the system, "
                                                               "e.g. after a photo change)"})


class PhotoHandoutList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PhotoHandoutSchema))
