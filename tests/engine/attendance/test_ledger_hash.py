"""The ledger hashes one canonical encoding of every value, and punches hashed by the old rule still verify."""
import hashlib
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from engine.attendance.ledger import GENESIS_HASH, append_punch
from engine.attendance.ledger_audit import verify_chains
from engine.migrate import upgrade_database
from engine.models import Punch

BANGKOK = timezone(timedelta(hours=7))


def phone_punch(employee_id, **values):
    base = dict(employee_id=employee_id, direction="in", source="gps", recorded_at=datetime(2026, 9, 1, 1, 40,
                tzinfo=timezone.utc), effective_at=datetime(2026, 9, 1, 1, 40, tzinfo=timezone.utc), offline=False,
                latitude=13.862, longitude=100.5125, accuracy_m=8.0, is_mock=False, note="", address="",
                place_label="MOC-OPS", location_kind="office", flags=[], verification_required=False)
    return Punch(**{**base, **values})


@pytest.mark.parametrize("given", [
    {"accuracy_m": 8}, {"accuracy_m": Decimal("8")}, {"latitude": Decimal("13.862")}, {"accuracy_m": -0.0},
    {"effective_at": datetime(2026, 9, 1, 8, 40, tzinfo=BANGKOK), "recorded_at": datetime(2026, 9, 1, 8, 40, tzinfo=BANGKOK)},
    {"note": "ที่ทำงาน\u0e48\u0e38"},  # a tone mark typed before the vowel below: NFC puts it after
    {"verification_required": 0, "is_mock": 0},
], ids=["int accuracy", "decimal accuracy", "decimal latitude", "negative zero", "bangkok times", "thai marks",
        "ints for booleans"])
def test_whatever_the_caller_passes_the_chain_verifies(db_session, add_employee, given):
    employee = add_employee("1001")
    append_punch(session=db_session, punch=phone_punch(employee.id, **given))
    append_punch(session=db_session, punch=phone_punch(employee.id, direction="out"))
    db_session.commit()
    db_session.expire_all()  # check what the database hands back, not the objects written
    audit = verify_chains(session=db_session)
    assert (audit.chains, audit.punches, audit.broken) == (1, 2, [])


def test_the_same_values_given_differently_hash_the_same(db_session, add_employee):
    first, second = add_employee("1001"), add_employee("1002")
    a = append_punch(session=db_session, punch=phone_punch(first.id, accuracy_m=8, note="ที่ทำงาน\u0e48\u0e38"))
    b = append_punch(session=db_session, punch=phone_punch(first.id + 0, accuracy_m=8.0, note="ที่ทำงาน\u0e38\u0e48"))
    assert a.accuracy_m == 8.0 and isinstance(a.accuracy_m, float) and a.note == b.note  # stored canonical too
    assert second.id != first.id


@pytest.mark.ledger_tampered
def test_every_punch_is_checked_and_each_break_counted(db_session, add_employee):
    employee, other = add_employee("1001"), add_employee("1002")
    ids = [append_punch(session=db_session, punch=phone_punch(employee.id, note=str(n))).id for n in range(5)]
    append_punch(session=db_session, punch=phone_punch(other.id))
    db_session.commit()
    db_session.execute(text("UPDATE punches SET note = 'x' WHERE id IN (:a, :b)"), {"a": ids[1], "b": ids[3]})
    db_session.commit()
    audit = verify_chains(session=db_session)
    assert (audit.chains, audit.punches, audit.broken_chains) == (2, 6, 1)
    assert [link.punch_id for link in audit.broken] == [ids[1], ids[3]]


def _old_rule_hash(values: dict, prev_hash: str) -> str:
    """The hash rule before issue 10, written out again here: values as given, floats with repr."""
    def old(value):
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
        return repr(value) if isinstance(value, float) else value
    content = {name: old(value) for name, value in values.items() if value is not None}
    content["prev_hash"] = prev_hash
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


def test_punches_stored_before_the_canonical_format_still_verify(tmp_path):
    """A database migrated up to 0007 holds two punches hashed by the old rule, one of them with the
    integer accuracy the old demo wrote; after the upgrade both verify, and new punches chain after them."""
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade_database(url, "0007")
    at = datetime(2026, 9, 1, 1, 40, tzinfo=timezone.utc)
    rows = [dict(employee_id=1, direction="in", source="gps", recorded_at=at, effective_at=at, offline=False,
                 latitude=13.8621, longitude=100.5126, accuracy_m=accuracy, is_mock=False, note="", address="",
                 place_label="MOC-OPS", location_kind="office", flags=[], verification_required=False)
            for accuracy in (8, 12.5)]
    engine = create_engine(url)
    prev = GENESIS_HASH
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employees (id, code, name_th, name_en, position_title, active, created_at, updated_at) "
                          "VALUES (1, '1001', 'ก', 'A', '', 1, '2026-01-01', '2026-01-01')"))
        for number, row in enumerate(rows, start=1):
            digest = _old_rule_hash(row, prev)
            conn.execute(text(
                "INSERT INTO punches (id, employee_id, direction, source, recorded_at, effective_at, offline, latitude, "
                "longitude, accuracy_m, is_mock, note, address, place_label, location_kind, flags, "
                "verification_required, prev_hash, content_hash) VALUES (:id, 1, 'in', 'gps', :at, :at, 0, :lat, :lon, "
                ":acc, 0, '', '', 'MOC-OPS', 'office', '[]', 0, :prev, :hash)"),
                {"id": number, "at": at.replace(tzinfo=None), "lat": row["latitude"], "lon": row["longitude"],
                 "acc": row["accuracy_m"], "prev": prev, "hash": digest})
            prev = digest
        conn.execute(text("INSERT INTO ledger_heads (employee_id, last_punch_id, last_hash) VALUES (1, 2, :h)"),
                     {"h": prev})
    engine.dispose()
    upgrade_database(url)
    from engine.db import make_engine, make_session_factory

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        assert [p.hash_format for p in session.query(Punch).order_by(Punch.id)] == [1, 1]
        append_punch(session=session, punch=phone_punch(1, direction="out"))
        session.commit()
        audit = verify_chains(session=session)
        assert (audit.chains, audit.punches, audit.broken) == (1, 3, [])
        assert session.get(Punch, 3).hash_format == 2
        session.execute(text("UPDATE punches SET accuracy_m = 9 WHERE id = 1"))  # the old rule still catches edits
        session.execute(text("UPDATE punches SET hash_format = 1 WHERE id = 3"))  # and the format cannot be switched
        session.commit()
        assert [link.punch_id for link in verify_chains(session=session).broken] == [1, 3]
    engine.dispose()
