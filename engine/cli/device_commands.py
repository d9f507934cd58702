"""`opsta device …`: the terminal simulator and the silent-device check."""
import click

from devices.simulator_cli import simulate


@click.group("device")
def device_group() -> None:
    """Face terminals (ZKTeco push)."""


device_group.add_command(simulate)


@device_group.command("check-silent")
@click.pass_obj
def check_silent(obj) -> None:
    """Notify admins about enabled devices silent for longer than OPSTA_DEVICE_SILENCE_MINUTES (once per silence)."""
    from engine.db import utcnow
    from engine.terminals.silence import check_silent_devices

    with obj.session_factory() as session:
        silent = check_silent_devices(session=session, settings=obj.settings, now=utcnow())
        for device in silent:
            seen = device.last_seen_at.isoformat() if device.last_seen_at else "never"
            click.echo(f"silent: {device.sn} ({device.name}), last seen {seen}")
    click.echo(f"{len(silent)} device(s) newly reported silent")


COMMANDS = [device_group]
