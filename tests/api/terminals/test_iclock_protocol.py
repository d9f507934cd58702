"""The iclock endpoints over real HTTP, driven by the device simulator."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import requests
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from devices.replies import parse_handshake_reply
from engine.attendance.ledger_audit import verify_chains
from engine.models import Punch
from tests.support.terminals import EMP1, EMP2


def punch_count(session_factory) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count(Punch.id)).where(Punch.source == "face_terminal")) or 0


def test_handshake_options_info_and_clock(api, register, simulator, device_admin):
    register("HS0001", timezone="Asia/Bangkok")
    reply = requests.get(f"{api.base_url}/iclock/cdata",
                         params={"SN": "HS0001", "options": "all", "pushver": "2.4.1", "language": "69"})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    (date_header,) = [value for name, value in reply.raw.headers.items() if name.lower() == "date"]
    assert date_header.endswith("GMT")
    date = parsedate_to_datetime(date_header)
    assert abs((date - datetime.now(timezone.utc)).total_seconds()) < 60
    sn, options = parse_handshake_reply(reply.text)
    assert sn == "HS0001"
    assert options["TimeZone"] == "420" and options["Delay"] == "10"
    assert options["ATTLOGStamp"] == "0"

    device = simulator("HS0001")
    device.start()  # handshake, table=options, first poll with INFO
    shown = device_admin.get("/api/devices/HS0001").json()
    assert shown["options"]["OEMVendor"] == "ZKTeco Co., Ltd."
    assert shown["firmware"]["firmware"] == "ZAM170-NF-Ver1.1.27"
    assert shown["push_version"] == "Ver 2.0.32S-20200506"
    assert shown["last_seen_at"] is not None and shown["pending_count"] == 0

    clock = requests.get(f"{api.base_url}/iclock/cdata.aspx", params={"SN": "HS0001", "type": "time"})
    assert clock.status_code == 200 and clock.text.startswith("Time=") and clock.text.endswith("+07:00")
    ping = requests.get(f"{api.base_url}/iclock/ping", params={"SN": "HS0001"})
    assert (ping.status_code, ping.text) == (200, "OK")


def test_unknown_or_disabled_serial_gets_401_and_is_recorded(api, register, simulator, device_admin):
    for _ in range(2):
        reply = requests.get(f"{api.base_url}/iclock/cdata", params={"SN": "NOPE01", "options": "all"})
        assert (reply.status_code, reply.text) == (401, "Device Unauthorized")
        assert "Date" in reply.headers
    upload = requests.post(f"{api.base_url}/iclock/cdata?SN=NOPE01&table=ATTLOG",
                           data=f"{EMP1}\t2026-09-01 08:45:00\t0\t15\n")
    assert upload.status_code == 401
    register("OFF001", enabled=False)
    assert requests.get(f"{api.base_url}/iclock/getrequest", params={"SN": "OFF001"}).status_code == 401

    attempts = {a["sn"]: a for a in device_admin.get("/api/unauthorized-devices").json()["items"]}
    assert attempts["NOPE01"]["attempts"] == 3 and attempts["NOPE01"]["reason"] == "unregistered"
    assert attempts["NOPE01"]["path"] == "/iclock/cdata" and attempts["NOPE01"]["registered"] is False
    assert attempts["OFF001"]["reason"] == "disabled" and attempts["OFF001"]["registered"] is True

    register("NOPE01")  # the admin lets it in: the next handshake works
    simulator("NOPE01").handshake()


def test_punches_in_a_non_utc_zone_land_at_the_right_instant(api, register, simulator):
    register("IN0001", pins=(EMP1, EMP2), name="DELHI-1", timezone="Asia/Kolkata")
    device = simulator("IN0001", tz="Asia/Kolkata")
    device.start()
    device.punch(pin=EMP1, state=0, at=datetime(2026, 9, 1, 8, 45))
    device.punch(pin=EMP1, state=1, at=datetime(2026, 9, 1, 17, 5, 30))
    assert device.upload_punches() == 2
    items = api.login("employee1").get("/api/me/punches", params={"from": "2026-09-01", "to": "2026-09-02"}).json()
    by_direction = {p["direction"]: p for p in items["items"]}
    assert datetime.fromisoformat(by_direction["in"]["effective_at"]) == datetime(2026, 9, 1, 3, 15, tzinfo=timezone.utc)
    assert datetime.fromisoformat(by_direction["out"]["effective_at"]) == datetime(2026, 9, 1, 11, 35, 30,
                                                                                   tzinfo=timezone.utc)
    assert by_direction["in"]["time"] == "10:15"  # shown in the organisation's zone (Bangkok)
    assert {p["source"] for p in items["items"]} == {"face_terminal"}


def test_a_resent_batch_creates_nothing_twice(api, register, simulator, session_factory):
    register("RS0001", pins=(EMP1, EMP2))
    device = simulator("RS0001")
    device.start()
    for minute in range(5):
        device.punch(pin=EMP1 if minute % 2 else EMP2, state=minute % 2, at=datetime(2026, 9, 2, 8, minute))
    device.upload_punches()
    assert punch_count(session_factory) == 5
    device.pending.extend(device.punches)  # the device did not see our 200 and sends everything again
    device.punch(pin=EMP1, state=1, at=datetime(2026, 9, 2, 17, 0))
    device.upload_punches()
    assert punch_count(session_factory) == 6
    with session_factory() as s:
        audit = verify_chains(session=s)
    assert audit.punches == 6 and audit.broken == []


def test_a_database_error_answers_non_200_and_the_resend_is_stored(api, register, simulator, session_factory,
                                                                  monkeypatch):
    import engine.terminals.ingest as ingest

    register("DB0001", pins=(EMP1, EMP2))
    device = simulator("DB0001")
    device.start()
    original = ingest._store_attlog_once
    calls = []

    def failing_once(*args):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("connection lost"))
        return original(*args)

    monkeypatch.setattr(ingest, "_store_attlog_once", failing_once)
    device.punch(pin=EMP1, state=0, at=datetime(2026, 9, 3, 8, 30))
    device.upload_punches()
    assert any("attempt 1/3 got 503" in event for event in device.events)
    assert punch_count(session_factory) == 1


def test_unknown_pin_and_malformed_lines_are_kept_while_good_lines_are_stored(api, register, device_admin,
                                                                             session_factory):
    register("UM0001", pins=(EMP1, EMP2), state_map={"0": "in", "1": "out", "4": "in"})
    body = "\r\n".join([
        f"{EMP1}\t2026-09-04 08:40:00\t0\t15\t0\t0\t0",
        "99999\t2026-09-04 08:41:00\t0\t15\t0\t0\t0",       # unknown PIN
        "garbage-without-tabs",                              # malformed
        f"{EMP2}\t2026-99-04 08:42:00\t0\t15",               # bad time
        f"{EMP2}\t2026-09-04 08:43:00\t255\t1",              # state with no direction
        f"{EMP2}\t2026-09-04 08:44:00\t4\t1\t0\t0\t0\t0\t36.5",  # mapped extra state, thermal columns
    ]) + "\r\n"
    url = f"{api.base_url}/iclock/cdata?SN=UM0001&table=ATTLOG&Stamp=9999"
    for _ in range(2):  # the resend counts the same lines again instead of adding them twice
        reply = requests.post(url, data=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert (reply.status_code, reply.text) == (200, "OK")
    assert punch_count(session_factory) == 2
    records = device_admin.get("/api/devices/UM0001/unmatched-records").json()["items"]
    reasons = sorted(r["reason"] for r in records)
    assert len(records) == 4 and {r["times_received"] for r in records} == {2}
    assert reasons[0].startswith("malformed line: bad time")
    assert reasons[1].startswith("malformed line: too few columns")
    assert reasons[2] == "state 255 has no direction in the device state map"
    assert reasons[3] == "unknown PIN 99999: no employee has this code"
    assert {r["raw_line"] for r in records} >= {"garbage-without-tabs"}


def test_other_tables_are_answered_ok_and_unsupported_ones_kept(api, register, device_admin):
    register("TB0001")
    base = f"{api.base_url}/iclock/cdata?SN=TB0001"
    operlog = "OPLOG 0\t0\t2026-09-04 08:00:00\t0\t0\t0\t0\nUSER PIN=1\tName=x\nBROKEN\n"
    assert requests.post(f"{base}&table=OPERLOG&Stamp=12", data=operlog).text == "OK"
    assert requests.post(f"{base}&table=BIODATA", data="BIODATA Pin=1\tType=9\tTmp=AAAA\n").text == "OK"
    assert requests.post(f"{base}&table=ATTPHOTO", data=b"PIN=1\nSN=TB0001\nsize=3\nCMD=uploadphoto\x00\xff\xd8\xff").text == "OK"
    rtlog = "time=2026-09-04 11:49:32\tpin=1001\tverifytype=15\tinoutstatus=0\n"
    assert requests.post(f"{base}&table=rtlog", data=rtlog).text == "OK"
    records = {r["table_name"]: r for r in device_admin.get("/api/devices/TB0001/unmatched-records").json()["items"]}
    assert records["OPERLOG"]["raw_line"] == "BROKEN"
    assert records["rtlog"]["reason"] == "table rtlog is not supported; kept for review"
    handshake = requests.get(base, params={"options": "all"}).text
    assert "OPERLOGStamp=12" in handshake


def test_gbk_device_codec_reads_and_answers_in_that_codec(api, register, simulator, device_admin, session_factory):
    register("GB0001", pins=(EMP1, EMP2), codec="gb18030")
    device = simulator("GB0001", codec="gb18030")
    device.start()
    device.punch(pin=EMP1, at=datetime(2026, 9, 7, 8, 30))
    device.upload_punches()
    assert punch_count(session_factory) == 1
    assert device_admin.get("/api/devices/GB0001").json()["codec"] == "gb18030"


def test_resync_queues_attlog_query_and_the_reposted_punches_are_not_duplicated(api, register, simulator,
                                                                                device_admin, session_factory):
    register("SY0001", pins=(EMP1, EMP2))
    device = simulator("SY0001")
    device.start()
    for day in (1, 2, 3):
        device.punch(pin=EMP1, at=datetime(2026, 9, day, 8, 30))
    device.upload_punches()
    queued = device_admin.post("/api/devices/SY0001/resync", params={"from": "2026-09-02", "to": "2026-09-03"})
    assert queued.status_code == 202, queued.text
    assert queued.json()["command"]["verb"] == "DATA QUERY ATTLOG"
    (result,) = device.poll()
    assert result.return_code == 0
    assert any("re-posted 2 punch(es)" in e for e in device.events)
    assert punch_count(session_factory) == 3
    commands = device_admin.get("/api/devices/SY0001/commands").json()["items"]
    assert commands[0]["state"] == "succeeded" and commands[0]["explanation"] == "success"

    empty = device_admin.post("/api/devices/SY0001/resync", params={"from": "2020-01-01", "to": "2020-01-31"})
    assert empty.status_code == 202
    device.poll()
    latest = device_admin.get("/api/devices/SY0001/commands").json()["items"][0]
    assert (latest["state"], latest["return_code"]) == ("failed", -1)
    assert latest["explanation"] == "parameter error, not supported, or no data"


def test_devicecmd_for_another_devices_command_changes_nothing(api, register, simulator, device_admin):
    register("AA0001")
    register("BB0001")
    queued = device_admin.post("/api/devices/AA0001/resync", params={"from": "2026-09-01", "to": "2026-09-02"})
    command_id = queued.json()["command"]["id"]
    reply = requests.post(f"{api.base_url}/iclock/devicecmd?SN=BB0001", data=f"ID={command_id}&Return=0&CMD=DATA\n")
    assert (reply.status_code, reply.text) == (200, "OK")
    assert device_admin.get("/api/devices/AA0001").json()["pending_commands"][0]["state"] == "queued"


def test_the_punch_keeps_device_pin_wall_clock_and_verify_type(api, register, simulator, session_factory):
    """The device wall clock and PIN are kept on the punch as the dedupe key."""
    register("KY0001", pins=(EMP1, EMP2), timezone="Asia/Tokyo")
    device = simulator("KY0001", tz="Asia/Tokyo")
    device.start()
    device.punch(pin=EMP1, at=datetime(2026, 9, 8, 9, 0, 5), verify=1)
    device.upload_punches()
    with session_factory() as s:
        punch = s.scalar(select(Punch).where(Punch.device_pin == EMP1))
        assert punch.device_local_time == datetime(2026, 9, 8, 9, 0, 5)
        assert punch.effective_at == datetime(2026, 9, 8, 0, 0, 5, tzinfo=timezone.utc)
        assert (punch.verify_code, punch.verify_method) == (1, "fingerprint")
        assert punch.recorded_at - datetime.now(timezone.utc) < timedelta(minutes=1)


def test_terminals_posting_at_once_keep_every_ledger_chain_intact(api, register, simulator, session_factory):
    from concurrent.futures import ThreadPoolExecutor

    sns = ["CC0001", "CC0002", "CC0003"]
    for sn in sns:
        register(sn, pins=(EMP1, EMP2))

    def push(sn: str) -> None:
        device = simulator(sn)
        device.handshake()
        for batch in range(3):
            for i in range(20):  # the same people on every terminal, in the same order
                device.punch(pin=(EMP1, EMP2)[i % 2], state=i % 2,
                             at=datetime(2026, 9, 10, 8, 0) + timedelta(minutes=batch * 20 + i))
            device.upload_punches()

    with ThreadPoolExecutor(max_workers=len(sns)) as pool:
        list(pool.map(push, sns))
    employee = api.login("employee1")
    gps = employee.post("/api/punches", json={"direction": "in", "latitude": 13.8618, "longitude": 100.5127})
    assert gps.status_code == 201
    assert punch_count(session_factory) == 3 * 60
    with session_factory() as s:
        audit = verify_chains(session=s)
    assert audit.punches == 3 * 60 + 1 and audit.broken == []


def test_a_nul_in_a_pin_keeps_the_line_for_review_and_stores_the_rest(api, register, device_admin, session_factory):
    register("NUL001", pins=(EMP1, EMP2))
    body = f"{EMP1}\t2026-09-01 08:45:00\t0\t15\n1000\x005\t2026-09-01 08:46:00\t0\t15\n"
    reply = requests.post(f"{api.base_url}/iclock/cdata?SN=NUL001&table=ATTLOG", data=body.encode())
    assert (reply.status_code, reply.text) == (200, "OK")
    assert punch_count(session_factory) == 1
    unmatched = device_admin.get("/api/devices/NUL001/unmatched-records").json()["items"]
    assert [item["reason"] for item in unmatched] == ["malformed line: bad PIN"]
    assert "\x00" not in unmatched[0]["raw_line"]
    # A NUL in the query string is refused at the door, as a status the terminal understands.
    refused = requests.get(f"{api.base_url}/iclock/getrequest", params={"SN": "NUL001\x00"})
    assert refused.status_code == 400 and refused.headers["Content-Type"].startswith("text/plain")
