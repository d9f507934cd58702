"""The tamper-evident punch ledger: a SHA-256 chain per employee.

Each punch hashes its own content together with the hash of the employee's previous punch,
so changing, deleting or reordering any row breaks every later link of that chain.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, make_dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from sqlalchemy import String, bindparam, cast, func, insert, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from engine.accounts.app_tokens import AppTokenClaims, live_token_clause
from engine.attendance.driver_statement import DriverStatement
from engine.attendance.ledger_hash import CANONICAL_HASH_FORMAT, normalise_punch, punch_hash
from engine.errors import Conflict
from engine.db import UTCDateTime
from engine.models import Employee, LedgerHead, Punch

GENESIS_HASH = "0" * 64


Position = tuple[float, float, datetime]


@dataclass(frozen=True)
class ChainEnd:
    """Where an employee's chain ended when read: what a new punch is chained after and checked against."""

    employee_active: bool
    last_hash: str
    # (latitude, longitude, effective_at) of the punches with a position just before and just after the
    # time asked about (`read_chain_end(at=…)`), by effective time; None without one, or when not asked.
    neighbours: tuple[Position | None, Position | None] = (None, None)
    # Whether the app token the punch came with still counts (not revoked, current epoch); True without one.
    token_live: bool = True


class UnknownEmployee(LookupError):
    """A punch for an employee id the directory does not have."""


class LedgerBusy(Conflict):
    """Other punches of the same employee kept getting in first; the caller may simply try again."""

    code = "punch_busy"


# Appends to one chain race only when one person's punches arrive together (a double tap, a retry
# racing its original, a phone flushing its offline queue in parallel). Every failed attempt means
# another of those punches got in, so N punches at once need at most N attempts each.
APPEND_ATTEMPTS = 32


def _ensure_head_row(connection: Connection, employee_id: int) -> None:
    """Create the employee's head row if missing; two first punches racing here both succeed."""
    make_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(make_insert(LedgerHead).values(employee_id=employee_id, last_hash=GENESIS_HASH)
                       .on_conflict_do_nothing(index_elements=["employee_id"]))


def read_chain_end(*, connection: Connection, employee_id: int, at: datetime | None = None,
                   token: AppTokenClaims | None = None) -> ChainEnd | None:
    """The end of the employee's chain, in one query that also returns whether the employee is active;
    with `at`, the positioned punches just before and just after that time (by effective time, so an
    offline punch synced late is compared with its neighbours in time, not with the newest); and with
    `token`, whether that app token still counts.

    None when there is no such employee. Nothing is locked: `append_after` only appends if the chain
    still ends here, so a punch that raced in between sends the caller back here. The token is
    checked here because this query runs anyway: a separate check would cost the punch a round trip.
    """
    params = {"employee": employee_id}
    if at is not None:
        params["at"] = at
    if token is not None:
        params.update(token.as_params())
    core, on_driver = _CHAIN_END_READS[(at is not None, token is not None)]
    if connection.dialect.name == "postgresql":
        row = on_driver.first(connection, params)
    else:
        row = connection.execute(core, params).first()
    if row is None:
        return None
    token_live = True
    if token is not None:
        token_live, row = bool(row[-1]), row[:-1]
    active, head_employee_id, last_hash, *around = row
    if head_employee_id is None:  # the employee's first punch ever
        _ensure_head_row(connection, employee_id)
    neighbours = (tuple(around[0:3]) if around and around[0] is not None else None,
                  tuple(around[3:6]) if around and around[3] is not None else None)
    return ChainEnd(active, last_hash or GENESIS_HASH, neighbours, token_live)


