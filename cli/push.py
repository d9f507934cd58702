"""`opsta push …`: Web Push set-up."""
import click


@click.group("push")
def push() -> None:
    """Web Push (VAPID)."""


@push.command("generate-keys")
def generate_keys() -> None:
    """Print a new VAPID key pair as .env lines (set a subject too); keep the private key secret.

    Changing the pair later makes every browser subscribe again: their subscriptions belong to the old key.
    """
    from engine.push.vapid import generate_vapid_keys

    keys = generate_vapid_keys()
    click.echo(f"OPSTA_PUSH_VAPID_PUBLIC_KEY={keys.public_key}")
    click.echo(f"OPSTA_PUSH_VAPID_PRIVATE_KEY={keys.private_key}")
    click.echo("# a contact push services can reach: mailto: or https:")
    click.echo("OPSTA_PUSH_VAPID_SUBJECT=mailto:it-helpdesk@example.go.th")


COMMANDS = [push]
