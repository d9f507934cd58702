"""The tamper-evident punch ledger: a SHA-256 chain per employee.

Each punch hashes its own content together with the hash of the employee's previous punch,
so changing, deleting or reordering any row breaks every later link of that chain.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine.models import LedgerHead, Punch

GENESIS_HASH = "0" * 64

# The columns a punch's hash covers. Empty (None) values are left out of the hashed content,
# so a nullable column added later does not change the hash of rows written before it.
HASHED_FIELDS = (
    "employee_id", "direction", "source", "recorded_at", "client_time", "effective_at", "offline",
    "latitude", "longitude", "accuracy_m", "is_mock", "note", "address", "place_label",
    "location_kind", "site_id", "flags", "verification_required", "idempotency_key", "request_id",
    "device_id", "device_pin", "device_local_time", "verify_code", "verify_method",
)


def _canonical(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # A device wall clock (device_local_time) is naive on purpose: hash it as written,
            # never through the server's local zone.
            return value.isoformat(timespec="microseconds")
        # The same instant must hash the same whatever zone it was given in or read back in.
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, float):
        return repr(value)
    return value


def punch_hash(punch: Punch, prev_hash: str) -> str:
    """SHA-256 over the punch's content and the previous hash of the same chain."""
    content = {name: _canonical(value) for name in HASHED_FIELDS if (value := getattr(punch, name)) is not None}
    content["prev_hash"] = prev_hash
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class LockedHead:
    """An employee's ledger head, locked for this transaction, with what a new punch checks against."""

    employee_id: int
    last_hash: str
    # (latitude, longitude, effective_at) of the newest punch, when it has a position.
    last_position: tuple[float, float, datetime] | None
    # The punch already stored under the idempotency key asked about, if any.
    existing_id: int | None


def _ensure_head_row(session: Session, employee_id: int) -> None:
    """Create the employee's head row if missing; two first punches racing here both succeed."""
    dialect = session.get_bind().dialect.name
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(make_insert(LedgerHead).values(employee_id=employee_id, last_hash=GENESIS_HASH)
                    .on_conflict_do_nothing(index_elements=["employee_id"]))


def lock_ledger_head(*, session: Session, employee_id: int, idempotency_key: str | None = None) -> LockedHead:
    """Lock the employee's chain (FOR UPDATE on PostgreSQL), in one query that also returns the newest
    punch's position and the id of a punch already stored under `idempotency_key`.

    Locking first serialises two punches of one employee, so neither forks the chain and a retry
    racing its original always finds it.
    """
    params = {"employee": employee_id, "key": idempotency_key}
    connection = session.connection()
    row = connection.execute(_LOCK_HEAD, params).first()
    if row is None:
        _ensure_head_row(session, employee_id)
        row = connection.execute(_LOCK_HEAD, params).one()
    position = (row.latitude, row.longitude, row.effective_at) if row.latitude is not None else None
    return LockedHead(employee_id, row.last_hash, position, row.existing_id)


def _with_column_defaults(punch: Punch) -> None:
    """Fill unset columns with their defaults now, so the hash covers what the row will hold."""
    for column in Punch.__table__.columns:
        default = column.default
        if getattr(punch, column.key) is None and default is not None and not column.primary_key:
            value = default.arg
            setattr(punch, column.key, value({}) if callable(value) else value)


def append_punch(*, session: Session, punch: Punch, head: LockedHead | None = None) -> Punch:
    """Chain `punch` after the employee's newest punch and insert it; `punch.id` is set on return.

    Pass the `head` from `lock_ledger_head` when the caller locked it already; otherwise it is
    locked here, so two punches of one employee arriving at once never fork the chain. The row is
    written and the head moved by one statement on PostgreSQL (two elsewhere): the hot path of every punch.
    """
    if head is None:
        head = lock_ledger_head(session=session, employee_id=punch.employee_id)
    _with_column_defaults(punch)
    punch.prev_hash = head.last_hash
    punch.content_hash = punch_hash(punch, head.last_hash)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One round trip: the insert runs as a CTE whose new id moves the head in the same statement.
        params = {f"new_{c.key}": getattr(punch, c.key) for c in _PUNCH_COLUMNS}
        params.update(employee=punch.employee_id, hash=punch.content_hash)
        punch.id = connection.execute(_INSERT_AND_MOVE_HEAD, params).scalar_one()
        return punch
    punch.id = connection.execute(_INSERT_PUNCH, {c.key: getattr(punch, c.key) for c in _PUNCH_COLUMNS}).scalar_one()
    connection.execute(_MOVE_HEAD, {"employee": punch.employee_id, "punch": punch.id, "hash": punch.content_hash})
    return punch


# Built once: plain Core statements with bound parameters compile once and are reused from the cache.
_heads, _punches, _keyed = LedgerHead.__table__, Punch.__table__, Punch.__table__.alias("keyed")
_LOCK_HEAD = (
    select(_heads.c.last_hash, _punches.c.latitude, _punches.c.longitude, _punches.c.effective_at,
           select(_keyed.c.id).where(_keyed.c.employee_id == bindparam("employee"),
                                     _keyed.c.idempotency_key == bindparam("key"))
           .scalar_subquery().label("existing_id"))
    .select_from(_heads.outerjoin(_punches, _punches.c.id == _heads.c.last_punch_id))
    .where(_heads.c.employee_id == bindparam("employee"))
    .with_for_update(of=_heads)
)
_PUNCH_COLUMNS = [c for c in Punch.__table__.columns if c.key != "id"]
_INSERT_PUNCH = insert(Punch.__table__).returning(Punch.__table__.c.id)
_MOVE_HEAD = (update(LedgerHead.__table__)
              .where(LedgerHead.__table__.c.employee_id == bindparam("employee"))
              .values(last_punch_id=bindparam("punch"), last_hash=bindparam("hash")))
