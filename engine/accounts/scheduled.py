"""The periodic job of sign-ins: forget ended sessions, expired tokens, quiet throttle keys and old attempts."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from engine.accounts.app_tokens import purge_old_tokens
from engine.accounts.throttle import purge_quiet_keys
from engine.accounts.web_sessions import purge_old_sessions
from engine.config import Settings
from engine.models import LoginAttempt

# The log of checked sign-ins is kept this long.
KEEP_ATTEMPTS = timedelta(days=90)


def purge_sign_in_records(*, session_factory: sessionmaker[Session], settings: Settings, now: datetime) -> int:
    """Delete what no one needs any more; commits. Returns how many rows went."""
    with session_factory() as session:
        removed = purge_old_sessions(session=session, now=now) + purge_old_tokens(session=session, now=now)
        removed += purge_quiet_keys(session=session, settings=settings, now=now.timestamp())
        removed += session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS)).rowcount or 0
        session.commit()
    return removed
