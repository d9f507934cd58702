"""`opsta device …`: the terminal simulator and the silent-device check."""
from __future__ import annotations

import time
from datetime import timedelta

import click

from devices.simulator import DeviceGaveUp, SimulatedDevice


@click.group("device")
def device_group() -> None:
    """Face terminals (ZKTeco push)."""


@device_group.command("simulate")
@click.option("--url", required=True, help="Server base URL, e.g. http://127.0.0.1:8000")
@click.option("--sn", required=True, help="Device serial number (must be registered on the server).")
@click.option("--pins", required=True, help="Comma-separated PINs to punch for, e.g. 1001,1002.")
@click.option("--punches", default=2, show_default=True, type=click.IntRange(min=0),
              help="Punches per PIN, alternating in (0) and out (1), one minute apart ending now.")
@click.option("--codec", default="utf-8", show_default=True, help="Body encoding (utf-8, gb18030, …).")
@click.option("--tz", default="Asia/Bangkok", show_default=True, help="IANA zone of the device clock.")
@click.option("--verify", default=15, show_default=True, type=int, help="Verify code (15 face, 1 fingerprint).")
@click.option("--polls", default=3, show_default=True, type=click.IntRange(min=0),
              help="getrequest polls after uploading, applying any commands.")
@click.option("--delay", default=None, type=float, help="Seconds between polls (default: the server's Delay).")
@click.option("--crlf", is_flag=True, help="End uploaded lines with CRLF instead of LF.")
@click.option("--retry-pause", default=2.0, show_default=True, type=float,
              help="Seconds between retries after a 401/non-200 (real devices wait ~15 s).")
@click.option("--handshake-tries", default=5, show_default=True, type=click.IntRange(min=1))
def simulate(url, sn, pins, punches, codec, tz, verify, polls, delay, crlf, retry_pause, handshake_tries):
    """Handshake as a ZKTeco face terminal, upload punches, then poll and apply commands."""
    device = SimulatedDevice(
        base_url=url, sn=sn, codec=codec, tz=tz, delay=delay, line_ending="\r\n" if crlf else "\n",
        handshake_tries=handshake_tries, retry_pause=retry_pause,
        on_event=lambda message: click.echo(f"[{sn}] {message}"),
    )
    pin_list = [pin.strip() for pin in pins.split(",") if pin.strip()]
    try:
        device.start()
        now = device.now_local()
        for offset, pin in enumerate(pin_list):
            for index in range(punches):
                # Distinct seconds per PIN keep (sn, pin, time) unique when the command is rerun quickly.
                at = now - timedelta(minutes=punches - 1 - index, seconds=offset)
                device.punch(pin=pin, state=index % 2, verify=verify, at=at)
        device.upload_punches()
        for number in range(polls):
            if number:
                time.sleep(device.delay or 0)
            device.poll()
    except DeviceGaveUp as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"[{sn}] done: {len(device.punches)} punch(es) sent; device users: "
               + (", ".join(f"{u.pin}={u.name!r}{' +photo' if u.photo else ''}" for u in device.users.values())
                  or "none"))



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