# Parameters prefixed: SQLAlchemy reserves bare column names for the outer UPDATE's SET clause.
_NEW_PUNCH = (insert(_punches).values({c.key: bindparam(f"new_{c.key}") for c in _PUNCH_COLUMNS})
              .returning(_punches.c.id).cte("new_punch"))
_INSERT_AND_MOVE_HEAD = (update(_heads)
                         .where(_heads.c.employee_id == bindparam("employee"))
                         .values(last_punch_id=select(_NEW_PUNCH.c.id).scalar_subquery(),
                                 last_hash=bindparam("hash"))
                         .returning(_heads.c.last_punch_id))


def _reserved_ids(session: Session, count: int) -> list[int]:
    """`count` ascending punch ids from the sequence in one query on PostgreSQL; none elsewhere.

    With the ids known the rows go in as one executemany of a short statement, instead of a
    multi-row INSERT … RETURNING whose long text the driver parses again for every batch.
    """
    if session.get_bind().dialect.name != "postgresql":
        return []
    return sorted(session.scalars(
        text("SELECT nextval(pg_get_serial_sequence('punches', 'id')) FROM generate_series(1, :n)"), {"n": count}))


def append_punches(*, session: Session, punches: list[Punch]) -> list[Punch]:
    """Chain many punches, of any employees, as `append_punch` would one by one in list order.

    For batch uploads (a face terminal posts 100 punches at a time): every head of the batch is
    locked in one query, in employee-id order so concurrent batches cannot deadlock, and the rows
    are inserted in rounds holding at most one punch per employee, so ids grow along every chain.
    """
    employee_ids = sorted({punch.employee_id for punch in punches})
    if not employee_ids:
        return []
    lock_heads = (select(LedgerHead).where(LedgerHead.employee_id.in_(employee_ids))
                  .order_by(LedgerHead.employee_id).with_for_update())
    heads = {head.employee_id: head for head in session.scalars(lock_heads)}
    if len(heads) < len(employee_ids):
        for employee_id in set(employee_ids) - set(heads):
            _ensure_head_row(session, employee_id)
        heads = {head.employee_id: head for head in session.scalars(lock_heads)}
    for punch in punches:
        _with_column_defaults(punch)
    rounds: list[list[Punch]] = []
    taken: dict[int, int] = {}
    for punch in punches:
        position = taken.get(punch.employee_id, 0)
        taken[punch.employee_id] = position + 1
        if position == len(rounds):
            rounds.append([])
        rounds[position].append(punch)
    last_hash = {employee_id: head.last_hash for employee_id, head in heads.items()}
    ids = iter(_reserved_ids(session, len(punches)))
    for round_ in rounds:
        for punch in round_:
            punch.id = next(ids, None)
            punch.prev_hash = last_hash[punch.employee_id]
            punch.content_hash = last_hash[punch.employee_id] = punch_hash(punch, punch.prev_hash)
        session.add_all(round_)
        session.flush()
    for punch in punches:  # heads move once, after every round is in (one UPDATE per head)
        heads[punch.employee_id].last_punch_id = punch.id
        heads[punch.employee_id].last_hash = punch.content_hash
    return punches


@dataclass(frozen=True)
class BrokenLink:
    employee_id: int
    punch_id: int
    reason: str


def _chain(session: Session, employee_id: int) -> Iterator[Punch]:
    yield from session.scalars(
        select(Punch).where(Punch.employee_id == employee_id).order_by(Punch.id).execution_options(yield_per=1000)
    )


def verify_chains(*, session: Session) -> tuple[int, list[BrokenLink]]:
    """Check every employee's chain; returns (punches checked, the first broken link of each chain)."""
    checked = 0
    broken: list[BrokenLink] = []
    heads = {h.employee_id: h for h in session.scalars(select(LedgerHead))}
    employee_ids = session.scalars(select(Punch.employee_id).distinct().order_by(Punch.employee_id)).all()
    for employee_id in employee_ids:
        prev = GENESIS_HASH
        last_id = None
        for punch in _chain(session, employee_id):
            checked += 1
            if punch.prev_hash != prev:
                broken.append(BrokenLink(employee_id, punch.id, "previous-hash link does not match the punch before it"))
                break
            if punch_hash(punch, prev) != punch.content_hash:
                broken.append(BrokenLink(employee_id, punch.id, "content does not match its hash (row was altered)"))
                break
            prev, last_id = punch.content_hash, punch.id
        else:
            head = heads.get(employee_id)
            if head is None or head.last_hash != prev or head.last_punch_id != last_id:
                broken.append(BrokenLink(employee_id, last_id or 0, "chain end does not match the ledger head "
                                                                 "(a newer punch was deleted)"))
    return checked, broken
