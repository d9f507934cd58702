"""`opsta audit verify` finds a row changed or removed behind the API's back."""
from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from cli import main
from tests.support.punches import add_punch


def run_verify(database_url):
    return CliRunner().invoke(main, ["audit", "verify"], env={"OPSTA_DATABASE_URL": database_url})


def seed(session_factory):
    with session_factory() as s:
        for day in (1, 2, 3):
            add_punch(s, "100059150", datetime(2026, 9, day, 8, 40), "in")
            add_punch(s, "100059150", datetime(2026, 9, day, 16, 40), "out")
        add_punch(s, "100059151", datetime(2026, 9, 1, 8, 30), "in")


def test_intact_ledger_verifies(demo_org, session_factory, database_url):
    seed(session_factory)
    result = run_verify(database_url)
    assert result.exit_code == 0, result.output
    assert "ledger OK: 7 punches checked in 2 chains, no broken link" in result.output


@pytest.mark.ledger_tampered
def test_tampered_row_is_detected_at_its_first_broken_link(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        target = conn.execute(text("SELECT id FROM punches ORDER BY id LIMIT 1 OFFSET 2")).scalar_one()
        conn.execute(text("UPDATE punches SET place_label = 'HOME' WHERE id = :id"), {"id": target})
    result = run_verify(database_url)
    assert result.exit_code != 0
    assert f"punch_id={target}" in result.output and "altered" in result.output
    # Every punch is still checked after the break: the later punches of the chain are intact.
    assert "1 broken link(s) in 1 chain(s); 7 punches checked in 2 chains" in result.output


@pytest.mark.ledger_tampered
def test_deleted_row_is_detected(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        conn.execute(text("DELETE FROM punches WHERE id = (SELECT id FROM punches ORDER BY id LIMIT 1 OFFSET 1)"))
    result = run_verify(database_url)
    assert result.exit_code != 0 and "BROKEN" in result.output


@pytest.mark.ledger_tampered
def test_deleting_the_newest_punch_is_detected(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        conn.execute(text("UPDATE ledger_heads SET last_punch_id = NULL"))
        conn.execute(text("DELETE FROM punches WHERE id = (SELECT max(id) FROM punches)"))
    result = run_verify(database_url)
    assert result.exit_code != 0 and "ledger head" in result.output


def test_the_demo_ledger_verifies(session_factory, database_url, clean_db):
    """`opsta demo` then `opsta audit verify`, on whichever database this run uses (SQLite and PostgreSQL)."""
    seeded = CliRunner().invoke(main, ["demo"], env={"OPSTA_DATABASE_URL": database_url})
    assert seeded.exit_code == 0, seeded.output
    with session_factory() as session:
        punches = session.scalar(text("SELECT count(*) FROM punches"))
    result = run_verify(database_url)
    assert result.exit_code == 0, result.output
    assert f"ledger OK: {punches} punches checked in 5 chains, no broken link" in result.output
    assert punches > 100