@contextmanager
def lone_append_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for a unit of work whose only write is one `append_after`; committed on success.

    On PostgreSQL the append is a single statement, atomic on its own, and so is the read before it:
    the connection runs in autocommit, which spares the BEGIN and COMMIT round trips (half of a phone
    punch's four) and the session machinery around them. On SQLite it is an ordinary transaction.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
    else:
        with engine.begin() as connection:
            yield connection


def _with_column_defaults(punch: Punch) -> None:
    """Fill unset columns with their defaults and make every hashed value canonical now, so the hash
    covers exactly what the row will hold and what the database hands back."""
    for key, default in _COLUMN_DEFAULTS:
        if getattr(punch, key) is None:
            setattr(punch, key, default({}) if callable(default) else default)
    normalise_punch(punch)
    punch.hash_format = CANONICAL_HASH_FORMAT


def append_after(*, connection: Connection, punch: Punch, end: ChainEnd) -> bool:
    """Chain `punch` after `end` and insert it, if the chain still ends there; `punch.id` is set then.

    False, with nothing written, when another punch of the employee got in since `end` was read:
    read the end again and rebuild the punch. The check and the write are one compare-and-swap on the
    ledger head: a single statement on PostgreSQL, so no two punches ever fork a chain.
    """
    _with_column_defaults(punch)
    punch.prev_hash = end.last_hash
    punch.content_hash = punch_hash(punch, end.last_hash)
    if connection.dialect.name == "postgresql":
        params = {f"new_{c.key}": getattr(punch, c.key) for c in _PUNCH_COLUMNS}
        params["new_flags"] = json.dumps(punch.flags)  # the driver takes JSON as text; the SQL casts it
        row = _APPEND_IF_HEAD_UNMOVED.first(connection, params)
        punch.id = row[0] if row else None
        return punch.id is not None
    # SQLite runs one writer at a time: once the head moved here, nothing else writes until commit.
    moved = {"employee": punch.employee_id, "prev_hash": end.last_hash, "hash": punch.content_hash}
    if connection.execute(_MOVE_HEAD_HASH, moved).rowcount == 0:
        return False
    punch.id = connection.execute(_INSERT_PUNCH, {c.key: getattr(punch, c.key) for c in _PUNCH_COLUMNS}).scalar_one()
    connection.execute(_POINT_HEAD_AT, {"employee": punch.employee_id, "punch": punch.id})
    return True


def append_built(*, connection: Connection, employee_id: int, build: Callable[[ChainEnd], Punch],
                 at: datetime | None = None, token: AppTokenClaims | None = None) -> Punch:
    """Append the punch `build` makes for the end of the employee's chain; `punch.id` is set on return.

    With `at` (the punch's effective time) the end carries the positioned punches around that time.
    When another punch of the employee gets in first, the end is read again and the punch rebuilt
    (its content may depend on the punches around it, as the phone punch's travel check does).
    With `token`, the end also says whether that app token still counts (`ChainEnd.token_live`).
    """
    for _ in range(APPEND_ATTEMPTS):
        end = read_chain_end(connection=connection, employee_id=employee_id, at=at, token=token)
        if end is None:
            raise UnknownEmployee(f"no employee with id {employee_id}")
        punch = build(end)
        if append_after(connection=connection, punch=punch, end=end):
            return punch
    raise LedgerBusy("Other punches of the same employee kept arriving at the same moment. Send this one again.")


def append_punch(*, session: Session, punch: Punch) -> Punch:
    """Chain `punch` after the employee's newest punch and insert it, in the session's transaction;
    `punch.id` is set on return. For punches whose content does not depend on the punch before them.
    """
    return append_built(connection=session.connection(), employee_id=punch.employee_id, build=lambda _end: punch)


# Built once: plain Core statements with bound parameters compile once and are reused from the cache.
_employees, _heads, _punches = Employee.__table__, LedgerHead.__table__, Punch.__table__
_READ_CHAIN_END = (
    select(_employees.c.active, _heads.c.employee_id.label("head_employee_id"), _heads.c.last_hash)
    .select_from(_employees.outerjoin(_heads, _heads.c.employee_id == _employees.c.id))
    .where(_employees.c.id == bindparam("employee"))
)


def _neighbour_id(later: bool):
    """The id of the employee's positioned punch just after (or at/just before) `:at`, by effective time;
    read along ix_punches_employee_effective."""
    when = _punches.c.effective_at > bindparam("at", type_=UTCDateTime) if later else \
        _punches.c.effective_at <= bindparam("at", type_=UTCDateTime)
    order = (_punches.c.effective_at.asc(), _punches.c.id.asc()) if later else \
        (_punches.c.effective_at.desc(), _punches.c.id.desc())
    return (select(_punches.c.id).where(_punches.c.employee_id == bindparam("employee"),
                                        _punches.c.latitude.is_not(None), when)
            .order_by(*order).limit(1).scalar_subquery())


_before, _after = _punches.alias("before"), _punches.alias("after")
_READ_CHAIN_END_AROUND = (
    select(_employees.c.active, _heads.c.employee_id.label("head_employee_id"), _heads.c.last_hash,
           _before.c.latitude, _before.c.longitude, _before.c.effective_at,
           _after.c.latitude, _after.c.longitude, _after.c.effective_at)
    .select_from(_employees.outerjoin(_heads, _heads.c.employee_id == _employees.c.id)
                 .outerjoin(_before, _before.c.id == _neighbour_id(later=False))
                 .outerjoin(_after, _after.c.id == _neighbour_id(later=True)))
    .where(_employees.c.id == bindparam("employee"))
)
_PUNCH_COLUMNS = [c for c in _punches.columns if c.key != "id"]
_COLUMN_DEFAULTS = [(c.key, c.default.arg) for c in _PUNCH_COLUMNS if c.default is not None]
# A punch for `append_punches`: every column of `punches` as a plain attribute (None until set), nothing else.
# A batch reads and writes each punch's columns about a hundred times (defaults, canonical values, hash, row);
# on a mapped `Punch` every one of those goes through the ORM's instrumentation, most of a batch's CPU.
NewPunch = make_dataclass("NewPunch", [("id", Any, None), *((c.key, Any, None) for c in _PUNCH_COLUMNS)],
                          kw_only=True, slots=True)
_INSERT_PUNCH = insert(_punches).returning(_punches.c.id)
_MOVE_HEAD_HASH = (update(_heads)
                   .where(_heads.c.employee_id == bindparam("employee"), _heads.c.last_hash == bindparam("prev_hash"))
                   .values(last_hash=bindparam("hash")))
_POINT_HEAD_AT = (update(_heads).where(_heads.c.employee_id == bindparam("employee"))
                  .values(last_punch_id=bindparam("punch")))
_TOUCH_HEADS = (update(_heads).where(_heads.c.employee_id.in_(bindparam("employees", expanding=True)))
                .values(last_hash=_heads.c.last_hash))
# PostgreSQL: move the head only if it still holds the hash read before (a concurrent mover makes the
# WHERE fail once its transaction commits), and insert the punch only for a head that moved. The
# punch's id comes from its sequence first, so the head can point at it in the same statement.
_new_id = select(func.nextval(func.pg_get_serial_sequence("punches", "id")).label("id")).cte("new_id")
# Parameters prefixed: SQLAlchemy reserves bare column names for the UPDATE's SET clause. The head
# is matched and moved with the punch's own employee_id, prev_hash and content_hash parameters.
_moved = (update(_heads)
          .where(_heads.c.employee_id == bindparam("new_employee_id"), _heads.c.last_hash == bindparam("new_prev_hash"))
          .values(last_punch_id=select(_new_id.c.id).scalar_subquery(), last_hash=bindparam("new_content_hash"))
          .returning(_heads.c.last_punch_id).cte("moved"))
_APPEND_IF_HEAD_UNMOVED = DriverStatement(
    insert(_punches)
    .from_select(["id", *(c.key for c in _PUNCH_COLUMNS)],
                 select(_moved.c.last_punch_id, *(bindparam(f"new_{c.key}", type_=c.type) for c in _PUNCH_COLUMNS)))
    .returning(_punches.c.id)
)
# On PostgreSQL both statements of a phone punch skip SQLAlchemy's per-execution work (see DriverStatement).
_TOKEN_LIVE = live_token_clause(_employees).label("token_live")
# (with neighbours around `:at`, with the token check) -> the statement, as Core and on the driver.
_CHAIN_END_READS = {
    (around, token): (statement, DriverStatement(statement))
    for around, token, statement in (
        (False, False, _READ_CHAIN_END), (True, False, _READ_CHAIN_END_AROUND),
        (False, True, _READ_CHAIN_END.add_columns(_TOKEN_LIVE)),
        (True, True, _READ_CHAIN_END_AROUND.add_columns(_TOKEN_LIVE)))
}


def _reserved_ids(session: Session, count: int) -> list[int]:
    """`count` ascending punch ids from the sequence in one query (PostgreSQL)."""
    return sorted(session.scalars(
        text("SELECT nextval(pg_get_serial_sequence('punches', 'id')) FROM generate_series(1, :n)"), {"n": count}))


def _insert_in_order(session: Session, punches: list[NewPunch | Punch]) -> None:
    """Insert the chained punches in list order, each row exactly as hashed; `punch.id` is set.

    PostgreSQL: ids reserved ascending, then every row in one statement (`_INSERT_BATCH`), so the
    statement's triggers run once and the rows cost no per-row round trip or ORM bookkeeping. SQLite
    (in process, one writer): one INSERT per row, whose id comes back in the order written.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for punch, id_ in zip(punches, _reserved_ids(session, len(punches))):
            punch.id = id_
        params = {f"new_{key}": [getattr(p, key) for p in punches] for key in ("id", *_BATCH_KEYS)}
        params["new_flags"] = [json.dumps(p.flags) for p in punches]  # text, cast to JSON by the SQL
        inserted = _INSERT_BATCH.first(connection, params)[0]
        if inserted != len(punches):  # cannot happen short of a broken statement; never commit half a batch
            raise RuntimeError(f"{inserted} of {len(punches)} punches inserted")
        return
    for punch in punches:
        punch.id = connection.execute(_INSERT_PUNCH, {c.key: getattr(punch, c.key) for c in _PUNCH_COLUMNS}).scalar_one()


def append_punches(*, session: Session, punches: list[NewPunch | Punch]) -> list[NewPunch | Punch]:
    """Chain many punches, of any employees, as `append_punch` would one by one in list order; each
    `punch.id` is set on return (the rows are inserted as they are, not added to the session).

    For batch uploads (a face terminal posts 100 punches at a time): every head of the batch is
    locked in one query, in employee-id order so concurrent batches cannot deadlock; the rows are
    inserted in list order with ascending ids, so ids grow along every chain, and the heads move once.
    """
    employee_ids = sorted({punch.employee_id for punch in punches})
    if not employee_ids:
        return []
    if session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE, and its transaction only takes the one writer lock at the first write:
        # write first (a no-op on the heads), so a concurrent batch waits before it reads any head.
        session.connection().execute(_TOUCH_HEADS, {"employees": employee_ids})
    lock_heads = (select(LedgerHead).where(LedgerHead.employee_id.in_(employee_ids))
                  .order_by(LedgerHead.employee_id).with_for_update())
    heads = {head.employee_id: head for head in session.scalars(lock_heads)}
    if len(heads) < len(employee_ids):
        for employee_id in set(employee_ids) - set(heads):
            _ensure_head_row(session.connection(), employee_id)
        heads = {head.employee_id: head for head in session.scalars(lock_heads)}
    last_hash = {employee_id: head.last_hash for employee_id, head in heads.items()}
    for punch in punches:
        _with_column_defaults(punch)
        punch.prev_hash = last_hash[punch.employee_id]
        punch.content_hash = last_hash[punch.employee_id] = punch_hash(punch, punch.prev_hash)
    _insert_in_order(session, punches)
    for punch in punches:  # heads move once, after every row is in (one UPDATE per head, at the flush)
        heads[punch.employee_id].last_punch_id = punch.id
        heads[punch.employee_id].last_hash = punch.content_hash
    return punches


# PostgreSQL: a batch as one INSERT … SELECT FROM unnest(one array per column), a short text that compiles
# once whatever the batch size (a multi-row VALUES would be a new, long statement for every batch).
_BATCH_KEYS = [c.key for c in _PUNCH_COLUMNS]


def _array_of(column) -> ARRAY:
    # Strings go in as VARCHAR[] without a length: a cast to VARCHAR(n) would cut an overlong value
    # silently (and break its hash), where the insert into the column refuses it.
    return ARRAY(String() if isinstance(column.type, String) else column.type)


_batch_rows = select(literal_column("*")).select_from(func.unnest(
    *(cast(bindparam(f"new_{c.key}"), _array_of(c)) for c in [_punches.c.id, *_PUNCH_COLUMNS])).alias("batch"))
_inserted = (insert(_punches).from_select(["id", *_BATCH_KEYS], _batch_rows)
             .returning(_punches.c.id).cte("inserted"))
_INSERT_BATCH = DriverStatement(select(func.count()).select_from(_inserted))
