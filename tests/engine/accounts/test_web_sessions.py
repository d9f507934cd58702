"""Browser sessions end after their idle and absolute lifetimes, and with the credentials epoch."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from engine.accounts.revocation import end_all_sign_ins
from engine.accounts.web_sessions import admitted_web_session, session_id_digest, start_web_session
from engine.models import Employee, WebSession
from tests.support.settings import make_settings

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=timezone.utc)


def _employee(db_session) -> Employee:
    employee = Employee(code="10151", name_th="ทดสอบ")
    db_session.add(employee)
    db_session.flush()
    return employee


def _settings(database_url):
    return make_settings(database_url, session_idle_minutes=30, session_max_hours=2)


def test_a_session_lives_while_used_and_ends_after_the_idle_lifetime(db_session, database_url):
    settings, employee = _settings(database_url), _employee(db_session)
    raw_id, _ = start_web_session(session=db_session, settings=settings, employee=employee, method="local", now=T0)
    db_session.commit()
    for minutes in (20, 45, 70):  # each visit within 30 minutes of the last keeps it going
        assert admitted_web_session(session=db_session, settings=settings, raw_id=raw_id,
                                now=T0 + timedelta(minutes=minutes)) is not None
    assert admitted_web_session(session=db_session, settings=settings, raw_id=raw_id,
                            now=T0 + timedelta(minutes=101)) is None
    record = db_session.scalar(select(WebSession))
    assert record.end_reason == "expired" and record.id_hash == session_id_digest(raw_id) != raw_id


def test_a_session_ends_after_the_absolute_lifetime_however_busy(db_session, database_url):
    settings, employee = _settings(database_url), _employee(db_session)
    raw_id, _ = start_web_session(session=db_session, settings=settings, employee=employee, method="oidc", now=T0)
    db_session.commit()
    for minutes in range(10, 120, 10):
        assert admitted_web_session(session=db_session, settings=settings, raw_id=raw_id,
                                now=T0 + timedelta(minutes=minutes)) is not None
    assert admitted_web_session(session=db_session, settings=settings, raw_id=raw_id,
                            now=T0 + timedelta(minutes=120)) is None


def test_a_new_credentials_epoch_ends_the_sessions_made_before_it(db_session, database_url):
    settings, employee = _settings(database_url), _employee(db_session)
    before, _ = start_web_session(session=db_session, settings=settings, employee=employee, method="local", now=T0)
    end_all_sign_ins(session=db_session, employee_id=employee.id, reason="password_changed", now=T0)
    after, _ = start_web_session(session=db_session, settings=settings, employee=employee, method="local", now=T0)
    db_session.commit()
    assert admitted_web_session(session=db_session, settings=settings, raw_id=before, now=T0) is None
    assert admitted_web_session(session=db_session, settings=settings, raw_id=after, now=T0) is not None
    assert admitted_web_session(session=db_session, settings=settings, raw_id="made-up", now=T0) is None


def test_the_scheduler_forgets_sessions_a_month_after_they_ended(db_session, database_url, session_factory):
    from engine.accounts.scheduled import purge_sign_in_records
    from engine.accounts.web_sessions import end_sessions

    settings, employee = _settings(database_url), _employee(db_session)
    start_web_session(session=db_session, settings=settings, employee=employee, method="local", now=T0)
    end_sessions(session=db_session, employee_id=employee.id, reason="signed_out", now=T0)
    start_web_session(session=db_session, settings=settings, employee=employee, method="local",
                      now=T0 + timedelta(days=29))
    db_session.commit()
    assert purge_sign_in_records(session_factory=session_factory, settings=settings,
                                 now=T0 + timedelta(days=31)) == 1
    db_session.expire_all()
    assert [s.created_at for s in db_session.scalars(select(WebSession))] == [T0 + timedelta(days=29)]
