"""Requests as the calendar marks them: approved overtime and off-site days, and days a request still waits on."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import ApprovalRequest, MissedPunchRequest, OffsiteRequest, OvertimeRequest

# Approved ones change the day; pending and returned ones still wait. Rejected and cancelled ones mark nothing.
MARKED_STATUSES = ("approved", "pending", "returned")


def request_marks(*, session: Session, employee_id: int, first: date, last: date) -> dict[date, list[dict]]:
    """Per day from `first` to `last`: the employee's requests on it (`type`, `status`, `id`, `text`)."""
    marks: dict[date, list[dict]] = defaultdict(list)
    standing = (ApprovalRequest.requester_id == employee_id, ApprovalRequest.status.in_(MARKED_STATUSES))
    for request_id, status, day, start, end in session.execute(
            select(ApprovalRequest.id, ApprovalRequest.status, OvertimeRequest.work_date, OvertimeRequest.planned_start,
                   OvertimeRequest.planned_end).join(OvertimeRequest)
            .where(*standing, OvertimeRequest.work_date.between(first, last))):
        marks[day].append({"type": "overtime", "status": status, "id": request_id, "text": f"{start:%H:%M}-{end:%H:%M}"})
    for request_id, status, start, end, place in session.execute(
            select(ApprovalRequest.id, ApprovalRequest.status, OffsiteRequest.start_date, OffsiteRequest.end_date,
                   OffsiteRequest.place).join(OffsiteRequest)
            .where(*standing, OffsiteRequest.start_date <= last, OffsiteRequest.end_date >= first)):
        day = max(start, first)
        while day <= min(end, last):
            marks[day].append({"type": "offsite", "status": status, "id": request_id, "text": place})
            day += timedelta(days=1)
    for request_id, status, day, at, direction in session.execute(
            select(ApprovalRequest.id, ApprovalRequest.status, MissedPunchRequest.punch_date,
                   MissedPunchRequest.punch_time, MissedPunchRequest.direction).join(MissedPunchRequest)
            .where(*standing, ApprovalRequest.status != "approved",  # an approved one is a punch of the day
                   MissedPunchRequest.punch_date.between(first, last))):
        marks[day].append({"type": "missed_punch", "status": status, "id": request_id,
                           "text": f"{at:%H:%M} {direction.upper()}"})
    return dict(marks)
