"""The `opsta import employees` click command, run with a real session factory."""
from __future__ import annotations

from types import SimpleNamespace

from click.testing import CliRunner
from sqlalchemy import func, select

from engine.directory.import_cli import import_employees_command
from engine.models import Employee

HEADER = "code,name_th,unit_code,supervisor_code"


def run(session_factory, path, *args):
    return CliRunner().invoke(import_employees_command, [str(path), *args],
                              obj=SimpleNamespace(session_factory=session_factory))


def count(session_factory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count(Employee.id)))


def test_command_commits_and_prints_a_summary(db_session, units, session_factory, tmp_path):
    db_session.commit()  # the command uses its own session
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n10152,มานี,DIV,10151\n", encoding="utf-8-sig")

    result = run(session_factory, path)

    assert result.exit_code == 0, result.output
    assert "created 2" in result.output
    assert count(session_factory) == 2


def test_command_prints_bad_rows_and_exits_non_zero(db_session, units, session_factory, tmp_path):
    db_session.commit()
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n10152,มานี,NOPE,77\n", encoding="utf-8")

    result = run(session_factory, path)

    assert result.exit_code == 1
    assert "line 3: unknown unit 'NOPE'" in result.output
    assert "line 3: supervisor 77 is neither in the file nor in the directory" in result.output
    assert count(session_factory) == 0


def test_command_dry_run_writes_nothing(db_session, units, session_factory, tmp_path):
    db_session.commit()
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n", encoding="utf-8")

    result = run(session_factory, path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "would create 1" in result.output
    assert count(session_factory) == 0
