"""Demo requests waiting for approval and a registered face terminal, so the demo shows both at once."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import Employee, Site, SiteUnit
from engine.requests.flows import submit_request
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
