"""The device admin API, terminal punches in the calendar and punch detail, and the silence alert."""
from datetime import datetime, timedelta


from engine.db import utcnow
from engine.terminals.silence import check_silent_devices
from tests.support.terminals import EMP1

PROBLEM = "application/problem+json"


def test_admin_registers_device_admin_manages_employees_may_not(api, demo_org, device_admin):
    admin = api.login("admin")
    created = admin.post("/api/devices", json={"sn": "ADM001", "name": "MOC-OPS", "allowed_networks": ["10.1.2.3"]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["timezone"], body["codec"], body["enabled"]) == ("Asia/Bangkok", "utf-8", True)
    assert body["state_map"] == {"0": "in", "1": "out"} and body["timezone_format"] == "minutes"
    assert body["last_seen_at"] is None and body["pending_commands"] == []
    assert body["allowed_networks"] == ["10.1.2.3/32"]

    renamed = device_admin.put("/api/devices/ADM001", json={"name": "MOC-OPS-0"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "MOC-OPS-0"
    changed = admin.put("/api/devices/ADM001", json={"name": "MOC-OPS-1", "state_map": {"0": "in", "1": "out",
                                                                                         "4": "in"}})
    assert changed.status_code == 200 and changed.json()["name"] == "MOC-OPS-1"
    assert changed.json()["state_map"]["4"] == "in"
    assert [d["sn"] for d in admin.get("/api/devices").json()["items"]] == ["ADM001"]

    employee = api.login("employee1")
    new = {"sn": "X1", "name": "x", "allowed_networks": ["10.0.0.9"]}
    for reply in (employee.get("/api/devices"), employee.post("/api/devices", json=new),
                  device_admin.post("/api/devices", json=new),
                  employee.post("/api/devices/ADM001/enroll", json={}),
                  employee.get("/api/unauthorized-devices")):
        assert reply.status_code == 403 and reply.headers["Content-Type"].startswith(PROBLEM)
    assert api.get("/api/devices").status_code == 401


def test_bad_device_input_is_a_problem(api, demo_org, device_admin):
    admin = api.login("admin")
    here = {"allowed_networks": ["10.0.0.0/24"]}
    admin.post("/api/devices", json={"sn": "BAD001", "name": "one", **here})
    cases = [
        ({"sn": "BAD002", "name": "x", "timezone": "Mars/Olympus"}, 422, "timezone_invalid"),
        ({"sn": "BAD002", "name": "x", "codec": "klingon-8"}, 422, "codec_invalid"),
        ({"sn": "BAD002", "name": "x", "state_map": {"0": "sideways"}}, 422, "validation_failed"),
        ({"sn": "BAD002", "name": "x", "state_map": {"in": "in"}}, 422, "state_map_invalid"),
        ({"sn": "BAD 002", "name": "x"}, 422, "sn_invalid"),
        ({"sn": "BAD002", "name": "x", "site_id": 424242}, 422, "site_not_found"),
        ({"sn": "BAD002"}, 422, "validation_failed"),
        ({"sn": "BAD001", "name": "again"}, 409, "device_exists"),
        ({"sn": "BAD002", "name": "x", "allowed_networks": ["10.0.0.0/33"]}, 422, "networks_invalid"),
        ({"sn": "BAD002", "name": "x", "allowed_networks": ["0.0.0.0/0"]}, 422, "network_too_wide"),
        ({"sn": "BAD002", "name": "x", "allowed_networks": []}, 422, "validation_failed"),
    ]
    for body, status, code in cases:
        reply = admin.post("/api/devices", json={**here, **body})
        assert (reply.status_code, reply.json()["code"]) == (status, code), (body, reply.text)
        assert reply.headers["Content-Type"].startswith(PROBLEM)
    assert device_admin.put("/api/devices/BAD001", json={"timezone_format": "weeks"}).status_code == 422
    assert device_admin.get("/api/devices/NOSUCH").json()["code"] == "device_not_found"
    bad_range = device_admin.post("/api/devices/BAD001/resync", params={"from": "2026-09-30", "to": "2026-09-01"})
    assert bad_range.status_code == 422 and "to" in bad_range.json()["errors"]
    bad_date = device_admin.post("/api/devices/BAD001/resync", params={"from": "yesterday", "to": "2026-09-01"})
    assert bad_date.status_code == 422 and "from" in bad_date.json()["errors"]
    bad_codes = device_admin.post("/api/devices/BAD001/enroll", json={"codes": "100059150"})
    assert bad_codes.status_code == 422


def test_a_terminal_punch_in_the_calendar_and_punch_detail(api, register, simulator, moc_site):
    register("CAL001", name="MOC-OPS", site_id=moc_site["id"], pins=(EMP1,))
    device = simulator("CAL001")
    device.start()
    device.punch(pin=EMP1, state=0, verify=15, at=datetime(2026, 9, 1, 8, 45))
    device.punch(pin=EMP1, state=1, verify=15, at=datetime(2026, 9, 1, 16, 40))
    device.upload_punches()

    employee = api.login("employee1")
    calendar = employee.get("/api/me/calendar", params={"month": "2026-09"}).json()
    day = next(d for d in calendar["days"] if d["date"] == "2026-09-01")
    assert [(p["time"], p["direction"], p["place_label"]) for p in day["punches"]] == [
        ("08:45", "in", "MOC-OPS"), ("16:40", "out", "MOC-OPS")]
    assert day["status"] == "normal"
    assert {p["source"] for p in day["punches"]} == {"face_terminal"}

    detail = employee.get(f"/api/punches/{day['punches'][0]['id']}").json()
    assert detail["device"] == {"sn": "CAL001", "name": "MOC-OPS"}
    assert (detail["verify_method"], detail["verify_method_th"]) == ("face", "ตรวจสอบใบหน้า")
    assert detail["employee"]["code"] == EMP1 and detail["direction"] == "in"
    assert detail["site"]["name"] == "MOC-OPS" and detail["location_kind"] == "office"
    assert (detail["date"], detail["time"]) == ("2026-09-01", "08:45")


def test_a_silent_device_alerts_admins_once_per_silence(api, register, simulator, session_factory, settings):
    register("SIL001", name="MOC-OPS")
    device = simulator("SIL001")
    device.handshake()
    with session_factory() as s:
        assert check_silent_devices(session=s, settings=settings, now=utcnow()) == []
        later = utcnow() + timedelta(minutes=settings.device_silence_minutes + 1)
        assert [d.sn for d in check_silent_devices(session=s, settings=settings, now=later)] == ["SIL001"]
        assert check_silent_devices(session=s, settings=settings, now=later + timedelta(hours=1)) == []

    for username in ("admin", "device_admin"):
        items = api.login(username).get("/api/me/notifications").json()["items"]
        assert [n["kind"] for n in items] == ["device_silent"], username
        assert "MOC-OPS" in items[0]["title_en"]
    assert api.login("employee1").get("/api/me/notifications").json()["items"] == []
    assert api.login("device_admin").get("/api/devices/SIL001").json()["silent"] is True

    device.handshake()  # it speaks again: the alert is cleared, and the next silence alerts again
    assert api.login("device_admin").get("/api/devices/SIL001").json()["silent"] is False
    with session_factory() as s:
        much_later = utcnow() + timedelta(minutes=settings.device_silence_minutes + 5)
        assert [d.sn for d in check_silent_devices(session=s, settings=settings, now=much_later)] == ["SIL001"]
