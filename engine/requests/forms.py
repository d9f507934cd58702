"""What each request type holds, the checks at submit time, and the data its process reads."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.errors import Conflict, InvalidInput
from engine.models import ApprovalRequest, Employee, MissedPunchRequest, OffsiteRequest, OvertimeRequest
from engine.workflow.clock import is_holiday

PROCESS_OF_TYPE = {"overtime": "overtime_request", "offsite": "offsite_request",
                   "missed_punch": "missed_punch_request"}
MAX_OFFSITE_DAYS = 60


@dataclass(frozen=True)
class Submitted:
    """Validated request fields (already typed by the API schema)."""

    type: str
    reason: str
    fields: dict


def _hours(start: time, end: time) -> float:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return round(minutes / 60, 2)


def check(*, session: Session, settings: Settings, submitted: Submitted, now: datetime, requester_id: int,
          request_id: int | None = None) -> None:
    """Refuse fields that make no sense for the type, with a clear, stable error code.

    `request_id` is the request being edited (on resubmit), which is not its own duplicate.
    """
    f = submitted.fields
    if submitted.type == "overtime":
        if f["end"] <= f["start"]:
            raise InvalidInput("The overtime must end after it starts (same day).", code="overtime_times_invalid")
        _refuse_duplicate_overtime(session, requester_id, request_id, f)
    elif submitted.type == "offsite":
        if f["end_date"] < f["start_date"]:
            raise InvalidInput("end_date is before start_date.", code="offsite_dates_invalid")
        if (f["end_date"] - f["start_date"]).days + 1 > MAX_OFFSITE_DAYS:
            raise InvalidInput(f"An off-site request covers at most {MAX_OFFSITE_DAYS} days.",
                               code="offsite_too_long")
        if (f.get("latitude") is None) != (f.get("longitude") is None):
            raise InvalidInput("Give both latitude and longitude, or neither.", code="offsite_point_invalid")
    elif submitted.type == "missed_punch":
        zone = ZoneInfo(settings.timezone)
        today = now.astimezone(zone).date()
        oldest = today - timedelta(days=settings.missed_punch_max_days_back)
        if f["date"] < oldest:
            raise InvalidInput(
                f"A missed punch can be requested for the last {settings.missed_punch_max_days_back} days only "
                f"(from {oldest.isoformat()}); {f['date'].isoformat()} is too far back.",
                code="missed_punch_too_old", oldest_allowed=oldest.isoformat())
        if datetime.combine(f["date"], f["time"], zone) > now:
            raise InvalidInput("A missed punch cannot be in the future.", code="missed_punch_in_future")


# A request in one of these stands: asking for the same overtime again would count it twice.
STANDING_STATUSES = ("pending", "returned", "approved")


def _refuse_duplicate_overtime(session: Session, requester_id: int, request_id: int | None, f: dict) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Two submits of the same overtime racing each other: the second waits here and then sees the first.
        session.execute(select(Employee.id).where(Employee.id == requester_id).with_for_update())
    query = (select(ApprovalRequest.id).join(OvertimeRequest)
             .where(ApprovalRequest.requester_id == requester_id, ApprovalRequest.status.in_(STANDING_STATUSES),
                    OvertimeRequest.work_date == f["date"], OvertimeRequest.planned_start == f["start"],
                    OvertimeRequest.planned_end == f["end"]).limit(1))
    if request_id is not None:
        query = query.where(ApprovalRequest.id != request_id)
    existing = session.scalar(query)
    if existing is not None:
        raise Conflict(f"You already asked for this overtime (request #{existing}, same day and times).",
                       code="overtime_duplicate", request_id=existing)


def create_details(request: ApprovalRequest, fields: dict) -> None:
    """Attach the type's details row to a new request."""
    if request.type == "overtime":
        request.overtime = OvertimeRequest(work_date=fields["date"], planned_start=fields["start"],
                                           planned_end=fields["end"])
    elif request.type == "offsite":
        request.offsite = OffsiteRequest(start_date=fields["start_date"], end_date=fields["end_date"],
                                         place=fields["place"], latitude=fields.get("latitude"),
                                         longitude=fields.get("longitude"))
    else:
        request.missed_punch = MissedPunchRequest(punch_date=fields["date"], punch_time=fields["time"],
                                                  direction=fields["direction"], reason_code=fields["reason_code"])


def update_details(request: ApprovalRequest, fields: dict) -> None:
    """Apply a requester's edits (on a returned request) to the details row."""
    details = request.details
    if request.type == "overtime":
        details.work_date, details.planned_start, details.planned_end = fields["date"], fields["start"], fields["end"]
    elif request.type == "offsite":
        details.start_date, details.end_date, details.place = fields["start_date"], fields["end_date"], fields["place"]
        details.latitude, details.longitude = fields.get("latitude"), fields.get("longitude")
    else:
        details.punch_date, details.punch_time = fields["date"], fields["time"]
        details.direction, details.reason_code = fields["direction"], fields["reason_code"]


def _is_weekend_or_holiday(session: Session, day: date, around: date) -> bool:
    # Read through the workflow clock's memo: the process's timers need the same holidays next.
    return day.weekday() >= 5 or is_holiday(session=session, day=day, around=around)


def process_data(*, session: Session, request: ApprovalRequest) -> dict:
    """The small, id-only data a request's process reads (see bpmn/README.md)."""
    data = {"request_id": request.id, "request_type": request.type, "requester_id": request.requester_id}
    details = request.details
    if request.type == "overtime":
        data.update(hours=_hours(details.planned_start, details.planned_end),
                    is_weekend_or_holiday=_is_weekend_or_holiday(
                        session, details.work_date, around=request.updated_at.date() - timedelta(days=1)))
    elif request.type == "offsite":
        data.update(days=(details.end_date - details.start_date).days + 1)
    else:
        data.update(punch_at=datetime.combine(details.punch_date, details.punch_time).isoformat(timespec="minutes"))
    return data


def summary(request: ApprovalRequest) -> dict:
    """The type's fields as the API shows them."""
    d = request.details
    if request.type == "overtime":
        return {"date": d.work_date.isoformat(), "start": f"{d.planned_start:%H:%M}", "end": f"{d.planned_end:%H:%M}",
                "planned_hours": _hours(d.planned_start, d.planned_end)}
    if request.type == "offsite":
        return {"start_date": d.start_date.isoformat(), "end_date": d.end_date.isoformat(), "place": d.place,
                "latitude": d.latitude, "longitude": d.longitude,
                "days": (d.end_date - d.start_date).days + 1}
    return {"date": d.punch_date.isoformat(), "time": f"{d.punch_time:%H:%M}", "direction": d.direction,
            "reason_code": d.reason_code, "punch_id": d.punch_id}
