"""What finished requests do to attendance: one ledger punch per approved missed punch, off-site calendar days."""
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select

from engine.attendance.ledger_audit import verify_chains
from engine.models import ApprovalRequest, Punch
from engine.requests import forms
from engine.requests.effects import apply_outcome, offsite_days

NOW = datetime(2026, 9, 9, 3, 0, tzinfo=timezone.utc)


def request(session, requester, type_: str, status: str, **fields) -> ApprovalRequest:
    row = ApprovalRequest(type=type_, requester_id=requester.id, status=status, reason="ลืมบันทึกเวลา",
                          created_at=NOW, updated_at=NOW)
    forms.create_details(row, fields)
    session.add(row)
    session.flush()
    return row


def test_an_approved_missed_punch_is_appended_to_the_ledger_once(db_session, add_employee):
    requester = add_employee("1001")
    approved = request(db_session, requester, "missed_punch", "approved", date=date(2026, 9, 8), time=time(16, 35),
                       direction="out", reason_code="forgot")
    rejected = request(db_session, requester, "missed_punch", "rejected", date=date(2026, 9, 7), time=time(8, 30),
                       direction="in", reason_code="forgot")

    for row in (approved, approved, rejected):  # a second finish of the same request changes nothing
        apply_outcome(session=db_session, request=row, now=NOW, timezone="Asia/Bangkok")

    punch = db_session.get(Punch, approved.missed_punch.punch_id)
    assert (punch.direction, punch.source, punch.request_id, punch.note) == ("out", "request", approved.id,
                                                                             "ลืมบันทึกเวลา")
    assert punch.effective_at == datetime(2026, 9, 8, 9, 35, tzinfo=timezone.utc)
    assert db_session.scalar(select(func.count(Punch.id))) == 1 and rejected.missed_punch.punch_id is None
    audit = verify_chains(session=db_session)
    assert (audit.chains, audit.punches, audit.broken) == (1, 1, [])


def test_offsite_days_are_the_approved_ones_within_the_range(db_session, add_employee):
    requester = add_employee("1001")
    request(db_session, requester, "offsite", "approved", start_date=date(2026, 8, 30), end_date=date(2026, 9, 2),
            place="กรมการค้าภายใน")
    request(db_session, requester, "offsite", "pending", start_date=date(2026, 9, 10), end_date=date(2026, 9, 11),
            place="กรมการค้าภายใน")

    days = offsite_days(session=db_session, employee_id=requester.id, first=date(2026, 9, 1), last=date(2026, 9, 30))

    assert days == {date(2026, 9, 1), date(2026, 9, 2)}
