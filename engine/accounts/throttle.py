"""Growing delays between password checks, counted atomically per key.

A key is an account name, a client address or a trusted device. An attempt on an account or a
device first *claims* a check with one INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING
statement, which counts the attempt as a failure and sets when the next check may come; the claim
fails, with nothing counted, while an earlier failure's delay still runs. Because the count is
written before the password is checked, parallel guesses at one account cannot slip in between a
check and its count; a success then clears the key (`clear`).

A client address is only *gated* before the check and counted after a failure (`count_failure`,
the same single statement without the WHERE): an office behind one address signs in many people at
once, and their attempts in flight must not count against it. A parallel burst across many accounts
from one address can therefore overshoot the address's free failures by its parallelism once; each
account it tries is still held to its own count.

Delays, never lockouts: after the free failures each further failure doubles the wait, from the
base delay up to the maximum, and a quiet window forgets them all.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Float, bindparam, case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import LoginThrottle

_table = LoginThrottle.__table__


@dataclass(frozen=True)
class ThrottleRule:
    free_failures: int
    base_delay: float
    max_delay: float
    window: float

    def delay_after(self, failures: int) -> float:
        """Seconds to wait before the next check, after `failures` failures in a row."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (failures - self.free_failures))

    def counts_with_a_growing_delay(self) -> range:
        """The failure counts whose delay is still below the maximum (the rest wait the maximum)."""
        last = self.free_failures
        if self.base_delay <= 0:
            return range(last, last)
        while self.delay_after(last) < self.max_delay:
            last += 1
        return range(self.free_failures, last)


def account_rule(settings: Settings) -> ThrottleRule:
    """For an account name and for a trusted device."""
    return ThrottleRule(settings.login_free_failures, settings.login_base_delay_seconds,
                        settings.login_max_delay_seconds, settings.login_failure_window_seconds)


def address_rule(settings: Settings) -> ThrottleRule:
    """For a client address, whatever names it tries."""
    return ThrottleRule(settings.login_address_free_failures, settings.login_base_delay_seconds,
                        settings.login_max_delay_seconds, settings.login_failure_window_seconds)


@dataclass(frozen=True)
class ThrottleKey:
    scope: str  # "account", "address" or "device"
    key: str
    rule: ThrottleRule

    @property
    def counted_in_advance(self) -> bool:
        """Claimed before the check (accounts, devices), or gated and counted after it (addresses)."""
        return self.scope != "address"


@lru_cache(maxsize=32)
def _counting_statement(dialect: str, rule: ThrottleRule, gated: bool):
    """Count one failure on a key; `gated`: only if no delay runs, returning the count when it did."""
    now = bindparam("t_now", type_=Float)
    stale = _table.c.last_failure_at < now - rule.window
    upcoming = _table.c.failures + 1
    kept = _table.c.next_attempt_at

    def after(delay: float):
        # Without a delay the next check may come at once: leave the time alone, since a racing claim
        # whose clock read a moment earlier would otherwise find it in its future and be refused.
        return now + delay if delay > 0 else kept

    next_attempt_at = case(
        (stale, after(rule.delay_after(1))),
        (upcoming < rule.free_failures, kept),
        *((upcoming == n, after(rule.delay_after(n))) for n in rule.counts_with_a_growing_delay()),
        else_=after(rule.max_delay if rule.base_delay > 0 else 0.0),
    )
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    first_delay = rule.delay_after(1)
    first = make_insert(_table).values(scope=bindparam("t_scope"), key=bindparam("t_key"), failures=1,
                                       last_failure_at=now,
                                       next_attempt_at=now + first_delay if first_delay > 0 else 0.0)
    counted = {"failures": case((stale, 1), else_=upcoming), "last_failure_at": now,
               "next_attempt_at": next_attempt_at}
    if not gated:
        return first.on_conflict_do_update(index_elements=[_table.c.scope, _table.c.key], set_=counted)
    return first.on_conflict_do_update(index_elements=[_table.c.scope, _table.c.key], set_=counted,
                                       where=_table.c.next_attempt_at <= now).returning(_table.c.failures)


def claim(*, session: Session, key: ThrottleKey, now: float | None = None) -> float | None:
    """Count one attempt on `key` if a check is allowed now: None when it is, else the seconds to wait."""
    now = time.time() if now is None else now
    statement = _counting_statement(session.get_bind().dialect.name, key.rule, True)
    if session.execute(statement, {"t_scope": key.scope, "t_key": key.key, "t_now": now}).first() is not None:
        return None
    return gate(session=session, key=key, now=now) or 0.0


def gate(*, session: Session, key: ThrottleKey, now: float | None = None) -> float | None:
    """None when a check on `key` may come now, else the seconds to wait (nothing is counted)."""
    now = time.time() if now is None else now
    next_at = session.scalar(select(_table.c.next_attempt_at).where(_table.c.scope == key.scope,
                                                                   _table.c.key == key.key))
    return None if next_at is None or next_at <= now else next_at - now


def count_failure(*, session: Session, key: ThrottleKey, now: float | None = None) -> None:
    """Count a failed check on `key` (a gated key: counted after its check)."""
    now = time.time() if now is None else now
    statement = _counting_statement(session.get_bind().dialect.name, key.rule, False)
    session.execute(statement, {"t_scope": key.scope, "t_key": key.key, "t_now": now})


def clear(*, session: Session, scope: str, key: str) -> None:
    """Forget every failure of a key (a right password, or a reset by an admin)."""
    session.execute(update(_table).where(_table.c.scope == scope, _table.c.key == key)
                    .values(failures=0, next_attempt_at=0.0))


def purge_quiet_keys(*, session: Session, settings: Settings, now: float | None = None) -> int:
    """Delete keys whose failures the window has forgotten anyway (no commit)."""
    now = time.time() if now is None else now
    quiet = max(settings.login_failure_window_seconds, settings.login_max_delay_seconds)
    result = session.execute(_table.delete().where(_table.c.last_failure_at < now - quiet,
                                                   _table.c.next_attempt_at < now))
    return result.rowcount or 0


def release(*, session: Session, key: ThrottleKey) -> None:
    """Take back the count of a claimed attempt that was never checked (another key refused it)."""
    session.execute(update(_table).where(_table.c.scope == key.scope, _table.c.key == key.key,
                                         _table.c.failures > 0).values(failures=_table.c.failures - 1))
