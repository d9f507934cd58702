"""The record of every app token issued: so that one can be revoked, and a person's tokens listed.

The token itself (a signed JWT, `api/auth/app_tokens.py`) carries its `jti` and the employee's
credentials epoch. It is honoured while its row is not revoked and the epoch still matches the
employee's; both are checked in the query that loads the caller anyway (`live_token_clause`).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, delete, exists, select, update
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.models import AppToken, Employee

KEEP_EXPIRED = timedelta(days=30)


@dataclass(frozen=True)
class AppTokenClaims:
    """What a validly signed app token says: whose it is, its id, and the credentials epoch it was issued in."""

    employee_id: int
    jti: str
    epoch: int

    def as_params(self) -> dict:
        """The bound values `live_token_clause` reads."""
        return {"token_jti": self.jti, "token_epoch": self.epoch}


def record_app_token(*, session: Session, employee: Employee, ttl_seconds: int, user_agent: str = "",
                     remote_addr: str = "", now: datetime | None = None) -> AppToken:
    """A new token row with a fresh `jti`; commits. The caller signs a JWT carrying it."""
    now = now or utcnow()
    token = AppToken(jti=secrets.token_urlsafe(18), employee_id=employee.id, issued_at=now,
                     expires_at=now + timedelta(seconds=ttl_seconds), user_agent=user_agent[:255],
                     remote_addr=remote_addr[:64])
    session.add(token)
    session.commit()
    return token


def live_token_clause(employees=Employee.__table__) -> ColumnElement[bool]:
    """SQL that is true when the token bound as `:token_jti` / `:token_epoch` still counts for the
    employee row it is joined to (`employees`): its row is not revoked and the epoch is current."""
    tokens = AppToken.__table__
    return and_(
        employees.c.credentials_epoch == bindparam("token_epoch"),
        exists().where(tokens.c.jti == bindparam("token_jti"), tokens.c.employee_id == employees.c.id,
                       tokens.c.revoked_at.is_(None)),
    )


def revoke_app_token(*, session: Session, token: AppToken, reason: str, now: datetime | None = None) -> None:
    """Revoke one token (revoking a revoked one keeps its first reason); commits."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        token.revoke_reason = reason
    session.commit()


def revoke_token_by_jti(*, session: Session, jti: str, reason: str, now: datetime | None = None) -> bool:
    """Revoke the token with this `jti`; commits. False when it is unknown or already revoked."""
    result = session.execute(update(AppToken).where(AppToken.jti == jti, AppToken.revoked_at.is_(None))
                             .values(revoked_at=now or utcnow(), revoke_reason=reason)
                             .execution_options(synchronize_session=False))
    session.commit()
    return bool(result.rowcount)


def revoke_tokens_of(*, session: Session, employee_id: int, reason: str, now: datetime | None = None) -> int:
    """Mark every unrevoked token of the employee revoked (no commit)."""
    result = session.execute(update(AppToken).where(AppToken.employee_id == employee_id,
                                                    AppToken.revoked_at.is_(None))
                             .values(revoked_at=now or utcnow(), revoke_reason=reason)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def tokens_of(*, session: Session, employee_id: int) -> list[AppToken]:
    """The employee's tokens, newest first (expired ones until they are purged)."""
    return list(session.scalars(select(AppToken).where(AppToken.employee_id == employee_id)
                                .order_by(AppToken.issued_at.desc(), AppToken.id.desc())))


def purge_old_tokens(*, session: Session, now: datetime | None = None) -> int:
    """Delete token rows that expired more than `KEEP_EXPIRED` ago (no commit)."""
    result = session.execute(delete(AppToken).where(AppToken.expires_at < (now or utcnow()) - KEEP_EXPIRED))
    return result.rowcount or 0
