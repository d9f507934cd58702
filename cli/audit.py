"""`opsta audit verify`: check every punch chain of the ledger."""
import click


@click.group("audit")
def audit_group() -> None:
    """Ledger integrity."""


@audit_group.command("verify")
@click.pass_obj
def verify(obj) -> None:
    """Recompute every punch of every employee's chain and report each broken link."""
    from engine.attendance.ledger_audit import verify_chains

    with obj.session_factory() as session:
        audit = verify_chains(session=session)
    for link in audit.broken:
        click.echo(f"BROKEN employee_id={link.employee_id} punch_id={link.punch_id}: {link.reason}")
    summary = f"{audit.punches} punches checked in {audit.chains} chains"
    if not audit.ok:
        raise click.ClickException(f"{len(audit.broken)} broken link(s) in {audit.broken_chains} chain(s); {summary}")
    click.echo(f"ledger OK: {summary}, no broken link")


COMMANDS = [audit_group]
