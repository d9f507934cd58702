"""`opsta reports …`: the attendance day projection the reports read."""
from datetime import date

import click


@click.group("reports")
def reports() -> None:
    """Reports (the day-by-day projection behind the attendance summary, grid, daily record and overtime)."""


@reports.command("judge-days")
@click.option("--month", help="A month, YYYY-MM (CE).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD (with --to).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--again", is_flag=True, help="Forget the period's judged days first and judge them all anew "
                                           "(after an upgrade that changed the day rules).")
@click.pass_obj
def judge_days(obj, month: str | None, start, end, again: bool) -> None:
    """Judge the period's days for every employee now, instead of leaving them to the scheduler or a report.

    Without a period: this month. The scheduler keeps this month and the last judged by itself."""
    import time

    from engine.directory.profile import local_today
    from engine.errors import DomainError
    from engine.reports.day_upkeep import judge_period
    from engine.reports.filters import parse_filters

    try:
        filters = parse_filters(today=local_today(obj.settings), month=month,
                                start=start.date() if start else None, end=end.date() if end else None)
    except DomainError as problem:
        raise click.UsageError(problem.detail) from problem
    started = time.perf_counter()
    judged = judge_period(session_factory=obj.session_factory, settings=obj.settings, start=filters.start,
                          end=filters.end, again=again)
    click.echo(f"judged {judged:,} employee-days from {filters.start:%Y-%m-%d} to {filters.end:%Y-%m-%d} "
               f"in {time.perf_counter() - started:.1f} s")


COMMANDS = [reports]
