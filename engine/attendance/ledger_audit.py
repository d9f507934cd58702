"""Checking the ledger (`opsta audit verify`): every punch of every chain, with true counts.

Each punch is checked on its own two links: its `prev_hash` is the stored hash of the punch before
it in the chain (genesis for the first), and its `content_hash` is its content chained after that
(`ledger_hash.hash_matches`, by the punch's hash format). A break does not stop the check, so one
altered row is one break and every later punch of the chain is still checked. Finally the chain's
end must be where the ledger head says (a deleted newest punch leaves the head pointing past it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.attendance.ledger import GENESIS_HASH
from engine.attendance.ledger_hash import hash_matches
from engine.models import LedgerHead, Punch


@dataclass(frozen=True)
class BrokenLink:
    employee_id: int
    punch_id: int
    reason: str


@dataclass
class LedgerAudit:
    """What a check of the whole ledger found."""

    chains: int = 0
    punches: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def broken_chains(self) -> int:
        return len({link.employee_id for link in self.broken})

    @property
    def ok(self) -> bool:
        return not self.broken


def _chain(session: Session, employee_id: int) -> Iterator[Punch]:
    yield from session.scalars(
        select(Punch).where(Punch.employee_id == employee_id).order_by(Punch.id).execution_options(yield_per=1000)
    )


def verify_chains(*, session: Session) -> LedgerAudit:
    """Check every punch of every employee's chain and every ledger head (reads only)."""
    audit = LedgerAudit()
    heads = {h.employee_id: h for h in session.scalars(select(LedgerHead))}
    employee_ids = session.scalars(select(Punch.employee_id).distinct().order_by(Punch.employee_id)).all()
    for employee_id in employee_ids:
        audit.chains += 1
        prev, last_id = GENESIS_HASH, None
        for punch in _chain(session, employee_id):
            audit.punches += 1
            if punch.prev_hash != prev:
                audit.broken.append(BrokenLink(employee_id, punch.id,
                                               "previous-hash link does not match the punch before it "
                                               "(a punch was removed or reordered)"))
            if not hash_matches(punch, punch.prev_hash):
                audit.broken.append(BrokenLink(employee_id, punch.id, "content does not match its hash (row was altered)"))
            prev, last_id = punch.content_hash, punch.id
        head = heads.get(employee_id)
        if head is None or head.last_hash != prev or head.last_punch_id != last_id:
            audit.broken.append(BrokenLink(employee_id, last_id or 0, "chain end does not match the ledger head "
                                                                     "(a newer punch was deleted)"))
    with_punches = set(employee_ids)
    for employee_id, head in heads.items():  # a head whose every punch is gone
        if employee_id not in with_punches and head.last_punch_id is not None:
            audit.chains += 1
            audit.broken.append(BrokenLink(employee_id, head.last_punch_id,
                                           "the ledger head points at punches that are gone"))
    return audit
