"""`opsta reports judge-days` judges a period's days for everyone, and with --again judges them anew."""
from datetime import date

from click.testing import CliRunner
from sqlalchemy import func, select, update

from cli import main
from engine.models import AttendanceDay, Employee
from tests.engine.reports.conftest import june  # noqa: F401 (fixture)


def _run(database_url, *args):
    return CliRunner().invoke(main, ["reports", "judge-days", *args], env={"OPSTA_DATABASE_URL": database_url})


def test_judge_days_of_a_month(database_url, june, session_factory):  # noqa: F811
    with session_factory() as session:
        people = session.scalar(select(func.count()).select_from(Employee))
    result = _run(database_url, "--month", "2026-06")
    assert result.exit_code == 0, result.output
    assert f"judged {people * 30:,} employee-days from 2026-06-01 to 2026-06-30" in result.output
    assert "judged 0 employee-days" in _run(database_url, "--month", "2026-06").output
    # Rows judged by older rules (here: marked as such by hand) are judged anew with --again.
    with session_factory() as session:
        session.execute(update(AttendanceDay).values(status="absent"))
        session.commit()
    assert f"judged {people * 30:,}" in _run(database_url, "--month", "2026-06", "--again").output
    with session_factory() as session:
        assert session.scalar(select(AttendanceDay.status).where(AttendanceDay.day == date(2026, 6, 1),
                                                                 AttendanceDay.status != "absent").limit(1))


def test_a_period_ending_before_it_starts_is_refused(database_url, clean_db):
    result = _run(database_url, "--from", "2026-06-30", "--to", "2026-06-01")
    assert result.exit_code == 2
    assert "ends (2026-06-01) before it starts (2026-06-30)" in result.output
