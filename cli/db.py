"""`opsta db …` and `opsta account …`: schema upgrades and local accounts."""
import click

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
        from engine.workflow.versions import ensure_published

        with obj.session_factory() as session:
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
    from engine.accounts.service import set_local_password
    from engine.errors import NotFound

    with obj.session_factory() as session:
        try:
            set_local_password(session=session, employee_code=employee_code, username=username, password=password)
        except NotFound as exc:
            raise click.ClickException(f"no employee with code {employee_code}") from exc
    click.echo(f"local account {username} now signs in as {employee_code}")


COMMANDS = [db_group, account_group]
