import base64
from datetime import datetime

import pytest

from devices.attlog import parse_attlog
from devices.command_queue import batch_commands
from devices.command_results import parse_devicecmd
from devices.commands import (
    attlog_query_command, face_photo_command, user_delete_command, user_update_command,
)
from devices.device_info import parse_info, parse_options
from devices.simulator import DeviceGaveUp, SimulatedDevice
from devices.wire import decode_body

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9"


def device_for(iclock, **kwargs) -> SimulatedDevice:
    return SimulatedDevice(base_url=iclock.url, sn="SIM0001", **kwargs)


def test_start_retries_handshake_after_401_then_uploads_options_and_info(iclock):
    iclock.script("handshake", (401, "Device Unauthorized"), (401, "Device Unauthorized"))
    device = device_for(iclock)
    device.start()
    handshakes = iclock.calls("handshake")
    assert [r.status for r in handshakes] == [401, 401, 200]
    assert handshakes[0].args == {"SN": "SIM0001", "options": "all", "language": "69", "pushver": "2.4.1",
                                  "PushOptionsFlag": "1"}
    assert handshakes[0].headers["User-Agent"] == "iClock Proxy/1.09"
    assert device.server_options["Delay"] == "10" and device.delay == 10
    (options,) = iclock.calls("cdata:options")
    assert parse_options(decode_body(options.body))["OEMVendor"] == "ZKTeco Co., Ltd."
    first_poll = iclock.calls("getrequest")[0]
    assert parse_info(first_poll.args["INFO"]).firmware.startswith("ZAM170")
    assert [r.route for r in iclock.requests] == ["handshake"] * 3 + ["cdata:options", "getrequest"]


def test_handshake_gives_up_after_bounded_tries(iclock):
    iclock.script("handshake", *[(401, "Device Unauthorized")] * 10)
    device = device_for(iclock, handshake_tries=4)
    with pytest.raises(DeviceGaveUp):
        device.start()
    assert len(iclock.calls("handshake")) == 4
    assert iclock.calls("getrequest") == []


def test_punch_batch_is_resent_after_a_500(iclock):
    iclock.script("cdata:ATTLOG", (500, "db down"))
    device = device_for(iclock)
    device.start()
    device.punch(pin="0012", state=0, at=datetime(2025, 6, 2, 8, 45))
    device.punch(pin="0013", state=1, at=datetime(2025, 6, 2, 17, 30, 5))
    assert device.upload_punches() == 2
    first, second = iclock.calls("cdata:ATTLOG")
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body
    assert second.args["Stamp"] == "9999"
    records, rejects = parse_attlog(decode_body(second.body))
    assert rejects == []
    assert [(r.pin, r.local_time, r.state, r.verify) for r in records] == [
        ("0012", datetime(2025, 6, 2, 8, 45), 0, 15), ("0013", datetime(2025, 6, 2, 17, 30, 5), 1, 15)]
    assert device.pending == [] and device.upload_punches() == 0


def test_upload_gives_up_and_keeps_punches_pending(iclock):
    iclock.script("cdata:ATTLOG", *[(500, "")] * 3)
    device = device_for(iclock, upload_tries=3)
    device.punch(pin="1", at=datetime(2025, 1, 1, 8, 0))
    with pytest.raises(DeviceGaveUp):
        device.upload_punches()
    assert len(iclock.calls("cdata:ATTLOG")) == 3
    assert len(device.pending) == 1


def test_crlf_lines_in_gb18030(iclock):
    device = device_for(iclock, codec="gb18030", line_ending="\r\n")
    device.punch(pin="7", at=datetime(2025, 1, 1, 8, 0))
    device.punch(pin="8", at=datetime(2025, 1, 1, 8, 1))
    device.upload_punches()
    (upload,) = iclock.calls("cdata:ATTLOG")
    assert upload.body.count(b"\r\n") == 2
    records, _ = parse_attlog(decode_body(upload.body, "gb18030"))
    assert [r.pin for r in records] == ["7", "8"]


def test_commands_are_applied_and_results_reported(iclock):
    photo = face_photo_command(pin="0012", jpeg=JPEG)
    bad_size = photo.replace(f"Size={len(base64.b64encode(JPEG))}", "Size=10")
    queue = [
        (1, user_update_command(pin="0012", name="สมชาย ใจดี")),
        (2, user_update_command(pin="0099", name="Temp")),
        (3, user_delete_command(pin="0099")),
        (4, user_delete_command(pin="4242")),
        (5, "USER ADD PIN=1"),
    ]
    iclock.script("getrequest", (200, batch_commands(queue).body), (200, batch_commands([(6, photo)]).body),
                  (200, batch_commands([(7, bad_size)]).body))
    device = device_for(iclock)
    results = device.poll() + device.poll() + device.poll()
    assert [(r.id, r.return_code) for r in results] == [(1, 0), (2, 0), (3, 0), (4, -10), (5, -1002), (6, 0), (7, -2)]
    assert set(device.users) == {"0012"}
    assert device.users["0012"].name == "สมชาย ใจดี"
    assert device.users["0012"].photo == JPEG
    reports = [parse_devicecmd(decode_body(r.body)) for r in iclock.calls("devicecmd")]
    assert [[(r.id, r.return_code, r.cmd) for r in report] for report in reports] == [
        [(1, 0, "DATA"), (2, 0, "DATA"), (3, 0, "DATA"), (4, -10, "DATA"), (5, -1002, "USER")],
        [(6, 0, "DATA")],
        [(7, -2, "DATA")],
    ]


def test_photo_for_unknown_user_is_refused(iclock):
    iclock.script("getrequest", (200, batch_commands([(1, face_photo_command(pin="5", jpeg=JPEG))]).body))
    device = device_for(iclock)
    assert [r.return_code for r in device.poll()] == [-10]
    assert device.users == {}


def test_query_attlog_reposts_stored_punches_in_range(iclock):
    device = device_for(iclock)
    device.punch(pin="1", at=datetime(2025, 1, 1, 8, 0))
    device.punch(pin="1", at=datetime(2025, 1, 2, 8, 0))
    device.punch(pin="2", at=datetime(2025, 1, 3, 8, 0))
    device.upload_punches()
    query = attlog_query_command(start=datetime(2025, 1, 2), end=datetime(2025, 1, 3, 23, 59, 59))
    empty = attlog_query_command(start=datetime(2024, 1, 1), end=datetime(2024, 1, 2))
    iclock.script("getrequest", (200, f"C:8:{query}\nC:9:{empty}\n"))
    results = device.poll()
    assert [(r.id, r.return_code) for r in results] == [(8, 0), (9, -1)]
    repost = iclock.calls("cdata:ATTLOG")[-1]
    records, _ = parse_attlog(decode_body(repost.body))
    assert [(r.pin, r.local_time.day) for r in records] == [("1", 2), ("2", 3)]
    routes = [r.route for r in iclock.requests]
    assert routes.index("devicecmd") > len(routes) - 3  # results reported after the re-post


def test_failed_poll_is_reported_not_raised(iclock):
    iclock.script("getrequest", (503, "busy"))
    device = device_for(iclock)
    assert device.poll() == []
    assert any("poll got 503" in event for event in device.events)
