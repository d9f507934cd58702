"""`opsta device simulate` against a scripted iclock server and the live app, and `opsta device check-silent`."""
from click.testing import CliRunner

from cli import main
from cli.device import simulate
from devices.attlog import parse_attlog
from devices.command_queue import batch_commands
from devices.command_results import parse_devicecmd
from devices.commands import user_update_command
from devices.wire import decode_body
from engine.terminals.registry import create_device
from tests.support.terminals import put_on_terminal


def test_cli_handshakes_punches_and_applies_commands(iclock):
    iclock.script("handshake", (401, "Device Unauthorized"))
    iclock.script("getrequest", (200, "OK"), (200, batch_commands([(3, user_update_command(pin="1001", name="Ann"))]).body))
    result = CliRunner().invoke(simulate, [
        "--url", iclock.url, "--sn", "CLI01", "--pins", "1001,1002", "--punches", "3",
        "--polls", "2", "--delay", "0", "--retry-pause", "0", "--crlf",
    ])
    assert result.exit_code == 0, result.output
    assert [r.status for r in iclock.calls("handshake")] == [401, 200]
    (upload,) = iclock.calls("cdata:ATTLOG")
    assert b"\r\n" in upload.body
    records, rejects = parse_attlog(decode_body(upload.body))
    assert rejects == []
    assert [(r.pin, r.state) for r in records] == [("1001", 0), ("1001", 1), ("1001", 0),
                                                   ("1002", 0), ("1002", 1), ("1002", 0)]
    assert len({(r.pin, r.local_time) for r in records}) == 6
    (report,) = iclock.calls("devicecmd")
    assert [(r.id, r.return_code) for r in parse_devicecmd(decode_body(report.body))] == [(3, 0)]
    assert "1001='Ann'" in result.output


def test_cli_fails_cleanly_when_never_authorised(iclock):
    iclock.script("handshake", *[(401, "Device Unauthorized")] * 3)
    result = CliRunner().invoke(simulate, ["--url", iclock.url, "--sn", "NOPE", "--pins", "1",
                                           "--retry-pause", "0", "--handshake-tries", "3"])
    assert result.exit_code != 0
    assert "handshake refused 3 times" in result.output


def test_simulate_against_the_live_app_then_check_silent(demo_org, session_factory, live_app, database_url):
    with session_factory() as session:
        create_device(session=session, sn="CLI001", name="CLI", allowed_networks=["127.0.0.0/8"])
        put_on_terminal(session, "CLI001", "100059150")
    runner = CliRunner()
    simulated = runner.invoke(main, ["device", "simulate", "--url", live_app.url, "--sn", "CLI001",
                                     "--pins", "100059150", "--punches", "2", "--polls", "1", "--delay", "0"],
                              env={"OPSTA_DATABASE_URL": database_url})
    assert simulated.exit_code == 0, simulated.output
    assert "done: 2 punch(es) sent" in simulated.output
    silent = runner.invoke(main, ["device", "check-silent"], env={"OPSTA_DATABASE_URL": database_url})
    assert silent.exit_code == 0, silent.output
    assert "0 device(s) newly reported silent" in silent.output
