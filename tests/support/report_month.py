"""June 2026 for the report tests, hand-counted: employee1 (100059150, ICT) has a day of every status, a holiday
with overtime, overtime whose OUT is after midnight, a rejected selfie, a missed punch created by an approved
request, two approved off-site days, and a pending and a rejected overtime request. Everyone else has no punch.

June 2026 starts on a Monday; 3 June is a public holiday; the default schedule is 08:45–16:30, Monday–Friday.

| day | punches (local)                    | request                         | status            |
|-----|------------------------------------|---------------------------------|-------------------|
| 1   | IN 08:30, OUT 16:45                |                                 | normal            |
| 2   | IN 09:00, OUT 16:40                |                                 | late 15           |
| 3   | IN 09:00, OUT 13:30 (holiday)      | overtime 09:00–13:00 approved   | holiday           |
| 4   | IN 08:40, OUT 16:00                |                                 | left early 30     |
| 5   | none                               |                                 | absent            |
| 8   | IN 08:30                           |                                 | incomplete        |
| 9   | IN 08:30, OUT 16:35 selfie rejected|                                 | incomplete        |
| 10  | OUT 16:40 (IN 08:30 by request)    | missed punch IN 08:30 approved  | normal            |
| 11  | IN 08:30, OUT 12 June 01:30        | overtime 17:00–23:00 approved   | normal            |
| 12  | IN 08:45, OUT 16:30                |                                 | normal            |
| 15  | none                               | off-site 15–16 approved         | offsite_approved  |
| 16  | IN 09:30, OUT 16:30                | (late excused)                  | offsite_approved  |
| 17  | IN 08:50, OUT 18:30                | overtime 16:30–18:30 pending    | late 5            |
| 18  | IN 08:45, OUT 17:30                | overtime 16:30–17:30 rejected   | normal            |
| 19, 22–26, 29, 30 | IN 08:30, OUT 16:30  |                                 | normal            |
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.directory.service import employees_with_role
from engine.models import ApprovalRequest, Employee, Holiday, InboxTask
from engine.requests.flows import complete_task, submit_request
from engine.requests.forms import Submitted
from tests.support.punches import add_punch

BANGKOK = ZoneInfo("Asia/Bangkok")
MONTH = "2026-06"
HOLIDAY = date(2026, 6, 3)
EMPLOYEE = "100059150"
ROUTINE_DAYS = (19, 22, 23, 24, 25, 26, 29, 30)


@dataclass
class June:
    overtime_holiday: int
    overtime_midnight: int
    overtime_pending: int
    overtime_rejected: int
    missed_punch: int
    missed_punch_punch: int
    offsite: int
    rejected_selfie_punch: int


def _at(day: int, hh: int, mm: int, month_day_offset: int = 0) -> datetime:
    return datetime(2026, 6, day, hh, mm) + timedelta(days=month_day_offset)


def _decide(session, settings, request_id: int, decision: str, now: datetime) -> None:
    """Complete the request's open approver tasks with `decision` until it is decided."""
    for _ in range(5):
        task = session.scalar(select(InboxTask).where(InboxTask.request_id == request_id, InboxTask.state == "open"))
        if task is None:
            return
        if task.assignee_id is not None:
            approver = session.get(Employee, task.assignee_id)
        else:  # a group's task (hr): anyone of the group who is not the requester
            approver = next(e for e in employees_with_role(session=session, role=task.assignee_group)
                            if e.id != task.request.requester_id)
        complete_task(session=session, settings=settings, employee=approver, task_id=task.id, decision=decision,
                      now=now)
        if session.get(ApprovalRequest, request_id).status != "pending":
            return


def _submit(session, settings, employee, type_: str, reason: str, fields: dict, now: datetime) -> int:
    request = submit_request(session=session, settings=settings, requester=employee,
                             submitted=Submitted(type_, reason, fields), now=now)
    return request.id


