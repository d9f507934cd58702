"""Local sign-in: argon2 password checks behind the throttle, and account creation."""
from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.revocation import end_all_sign_ins
from engine.accounts.throttle import (ThrottleKey, account_rule, address_rule, claim, clear, count_failure, gate,
                                      release)
from engine.config import Settings
from engine.directory.service import get_employee_by_code
from engine.errors import NotFound, RateLimited, Unauthenticated
from engine.models import Employee, LocalAccount, LoginAttempt

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
# Checked against when the username is unknown, so a miss costs as much as a wrong password
# and response times do not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


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
    """Create or reset the local account of `employee` (no commit); a reset ends their sessions and app
    tokens and clears the throttle on the account name."""
    account = session.scalar(select(LocalAccount).where(LocalAccount.employee_id == employee.id))
    if account is None:
        account = LocalAccount(employee_id=employee.id, username=username, password_hash=hash_password(password))
        session.add(account)
    else:
        account.username = username
        account.password_hash = hash_password(password)
        # A new password ends what the old one opened.
        end_all_sign_ins(session=session, employee_id=employee.id, reason="password_changed")
    clear(session=session, scope="account", key=username.strip().lower())
    session.flush()
    return account


@dataclass(frozen=True)
class LocalSignIn:
    """Who signed in, and the device id their browser or app is trusted under from now on."""

    employee: Employee
    device_id: str


def _throttle_keys(settings: Settings, username: str, remote_addr: str, trusted_device: str | None):
    # A device that signed in to this account before is throttled on its own: strangers guessing the
    # account's password, from one address or from many, never slow down its owner's own browser.
    if trusted_device:
        return [ThrottleKey("device", trusted_device, account_rule(settings))]
    keys = [ThrottleKey("address", remote_addr, address_rule(settings))] if remote_addr else []
    return keys + [ThrottleKey("account", username, account_rule(settings))]


def authenticate_local(*, session: Session, settings: Settings, username: str, password: str,
                       remote_addr: str = "", trusted_device: str | None = None) -> LocalSignIn:
    """The active employee behind `username`/`password`, or raise `invalid_credentials` or `rate_limited`.

    `trusted_device` is the id of a device that signed in as `username` before (the caller has
    checked that); it is throttled on its own instead of by account and address. Every checked
    attempt is logged, in the log and in `login_attempts`. Commits.
    """
    username = username.strip().lower()
    keys = _throttle_keys(settings, username, remote_addr, trusted_device)
    claimed: list[ThrottleKey] = []
    for key in keys:
        wait = claim(session=session, key=key) if key.counted_in_advance else gate(session=session, key=key)
        if wait is not None:
            for earlier in claimed:
                release(session=session, key=earlier)
            session.commit()
            log.warning("sign-in throttled: %r from %s (%s), next check in %.1f s", username, remote_addr or "?",
                        key.scope, wait)
            raise RateLimited("Too many failed sign-ins. Wait a moment, then try again.",
                              headers={"Retry-After": str(max(1, math.ceil(wait)))},
                              retry_after_seconds=round(wait, 1))
        if key.counted_in_advance:
            claimed.append(key)
    session.commit()  # the attempt counts before the password is checked: see engine.accounts.throttle
    account = session.scalar(select(LocalAccount).where(func.lower(LocalAccount.username) == username))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
        ok = account is not None and account.employee.active
    except (VerificationError, InvalidHashError):
        ok = False
    session.add(LoginAttempt(username=username[:64], remote_addr=remote_addr[:64], succeeded=ok,
                             trusted_device=trusted_device is not None))
    if not ok:
        for key in keys:
            if not key.counted_in_advance:
                count_failure(session=session, key=key)
        session.commit()
        log.warning("sign-in failed: %r from %s", username, remote_addr or "?")
        raise Unauthenticated("Wrong username or password.", code="invalid_credentials")
    for key in claimed:
        clear(session=session, scope=key.scope, key=key.key)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    session.commit()
    log.info("sign-in: %r from %s", username, remote_addr or "?")
    return LocalSignIn(account.employee, trusted_device or secrets.token_urlsafe(16))
