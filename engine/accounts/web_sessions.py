"""Server-side browser sessions: start one at sign-in, find the live one behind a cookie, end them.

The browser holds only a random session id; the table keeps its SHA-256, so a leaked database dump
opens no session. A session is live while it is not ended, has seen a request within the idle
lifetime, is younger than the absolute lifetime, and its employee is active with the credentials
epoch the session was made in (see `engine.accounts.revocation`).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from engine.config import Settings
from engine.db import utcnow
from engine.models import Employee, WebSession

# last_seen_at is written at most this often per session, not on every request.
TOUCH_EVERY = timedelta(seconds=60)
# Ended and expired sessions stay listed for admins this long, then they are purged.
KEEP_ENDED = timedelta(days=30)

_LIVE_WITH_EMPLOYEE = (
    select(WebSession).join(WebSession.employee).options(contains_eager(WebSession.employee))
    .where(WebSession.id_hash == bindparam("id_hash"), WebSession.ended_at.is_(None),
           WebSession.epoch == Employee.credentials_epoch, Employee.active.is_(True))
)


def session_id_digest(raw_id: str) -> str:
    """What the table stores for a cookie's session id."""
    return hashlib.sha256(raw_id.encode()).hexdigest()


def start_web_session(*, session: Session, settings: Settings, employee: Employee, method: str,
                      provider_sub: str | None = None, provider_sid: str | None = None,
                      id_token: str | None = None, user_agent: str = "", remote_addr: str = "",
                      replacing: WebSession | None = None, now: datetime | None = None) -> tuple[str, WebSession]:
    """A new session for `employee` with a fresh id, ending the one it replaces; returns the raw id for
    the cookie. Commits."""
    now = now or utcnow()
    if replacing is not None:
        _end(replacing, reason="signed_in_again", now=now)
    raw_id = secrets.token_urlsafe(32)
    record = WebSession(
        id_hash=session_id_digest(raw_id), employee_id=employee.id, epoch=employee.credentials_epoch,
        method=method, created_at=now, last_seen_at=now,
        idle_expires_at=now + timedelta(minutes=settings.session_idle_minutes),
        absolute_expires_at=now + timedelta(hours=settings.session_max_hours),
        csrf_secret=secrets.token_urlsafe(32), provider_sub=provider_sub, provider_sid=provider_sid,
        id_token=id_token, user_agent=user_agent[:255], remote_addr=remote_addr[:64],
    )
    session.add(record)
    session.commit()
    return raw_id, record


def admitted_web_session(*, session: Session, settings: Settings, raw_id: str,
                         now: datetime | None = None) -> WebSession | None:
    """The live session behind `raw_id` with its employee loaded, or None; keeps the idle clock going.

    Commits what it marks: the new last-seen time (at most once a minute), or the end of an expired
    session, so that it is listed as such.
    """
    if not raw_id or len(raw_id) > 128:
        return None
    now = now or utcnow()
    record = session.scalar(_LIVE_WITH_EMPLOYEE, {"id_hash": session_id_digest(raw_id)})
    if record is None:
        return None
    if now >= record.absolute_expires_at or now >= record.idle_expires_at:
        _end(record, reason="expired", now=now)
        session.commit()
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        record.idle_expires_at = min(now + timedelta(minutes=settings.session_idle_minutes),
                                     record.absolute_expires_at)
        session.commit()
    return record


def _end(record: WebSession, *, reason: str, now: datetime | None = None) -> None:
    if record.ended_at is None:  # ending an ended session keeps its first reason
        record.ended_at = now or utcnow()
        record.end_reason = reason


def end_web_session(*, session: Session, record: WebSession, reason: str, now: datetime | None = None) -> None:
    """End one session (signed out, revoked by an admin); commits."""
    _end(record, reason=reason, now=now)
    session.commit()


def end_provider_sessions(*, session: Session, provider_sub: str | None, provider_sid: str | None,
                          now: datetime | None = None) -> int:
    """Back-channel logout: end the sessions of a provider session or person; commits. Returns how many."""
    ended = end_sessions(session=session, reason="provider_logout", provider_sub=provider_sub,
                         provider_sid=provider_sid, now=now)
    session.commit()
    return ended


def end_sessions(*, session: Session, reason: str, employee_id: int | None = None,
                 provider_sub: str | None = None, provider_sid: str | None = None,
                 now: datetime | None = None) -> int:
    """End every live session of an employee, of a provider subject, or of a provider session (no commit).

    Back-channel logout names a provider session (`sid`), a subject (`sub`) or both: with `sid`
    only that provider session's browsers end, with `sub` alone every one of that person's.
    """
    query = update(WebSession).where(WebSession.ended_at.is_(None))
    if employee_id is not None:
        query = query.where(WebSession.employee_id == employee_id)
    elif provider_sid:
        query = query.where(WebSession.provider_sid == provider_sid)
        if provider_sub:
            query = query.where(WebSession.provider_sub == provider_sub)
    elif provider_sub:
        query = query.where(WebSession.provider_sub == provider_sub)
    else:
        raise ValueError("say whose sessions to end")
    result = session.execute(query.values(ended_at=now or utcnow(), end_reason=reason)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def sessions_of(*, session: Session, employee_id: int) -> list[WebSession]:
    """The employee's sessions, newest first (ended ones until they are purged)."""
    return list(session.scalars(select(WebSession).where(WebSession.employee_id == employee_id)
                                .order_by(WebSession.created_at.desc(), WebSession.id.desc())))


def purge_old_sessions(*, session: Session, now: datetime | None = None) -> int:
    """Delete sessions that ended or expired more than `KEEP_ENDED` ago (no commit)."""
    cutoff = (now or utcnow()) - KEEP_ENDED
    result = session.execute(delete(WebSession).where(or_(WebSession.ended_at < cutoff,
                                                          WebSession.absolute_expires_at < cutoff)))
    return result.rowcount or 0
