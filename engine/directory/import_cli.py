"""`opsta import employees FILE.csv [--dry-run]`, mounted under `opsta import`.

The command reads the session factory from the click context object (`obj.session_factory`).
"""
from __future__ import annotations

import sys

import click
from tqdm import tqdm

from engine.file_import_cli import exit_on_problems
from engine.db import transaction
from engine.directory.importer import import_employees_csv


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


@click.command("employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@click.pass_obj
def import_employees_command(obj, file: str, dry_run: bool) -> None:
    """Create or update employees from a CSV file (UTF-8; see engine/directory/importer.py for columns)."""
    bar = _ProgressBar()
    try:
        with transaction(obj.session_factory) as session:
            report = import_employees_csv(session=session, path_or_file=file, dry_run=dry_run, progress=bar)
            if not report.written:
                session.rollback()
    finally:
        bar.close()
    exit_on_problems(report.problems,
                     f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was written.")
    verb = "would create" if dry_run else "created"
    click.echo(f"{report.rows} row(s) checked; {verb} {report.created}, "
               f"{'would update' if dry_run else 'updated'} {report.updated}."
               + (" Dry run: nothing was written." if dry_run else ""))
