"""`opsta audit verify` finds a row changed or removed behind the API's back."""
from datetime import datetime

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
    assert "ledger OK: 7 punches" in result.output


def test_tampered_row_is_detected_at_its_first_broken_link(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        target = conn.execute(text("SELECT id FROM punches ORDER BY id LIMIT 1 OFFSET 2")).scalar_one()
        conn.execute(text("UPDATE punches SET place_label = 'HOME' WHERE id = :id"), {"id": target})
    result = run_verify(database_url)
    assert result.exit_code != 0
    assert f"punch_id={target}" in result.output and "altered" in result.output
    assert "1 broken chain" in result.output


def test_deleted_row_is_detected(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        conn.execute(text("DELETE FROM punches WHERE id = (SELECT id FROM punches ORDER BY id LIMIT 1 OFFSET 1)"))
    result = run_verify(database_url)
    assert result.exit_code != 0 and "BROKEN" in result.output


def test_deleting_the_newest_punch_is_detected(demo_org, session_factory, db_engine, database_url):
    seed(session_factory)
    with db_engine.begin() as conn:
        conn.execute(text("UPDATE ledger_heads SET last_punch_id = NULL"))
        conn.execute(text("DELETE FROM punches WHERE id = (SELECT max(id) FROM punches)"))
    result = run_verify(database_url)
    assert result.exit_code != 0 and "ledger head" in result.output
