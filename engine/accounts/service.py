"""Local sign-in: argon2 password checks, rate limiting of failures, and account creation."""
from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.db import utcnow
from engine.directory.service import get_employee_by_code
from engine.errors import NotFound, RateLimited, Unauthenticated
from engine.models import Employee, LocalAccount, LoginFailure

_hasher = PasswordHasher()
# Checked against when the username is unknown, so a miss costs as much as a wrong password
# and response times do not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

# A remote address may fail this many times more than one username before it is blocked too.
_ADDRESS_FACTOR = 4


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def set_local_password(*, session: Session, employee_code: str, username: str, password: str) -> LocalAccount:
    """Create or reset the local (break-glass) account `username` of the employee with this code; commits."""
    employee = get_employee_by_code(session=session, code=employee_code)
    if employee is None:
        raise NotFound("No employee has this code.", code="employee_not_found")
    account = set_local_account(session=session, employee=employee, username=username.lower(), password=password)
    session.commit()
    return account


def set_local_account(*, session: Session, employee: Employee, username: str, password: str) -> LocalAccount:
    """Create or reset the local account of `employee` (no commit)."""
    account = session.scalar(select(LocalAccount).where(LocalAccount.employee_id == employee.id))
    if account is None:
        account = LocalAccount(employee_id=employee.id, username=username, password_hash=hash_password(password))
        session.add(account)
    else:
        account.username = username
        account.password_hash = hash_password(password)
    session.flush()
    return account


def _recent_failures(session: Session, settings: Settings, **where) -> int:
    since = utcnow() - timedelta(seconds=settings.login_lockout_seconds)
    query = select(func.count(LoginFailure.id)).where(LoginFailure.at >= since)
    for column, value in where.items():
        query = query.where(getattr(LoginFailure, column) == value)
    return session.scalar(query) or 0


def authenticate_local(*, session: Session, settings: Settings, username: str, password: str,
                       remote_addr: str = "") -> Employee:
    """Return the active employee behind `username`/`password`, or raise.

    Failures are recorded (committed); too many for one username or one address within the lockout
    window give `rate_limited` until the window passes, even for the right password.
    """
    username = username.strip().lower()
    if (_recent_failures(session, settings, username=username) >= settings.login_max_failures
            or (remote_addr and _recent_failures(session, settings, remote_addr=remote_addr)
                >= settings.login_max_failures * _ADDRESS_FACTOR)):
        raise RateLimited(
            "Too many failed sign-ins. Try again later.",
            headers={"Retry-After": str(settings.login_lockout_seconds)},
        )
    account = session.scalar(select(LocalAccount).where(func.lower(LocalAccount.username) == username))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
        ok = account is not None and account.employee.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        session.add(LoginFailure(username=username, remote_addr=remote_addr))
        session.commit()
        raise Unauthenticated("Wrong username or password.", code="invalid_credentials")
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        session.commit()
    return account.employee
