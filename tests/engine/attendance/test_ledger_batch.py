"""Batch appends (`append_punches`, a terminal's upload): chains as one-by-one appends would make them, or nothing."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engine.attendance.ledger import NewPunch, append_punch, append_punches
from engine.attendance.ledger_audit import verify_chains
from engine.models import LedgerHead, Punch
from tests.support.terminals import make_terminal

NOW = datetime(2026, 9, 1, 10, 0, tzinfo=timezone.utc)


def terminal_punch(employee_id: int, minute: int, *, device_id: int | None = None, kind=NewPunch):
    """A terminal punch as a batch gets it (`kind=Punch` for a one-by-one append)."""
    return kind(employee_id=employee_id, direction="in" if minute % 2 == 0 else "out", source="face_terminal",
               recorded_at=NOW, effective_at=NOW - timedelta(hours=3) + timedelta(minutes=minute),
               place_label="Front door", location_kind="office", flags=["clock_skew"] if minute == 3 else [],
               device_id=device_id, device_pin=str(employee_id), device_local_time=datetime(2026, 9, 1, 14, minute),
               verify_code=15, verify_method="face")


def test_interleaved_employees_chain_in_list_order_after_their_earlier_punches(db_session, add_employee):
    first, second = add_employee("2001").id, add_employee("2002").id
    earlier = append_punch(session=db_session, punch=terminal_punch(first, 0, kind=Punch))
    batch = [terminal_punch(first, 1), terminal_punch(second, 1), terminal_punch(second, 2),
             terminal_punch(first, 2), terminal_punch(first, 3)]

    append_punches(session=db_session, punches=batch)
    db_session.commit()

    chains = {employee: list(db_session.scalars(select(Punch).where(Punch.employee_id == employee).order_by(Punch.id)))
              for employee in (first, second)}
    assert [p.id for p in chains[first]] == [earlier.id, batch[0].id, batch[3].id, batch[4].id]
    assert [p.id for p in chains[second]] == [batch[1].id, batch[2].id]
    assert chains[first][1].prev_hash == earlier.content_hash
    assert chains[first][-1].flags == ["clock_skew"]
    heads = {h.employee_id: h for h in db_session.scalars(select(LedgerHead))}
    assert (heads[first].last_punch_id, heads[second].last_punch_id) == (batch[4].id, batch[2].id)
    audit = verify_chains(session=db_session)
    assert (audit.ok, audit.punches) == (True, 6)


def test_a_batch_with_one_row_refused_stores_none_of_it(db_session, add_employee):
    employee = add_employee("2003").id
    device = make_terminal(db_session, sn="BAT001", name="Front door").id
    append_punches(session=db_session, punches=[terminal_punch(employee, 0, device_id=device)])
    db_session.commit()

    # The same wall clock again on the same PIN (a resend raced past the duplicate check): the unique key refuses it.
    with pytest.raises(IntegrityError):
        append_punches(session=db_session, punches=[terminal_punch(employee, 1, device_id=device),
                                                          terminal_punch(employee, 0, device_id=device)])
    db_session.rollback()

    assert db_session.scalar(select(func.count(Punch.id))) == 1
    assert verify_chains(session=db_session).ok
