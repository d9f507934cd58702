"""`opsta db …` and `opsta account …`: schema upgrades and local accounts."""
import click
from sqlalchemy import select

from engine.migrate import upgrade_database


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.pass_obj
def upgrade(obj) -> None:
    """Apply every pending migration."""
    upgrade_database(obj.settings.database_url)
    click.echo("database is up to date")
    if obj.settings.workflow_auto_publish:
        from engine.db import transaction
        from engine.workflow.versions import ensure_published

        with transaction(obj.session_factory) as session:
            ensure_published(session=session, bpmn_dir=obj.settings.bpmn_dir)


@click.group("account")
def account_group() -> None:
    """Local sign-in accounts (demo mode and break-glass admin)."""


@account_group.command("set-password")
@click.argument("username")
@click.option("--employee-code", required=True, help="The employee this account signs in as.")
@click.password_option()
@click.pass_obj
def set_password(obj, username: str, employee_code: str, password: str) -> None:
    """Create or reset a local account."""
    from engine.accounts.service import set_local_account
    from engine.db import transaction
    from engine.models import Employee

    with transaction(obj.session_factory) as session:
        employee = session.scalar(select(Employee).where(Employee.code == employee_code))
        if employee is None:
            raise click.ClickException(f"no employee with code {employee_code}")
        set_local_account(session=session, employee=employee, username=username.lower(), password=password)
    click.echo(f"local account {username} now signs in as {employee_code}")


COMMANDS = [db_group, account_group]
