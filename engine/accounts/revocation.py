"""End everything a person is signed in with, at once: browser sessions and app tokens.

Bumping the employee's credentials epoch is what ends them: every session and token carries the
epoch it was made in, and the check that admits a request compares it with the employee's, so a
session or token made concurrently with old credentials fails too. The rows are marked as well,
so that admins see why each one ended.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from engine.accounts.app_tokens import revoke_tokens_of
from engine.accounts.web_sessions import end_sessions
from engine.db import utcnow
from engine.models import Employee

log = logging.getLogger(__name__)


def end_all_sign_ins(*, session: Session, employee_id: int, reason: str, now: datetime | None = None) -> None:
    """End every session and app token of the employee (no commit). `reason` is shown to admins."""
    now = now or utcnow()
    session.execute(update(Employee).where(Employee.id == employee_id)
                    .values(credentials_epoch=Employee.credentials_epoch + 1)
                    .execution_options(synchronize_session=False))
    ended = end_sessions(session=session, employee_id=employee_id, reason=reason, now=now)
    revoked = revoke_tokens_of(session=session, employee_id=employee_id, reason=reason, now=now)
    # Loaded Employee objects would otherwise keep the old epoch for the rest of the session.
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Employee) and loaded.id == employee_id:
            session.expire(loaded, ["credentials_epoch"])
    log.info("ended every sign-in of employee %s (%s): %d sessions, %d tokens", employee_id, reason, ended, revoked)


def revoke_all_sign_ins(*, session: Session, employee_id: int, reason: str, now: datetime | None = None) -> None:
    """An admin's revoke: `end_all_sign_ins`, then commit."""
    end_all_sign_ins(session=session, employee_id=employee_id, reason=reason, now=now)
    session.commit()