def seed_june(session, settings) -> June:
    """Write the month above (the demo organisation must exist)."""
    session.add(Holiday(day=HOLIDAY, name_th="วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี", name_en="Queen's Birthday"))
    session.commit()
    employee = session.scalar(select(Employee).where(Employee.code == EMPLOYEE))
    punch = lambda local, direction, **kw: add_punch(session, EMPLOYEE, local, direction, **kw)  # noqa: E731
    punch(_at(1, 8, 30), "in"), punch(_at(1, 16, 45), "out")
    punch(_at(2, 9, 0), "in"), punch(_at(2, 16, 40), "out")
    punch(_at(3, 9, 0), "in"), punch(_at(3, 13, 30), "out")
    punch(_at(4, 8, 40), "in"), punch(_at(4, 16, 0), "out")
    punch(_at(8, 8, 30), "in")
    punch(_at(9, 8, 30), "in")
    rejected = punch(_at(9, 16, 35), "out", selfie_verdict="rejected")
    punch(_at(10, 16, 40), "out")
    punch(_at(11, 8, 30), "in"), punch(_at(12, 1, 30), "out")
    punch(_at(12, 8, 45), "in"), punch(_at(12, 16, 30), "out")
    punch(_at(16, 9, 30), "in"), punch(_at(16, 16, 30), "out")
    punch(_at(17, 8, 50), "in"), punch(_at(17, 18, 30), "out")
    punch(_at(18, 8, 45), "in"), punch(_at(18, 17, 30), "out")
    for day in ROUTINE_DAYS:
        punch(_at(day, 8, 30), "in"), punch(_at(day, 16, 30), "out")

    def local(day, hh, mm):
        return _at(day, hh, mm).replace(tzinfo=BANGKOK)

    ot_holiday = _submit(session, settings, employee, "overtime", "ตรวจรับครุภัณฑ์",
                         {"date": date(2026, 6, 3), "start": time(9, 0), "end": time(13, 0)}, local(1, 17, 0))
    ot_midnight = _submit(session, settings, employee, "overtime", "ย้ายระบบฐานข้อมูล",
                          {"date": date(2026, 6, 11), "start": time(17, 0), "end": time(23, 0)}, local(10, 17, 0))
    ot_pending = _submit(session, settings, employee, "overtime", "จัดทำรายงาน",
                         {"date": date(2026, 6, 17), "start": time(16, 30), "end": time(18, 30)}, local(16, 17, 0))
    ot_rejected = _submit(session, settings, employee, "overtime", "ประชุม",
                          {"date": date(2026, 6, 18), "start": time(16, 30), "end": time(17, 30)}, local(17, 17, 0))
    missed = _submit(session, settings, employee, "missed_punch", "เครื่องสแกนเสีย",
                     {"date": date(2026, 6, 10), "time": time(8, 30), "direction": "in", "reason_code": "device_down"},
                     local(10, 17, 0))
    offsite = _submit(session, settings, employee, "offsite", "ประชุมคณะทำงาน",
                      {"start_date": date(2026, 6, 15), "end_date": date(2026, 6, 16), "place": "กรมการค้าภายใน",
                       "latitude": 13.86, "longitude": 100.51}, local(12, 10, 0))
    for request_id in (ot_holiday, ot_midnight, missed, offsite):
        _decide(session, settings, request_id, "approve", local(12, 15, 0) if request_id != missed
                else local(10, 18, 0))
    _decide(session, settings, ot_rejected, "reject", local(18, 9, 0))
    session.commit()
    missed_row = session.get(ApprovalRequest, missed)
    assert missed_row.status == "approved" and missed_row.missed_punch.punch_id is not None
    for request_id in (ot_holiday, ot_midnight, offsite):
        assert session.get(ApprovalRequest, request_id).status == "approved"
    assert session.get(ApprovalRequest, ot_rejected).status == "rejected"
    return June(ot_holiday, ot_midnight, ot_pending, ot_rejected, missed, missed_row.missed_punch.punch_id, offsite,
                rejected.id)
