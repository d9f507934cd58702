"""The team's day (วันนี้ของทีม) over HTTP: a supervisor's subordinates with today's standing and the flags of
today's punches; hr picks a unit and sees the selfie checks that gave up."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from engine.attendance.ledger import append_punch
from engine.models import Employee, Punch
from tests.support.approvals import BANGKOK
from tests.support.punches import add_punch


def _mock_location_punch(session, code: str, local: datetime) -> None:
    employee = session.scalar(select(Employee).where(Employee.code == code))
    at = local.replace(tzinfo=BANGKOK)
    append_punch(session=session, punch=Punch(
        employee_id=employee.id, direction="in", source="gps", recorded_at=at, effective_at=at, offline=False,
        latitude=13.8618, longitude=100.5127, accuracy_m=10.0, is_mock=True, note="", address="",
        place_label="MOC-OPS", location_kind="office", flags=["mock_location"], verification_required=False))
    session.commit()


def _member(page: str, code: str) -> str:
    return re.search(rf'<li class="team-member[^"]*" data-code="{code}">.*?</li>', page, re.S).group(0)


def test_a_supervisor_sees_each_subordinate_today_with_flags(live_app, signed_in, session_factory):
    moment = (datetime.now(BANGKOK) - timedelta(minutes=2)).replace(tzinfo=None, second=0, microsecond=0)
    with session_factory() as session:
        _mock_location_punch(session, "100059150", moment)
        add_punch(session, "100059151", moment, "in", selfie_verdict="rejected")
        add_punch(session, "100059152", moment, "in", selfie_verdict="error")
        session.commit()
    boss, landing = signed_in("supervisor")
    assert "วันนี้ของทีม" in landing.text
    page = boss.get(f"{live_app.url}/team/today", timeout=30)
    assert page.status_code == 200
    first = _member(page.text, "100059150")
    assert re.search(rf"(เข้างาน|มาสาย)\s+เวลา {moment:%H:%M}\s+· MOC-OPS", first), first
    assert "พิกัดจำลอง" in first and 'href="/employees/100059150/calendar"' in first
    rejected = _member(page.text, "100059151")
    assert "เซลฟีไม่ผ่าน" in rejected and re.search("ยังไม่เข้างาน|วันหยุด", rejected), rejected
    assert "100059153" in page.text  # everyone, with no punch too
    employee, _ = signed_in("employee1")
    assert employee.get(f"{live_app.url}/team/today", timeout=30).status_code == 404


def test_hr_picks_a_unit_and_sees_what_needs_its_action(live_app, signed_in, session_factory):
    moment = (datetime.now(BANGKOK) - timedelta(minutes=2)).replace(tzinfo=None, second=0, microsecond=0)
    with session_factory() as session:
        add_punch(session, "100059152", moment, "in", selfie_verdict="error")
    hr, _ = signed_in("hr")
    page = hr.get(f"{live_app.url}/team/today?unit=ICT", timeout=30)
    assert page.status_code == 200
    for code in ("10151", "100059150", "100059153"):
        assert f'data-code="{code}"' in page.text
    assert 'data-code="10201"' not in page.text  # hr sits in OPS, above ICT
    assert "การตรวจเซลฟีที่ไม่สำเร็จ" in page.text and "นายณัฐวุฒิ แก้วมณี · IN" in page.text
    assert "บันทึกจากเครื่องสแกนที่ไม่ตรงกับผู้ใด" in page.text
    assert hr.get(f"{live_app.url}/team/today?unit=NOPE", timeout=30).status_code == 404
