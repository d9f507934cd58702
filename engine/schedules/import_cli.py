"""`opsta import holidays FILE [--dry-run]`, mounted under `opsta import`.

The command reads the session factory from the click context object (`obj.session_factory`).
"""
from __future__ import annotations

import click

from engine.file_import_cli import exit_on_problems
from engine.db import transaction
from engine.schedules.holidays import import_holidays_file


@click.command("holidays")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@click.pass_obj
def import_holidays_command(obj, file: str, dry_run: bool) -> None:
    """Add or rename public holidays from a CSV (date,name_th,name_en) or iCalendar (.ics) file."""
    with transaction(obj.session_factory) as session:
        report = import_holidays_file(session=session, path_or_file=file, dry_run=dry_run)
        if not report.written:
            session.rollback()
    exit_on_problems(report.problems, f"{len(report.problems)} problem(s); nothing was written.")
    if dry_run:
        click.echo(f"{report.days} day(s) checked; would create {report.created}, would update {report.updated}. "
                   "Dry run: nothing was written.")
    else:
        click.echo(f"{report.days} day(s) imported; created {report.created}, updated {report.updated}.")
