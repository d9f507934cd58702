"""`opsta import employees|holidays FILE [--dry-run]`: directory and calendar data from files.

Both commands check the whole file first, print every bad line as `line N: reason` and write nothing
when there is one (see engine/file_import.py).
"""
from __future__ import annotations

import sys
from typing import Iterable

import click
from tqdm import tqdm


@click.group("import")
def import_group() -> None:
    """Import directory and calendar data from files."""


class _ProgressBar:
    """Drives a tqdm bar per stage of the import ("check", then "write"), one at a time."""

    def __init__(self) -> None:
        self._stage = ""
        self._bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, unit="row", file=sys.stderr)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def exit_on_problems(problems: Iterable[object], summary: str) -> None:
    """Print every problem (one per line, as `str` formats it) and `summary` on stderr, then exit 1.

    Returns without a word when there are no problems.
    """
    problems = list(problems)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(summary, err=True)
        sys.exit(1)


@import_group.command("employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@click.pass_obj
def import_employees_command(obj, file: str, dry_run: bool) -> None:
    """Create or update employees from a CSV file (UTF-8; see engine/directory/importer.py for columns)."""
    from engine.directory.importer import import_employees_csv

    bar = _ProgressBar()
    try:
        with obj.session_factory() as session:
            report = import_employees_csv(session=session, path_or_file=file, dry_run=dry_run, progress=bar)
    finally:
        bar.close()
    exit_on_problems(report.problems,
                     f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was written.")
    verb = "would create" if dry_run else "created"
    click.echo(f"{report.rows} row(s) checked; {verb} {report.created}, "
               f"{'would update' if dry_run else 'updated'} {report.updated}."
               + (" Dry run: nothing was written." if dry_run else ""))


@import_group.command("holidays")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@click.pass_obj
def import_holidays_command(obj, file: str, dry_run: bool) -> None:
    """Add or rename public holidays from a CSV (date,name_th,name_en) or iCalendar (.ics) file."""
    from engine.schedules.holidays import import_holidays_file

    with obj.session_factory() as session:
        report = import_holidays_file(session=session, path_or_file=file, dry_run=dry_run)
    exit_on_problems(report.problems, f"{len(report.problems)} problem(s); nothing was written.")
    if dry_run:
        click.echo(f"{report.days} day(s) checked; would create {report.created}, would update {report.updated}. "
                   "Dry run: nothing was written.")
    else:
        click.echo(f"{report.days} day(s) imported; created {report.created}, updated {report.updated}.")


COMMANDS = [import_group]
