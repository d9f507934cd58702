"""The `opsta import employees|holidays` commands, run with a real session factory."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cli.imports import import_employees_command, import_holidays_command
from engine.models import Employee, Holiday, OrgUnit

HEADER = "code,name_th,unit_code,supervisor_code"


@pytest.fixture
def units(db_session):
    """The one unit the files below name."""
    division = OrgUnit(code="DIV", name_th="กอง", name_en="Division")
    db_session.add(division)
    db_session.flush()
    return {"DIV": division}


def run(session_factory, path, *args):
    return CliRunner().invoke(import_employees_command, [str(path), *args],
                              obj=SimpleNamespace(session_factory=session_factory))


def count(session_factory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count(Employee.id)))


def test_employee_command_commits_and_prints_a_summary(db_session, units, session_factory, tmp_path):
    db_session.commit()  # the command uses its own session
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n10152,มานี,DIV,10151\n", encoding="utf-8-sig")

    result = run(session_factory, path)

    assert result.exit_code == 0, result.output
    assert "created 2" in result.output
    assert count(session_factory) == 2


def test_employee_command_prints_bad_rows_and_exits_non_zero(db_session, units, session_factory, tmp_path):
    db_session.commit()
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n10152,มานี,NOPE,77\n", encoding="utf-8")

    result = run(session_factory, path)

    assert result.exit_code == 1
    assert "line 3: unknown unit 'NOPE'" in result.output
    assert "line 3: supervisor 77 is neither in the file nor in the directory" in result.output
    assert count(session_factory) == 0


def test_employee_command_dry_run_writes_nothing(db_session, units, session_factory, tmp_path):
    db_session.commit()
    path = tmp_path / "e.csv"
    path.write_text(f"{HEADER}\n10151,สมหญิง,DIV,\n", encoding="utf-8")

    result = run(session_factory, path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "would create 1" in result.output
    assert count(session_factory) == 0


def test_holiday_command_imports_and_reports_bad_lines(db_session, session_factory, tmp_path):
    runner = CliRunner()
    obj = SimpleNamespace(session_factory=session_factory)
    good = tmp_path / "good.csv"
    good.write_text("date,name_th,name_en\n2026-10-23,วันปิยมหาราช,Chulalongkorn Day\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,name_th,name_en\n2026-13-01,x,\n", encoding="utf-8")

    dry = runner.invoke(import_holidays_command, [str(good), "--dry-run"], obj=obj)
    failed = runner.invoke(import_holidays_command, [str(bad)], obj=obj)
    done = runner.invoke(import_holidays_command, [str(good)], obj=obj)

    assert dry.exit_code == 0 and "would create 1" in dry.output
    assert failed.exit_code == 1 and "line 2: bad date '2026-13-01' (use YYYY-MM-DD)" in failed.output
    assert done.exit_code == 0 and "created 1" in done.output
    with session_factory() as session:
        assert session.scalar(select(func.count(Holiday.id))) == 1
