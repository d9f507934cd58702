"""`opsta audit verify`: check every punch chain of the ledger."""
import click


@click.group("audit")
def audit_group() -> None:
    """Ledger integrity."""


@audit_group.command("verify")
@click.pass_obj
def verify(obj) -> None:
    """Recompute every employee's punch chain and report the first broken link of each."""
    from engine.attendance.ledger import verify_chains

    with obj.session_factory() as session:
        checked, broken = verify_chains(session=session)
    for link in broken:
        click.echo(f"BROKEN employee_id={link.employee_id} punch_id={link.punch_id}: {link.reason}")
    if broken:
        raise click.ClickException(f"{len(broken)} broken chain(s) among {checked} punches")
    click.echo(f"ledger OK: {checked} punches verified")


COMMANDS = [audit_group]
