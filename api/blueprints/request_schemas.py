"""Schemas of the requests and tasks endpoints."""
from datetime import time

import marshmallow as ma

from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Day, Int, Number, Text, date_range_in_order
from engine.models import DIRECTIONS, MISSED_PUNCH_REASONS, REQUEST_STATUSES, REQUEST_TYPES

HH_MM = ma.validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use HH:MM (24-hour), e.g. 17:30.")
REQUIRED_BY_TYPE = {
    "overtime": ("date", "start", "end", "reason"),
    "offsite": ("start_date", "end_date", "place", "reason"),
    "missed_punch": ("date", "time", "direction", "reason_code", "reason"),
}
TIME_FIELDS = ("start", "end", "time")


class RequestIn(ma.Schema):
    """One schema for the three types; which fields are required depends on `type`."""

    type = Text(required=True, validate=ma.validate.OneOf(REQUEST_TYPES))
    reason = Text(validate=ma.validate.Length(min=1, max=2000))
    date = Day(metadata={"description": "overtime / missed_punch: the day (YYYY-MM-DD)"})
    start = Text(validate=HH_MM, metadata={"description": "overtime: planned start HH:MM"})
    end = Text(validate=HH_MM, metadata={"description": "overtime: planned end HH:MM"})
    start_date = Day(metadata={"description": "offsite: first day"})
    end_date = Day(metadata={"description": "offsite: last day"})
    place = Text(validate=ma.validate.Length(min=1, max=500))
    latitude = Number(allow_none=True, validate=ma.validate.Range(min=-90, max=90))
    longitude = Number(allow_none=True, validate=ma.validate.Range(min=-180, max=180))
    time = Text(validate=HH_MM, metadata={"description": "missed_punch: HH:MM"})
    direction = Text(validate=ma.validate.OneOf(DIRECTIONS))
    reason_code = Text(validate=ma.validate.OneOf(MISSED_PUNCH_REASONS))
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000),
                               metadata={"description": "on resubmit: a note for the approver"})

    @ma.validates_schema
    def _required_for_type(self, data, **_):
        missing = [name for name in REQUIRED_BY_TYPE.get(data.get("type"), ()) if data.get(name) is None]
        if missing:
            raise ma.ValidationError({name: ["Missing data for required field."] for name in missing})

    @ma.post_load
    def _times(self, data, **_):
        for name in TIME_FIELDS:
            if name in data:
                data[name] = time.fromisoformat(data[name])
        return data


class CancelIn(ma.Schema):
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class RequestPerson(EmployeeRef):
    id = ma.fields.Integer()


class TimelineStep(ma.Schema):
    at = ma.fields.DateTime()
    kind = ma.fields.String(metadata={"description": "started, task_ready, decision, reminder, timeout, "
                                                     "cancel_requested, task_closed, finished, timer_failed"})
    step = ma.fields.String(allow_none=True)
    lane = ma.fields.String(allow_none=True)
    actor = ma.fields.Nested(RequestPerson, allow_none=True)
    decision = ma.fields.String(allow_none=True)
    comment = ma.fields.String(allow_none=True)
    assignee = ma.fields.Nested(RequestPerson, allow_none=True)
    assignee_group = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    on_behalf_of = ma.fields.Raw(allow_none=True)
    same_approver = ma.fields.Boolean(metadata={"description": "this step fell to the approver who had just decided "
                                                               "the step before, and was decided by that decision"})
    note_th = ma.fields.String()
    note_en = ma.fields.String()
    decided_by_th = ma.fields.String(metadata={"description": "who decided, and for whom when an acting approver did"})
    decided_by_en = ma.fields.String(metadata={"description": "e.g. 'decided by X acting for Y'"})
    problem = ma.fields.Dict(metadata={"description": "timer_failed: the problem code and detail that stopped it"})


class RequestOut(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String()
    status = ma.fields.String(metadata={"description": ", ".join(REQUEST_STATUSES)})
    reason = ma.fields.String()
    requester = ma.fields.Nested(RequestPerson)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    decided_at = ma.fields.DateTime(allow_none=True)
    date = ma.fields.String()
    start = ma.fields.String()
    end = ma.fields.String()
    planned_hours = ma.fields.Float()
    actual_hours = ma.fields.Float(allow_none=True)
    start_date = ma.fields.String()
    end_date = ma.fields.String()
    days = ma.fields.Integer()
    place = ma.fields.String()
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    time = ma.fields.String()
    direction = ma.fields.String()
    reason_code = ma.fields.String()
    punch_id = ma.fields.Integer(allow_none=True)


class OpenTaskOut(ma.Schema):
    """A task without its request (inside a request's detail)."""

    id = ma.fields.Integer()
    step = ma.fields.String()
    name = ma.fields.String()
    lane = ma.fields.String(allow_none=True)
    state = ma.fields.String()
    decisions = ma.fields.List(ma.fields.String())
    assignee = ma.fields.Nested(RequestPerson, allow_none=True)
    assignee_group = ma.fields.String(allow_none=True)
    assignment_reason = ma.fields.String()
    created_at = ma.fields.DateTime()
    completed_by = ma.fields.Nested(RequestPerson, allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    decision = ma.fields.String(allow_none=True)
    comment = ma.fields.String(allow_none=True)


class TaskOut(OpenTaskOut):
    request = ma.fields.Nested(RequestOut)


class RequestDetail(RequestOut):
    timeline = ma.fields.List(ma.fields.Nested(TimelineStep))
    open_tasks = ma.fields.List(ma.fields.Nested(OpenTaskOut))


class RequestListQuery(ma.Schema):
    status = Text(load_default=None, validate=ma.validate.OneOf(REQUEST_STATUSES))


class DecisionIn(ma.Schema):
    decision = Text(required=True, validate=ma.validate.Length(min=1, max=32),
                                metadata={"description": "approve, reject or return (see the task's decisions)"})
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class BulkItemIn(DecisionIn):
    task_id = Int(required=True)


class BulkIn(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BulkItemIn), required=True, validate=ma.validate.Length(min=1, max=200))


class BulkResult(ma.Schema):
    task_id = ma.fields.Integer()
    ok = ma.fields.Boolean()
    status = ma.fields.Integer()
    code = ma.fields.String()
    detail = ma.fields.String()
    request_id = ma.fields.Integer()
    request_status = ma.fields.String()


class BulkOut(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BulkResult))


class ReportQuery(ma.Schema):
    type = Text(load_default=None, validate=ma.validate.OneOf(REQUEST_TYPES))
    status = Text(load_default=None, validate=ma.validate.OneOf(REQUEST_STATUSES))
    from_ = Day(load_default=None, data_key="from")
    to = Day(load_default=None)

    @ma.validates_schema
    def _range(self, data, **_):
        date_range_in_order(data)


class ReportOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RequestOut))
    count = ma.fields.Integer()
