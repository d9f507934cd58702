"""`opsta scheduler --once` runs every periodic job once against the test database."""
from click.testing import CliRunner

from cli import main


def _run(database_url, *args):
    return CliRunner().invoke(main, list(args), env={"OPSTA_DATABASE_URL": database_url})


def test_scheduler_once(database_url, clean_db):
    result = _run(database_url, "scheduler", "--once")
    assert result.exit_code == 0, result.output
    assert "bpmn timers: 0" in result.output
    assert "selfie verification sweep:" in result.output and "silent devices: 0" in result.output


def test_the_scheduler_warns_of_a_year_without_holidays(database_url, clean_db):
    result = CliRunner().invoke(main, ["scheduler", "--once"], env={"OPSTA_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert "warning: no public holidays are loaded for" in result.stderr
    assert "public holidays loaded: {'years_without_holidays': [" in result.output
