"""Demo requests waiting for approval, decided requests of every kind in the past month (so every report has
rows), and a registered face terminal, so the demo shows them all at once."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.directory.service import employees_with_role
from engine.models import ApprovalRequest, Employee, InboxTask, Site, SiteUnit
from engine.requests.flows import complete_task, submit_request
from engine.requests.forms import Submitted
from engine.terminals.enrollment import enroll_employees
from engine.terminals.registry import create_device

DEMO_DEVICE_SN = "MOCOPS0001"


def _last_workday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


def seed_demo_requests(*, session: Session, settings: Settings, people: dict[str, Employee], site: Site,
                       today: date | None = None) -> None:
    """A face terminal at MOC-OPS, and three pending requests in the demo supervisor's inbox."""
    # The whole office works at MOC-OPS; the terminal calls from this machine (`opsta device simulate`).
    session.add(SiteUnit(site_id=site.id, unit_id=people["hr"].unit_id))
    device = create_device(session=session, sn=DEMO_DEVICE_SN, name="MOC-OPS", site_id=site.id,
                           timezone=settings.timezone, allowed_networks=["127.0.0.0/8", "::1/128"])
    enroll_employees(session=session, device=device)
    today = today or datetime.now(ZoneInfo(settings.timezone)).date()
    saturday = _next_weekday(today, 5)
    monday = _next_weekday(today, 0)
    demo = [
        ("employee1", Submitted("overtime", "จัดทำรายงานปิดงบประมาณประจำปี",
                                {"date": saturday, "start": time(9, 0), "end": time(13, 0)})),
        ("employee3", Submitted("missed_punch", "ลืมบันทึกเวลาออกจากที่ทำงาน",
                                {"date": _last_workday_before(today), "time": time(16, 35), "direction": "out",
                                 "reason_code": "forgot"})),
        ("employee4", Submitted("offsite", "ประชุมคณะทำงานร่วมกับกรมการค้าภายใน",
                                {"start_date": monday, "end_date": monday + timedelta(days=1),
                                 "place": "กรมการค้าภายใน ถนนนนทบุรี", "latitude": 13.8630, "longitude": 100.5150})),
    ]
    for username, submitted in demo:
        submit_request(session=session, settings=settings, requester=people[username], submitted=submitted)
    seed_decided_requests(session=session, settings=settings, people=people, site=site, today=today)


def _workdays_before(today: date, count: int) -> list[date]:
    """The `count` Monday–Friday dates before `today`, latest first."""
    days, day = [], today
    while len(days) < count:
        day = _last_workday_before(day)
        days.append(day)
    return days


def _decide(session: Session, settings: Settings, request: ApprovalRequest, decision: str, now: datetime) -> None:
    """Take every open approver task of `request` with `decision`, as whoever it is assigned to."""
    for _ in range(5):
        task = session.scalar(select(InboxTask).where(InboxTask.request_id == request.id, InboxTask.state == "open"))
        if task is None or request.status != "pending":
            return
        approver = session.get(Employee, task.assignee_id) if task.assignee_id else next(
            e for e in employees_with_role(session=session, role=task.assignee_group) if e.id != request.requester_id)
        complete_task(session=session, settings=settings, employee=approver, task_id=task.id, decision=decision,
                      now=now)


def seed_decided_requests(*, session: Session, settings: Settings, people: dict[str, Employee], site: Site,
                          today: date) -> None:
    """Past requests, decided: overtime approved on a working day and on a Saturday (with its punches) and one
    rejected, two approved off-site days, a missed punch approved (its punch created), for the reports."""
    from engine.demo.attendance import _punch   # the demo's own punch writer (site, GPS noise)
    import random

    zone = ZoneInfo(settings.timezone)
    workdays = _workdays_before(today, 12)
    saturday = _next_weekday(today - timedelta(days=14), 5)
    rng = random.Random(2568)

    def at(day: date, hh: int, mm: int) -> datetime:
        return datetime.combine(day, time(hh, mm), zone)

    for when, direction in ((at(saturday, 8, 55), "in"), (at(saturday, 12, 10), "out")):
        _punch(session, people["employee1"], when, direction, site, None, rng)
    session.commit()
    decided = [
        ("employee1", "approve", Submitted("overtime", "ติดตั้งระบบเครือข่ายวันหยุด",
                                           {"date": saturday, "start": time(9, 0), "end": time(12, 0)})),
        ("employee2", "approve", Submitted("overtime", "ตรวจสอบข้อมูลบัญชีผู้ใช้",
                                           {"date": workdays[6], "start": time(16, 30), "end": time(19, 30)})),
        ("employee3", "reject", Submitted("overtime", "จัดเตรียมเอกสารประชุม",
                                          {"date": workdays[4], "start": time(16, 30), "end": time(18, 0)})),
        ("employee4", "approve", Submitted("offsite", "ตรวจเยี่ยมสำนักงานพาณิชย์จังหวัด",
                                           {"start_date": workdays[9], "end_date": workdays[8],
                                            "place": "สำนักงานพาณิชย์จังหวัดนนทบุรี", "latitude": 13.8590,
                                            "longitude": 100.5210})),
        ("employee2", "approve", Submitted("missed_punch", "เครื่องสแกนใบหน้าขัดข้อง",
                                           {"date": workdays[2], "time": time(8, 35), "direction": "in",
                                            "reason_code": "device_down"})),
    ]
    for username, decision, submitted in decided:
        first_day = submitted.fields.get("date") or submitted.fields["start_date"]
        submitted_at = min(at(first_day, 18, 0), at(today, 0, 0) - timedelta(minutes=1))
        request = submit_request(session=session, settings=settings, requester=people[username],
                                 submitted=submitted, now=submitted_at)
        _decide(session, settings, request, decision, submitted_at + timedelta(hours=1))
