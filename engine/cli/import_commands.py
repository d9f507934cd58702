"""`opsta import employees|holidays FILE`."""
import click


@click.group("import")
def import_group() -> None:
    """Import directory and calendar data from files."""


def _mount() -> None:
    from engine.directory.import_cli import import_employees_command
    from engine.schedules.import_cli import import_holidays_command

    import_group.add_command(import_employees_command, "employees")
    import_group.add_command(import_holidays_command, "holidays")


_mount()
COMMANDS = [import_group]
