"""A command handed out without a result goes out again, and fails after the last allowed send."""
from datetime import timedelta

from devices.command_queue import parse_command_reply
from engine.db import utcnow
from engine.terminals import terminal
from engine.terminals.queue import open_commands, queue_command
from tests.support.terminals import make_terminal



def test_unanswered_command_is_resent_then_failed(db_session, settings):
    device = make_terminal(db_session, sn="RQ0001", name="resend")
    command = queue_command(session=db_session, device=device, kind="other", command="CHECK", now=utcnow())
    db_session.commit()
    start = utcnow()
    wait = timedelta(seconds=settings.device_command_resend_seconds)

    def poll(at):
        return terminal.poll(session=db_session, settings=settings, device=device, info=None, now=at)

    assert parse_command_reply(poll(start)) == [(command.id, "CHECK")]
    # too early for a resend: nothing to hand out
    assert poll(start + wait / 2) == "OK"
    sends = 1
    while sends < settings.device_command_max_sends:
        assert parse_command_reply(poll(start + wait * sends)) == [(command.id, "CHECK")]
        sends += 1
    assert command.polls == settings.device_command_max_sends and command.state == "sent"

    assert poll(start + wait * 10) == "OK"
    assert command.state == "failed" and command.return_code is None
    assert command.explanation == f"no result from the device after {settings.device_command_max_sends} sends"
    assert open_commands(session=db_session, device=device) == []
