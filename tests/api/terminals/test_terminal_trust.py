"""Issue 11: a terminal is more than its serial number. Each test is named after what it refuses.

The terminal is the project's simulator (`devices/simulator.py`) or raw requests; the app runs over real HTTP.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import func, select

from devices.simulator import DeviceGaveUp
from engine.models import Notification, Punch, UnauthorizedDeviceAttempt
from engine.terminals.attempts import ATTEMPT_BUCKETS
from tests.support.live_server import serving
from tests.support.settings import make_settings
from tests.support.terminals import EMP1, EMP2, drain, jpeg, set_profile_photo

BANGKOK = ZoneInfo("Asia/Bangkok")


def stored_punches(session_factory, pin: str | None = None) -> list[Punch]:
    with session_factory() as s:
        query = select(Punch).where(Punch.source == "face_terminal")
        if pin:
            query = query.where(Punch.device_pin == pin)
        return list(s.scalars(query.order_by(Punch.effective_at)))


def attempts_by_sn(device_admin) -> dict[str, dict]:
    return {a["sn"]: a for a in device_admin.get("/api/unauthorized-devices").json()["items"]}


def test_a_registered_serial_calling_from_outside_its_networks_is_refused_and_counted(
        api, register, simulator, device_admin, session_factory):
    register("NET001", allowed_networks=["10.9.9.0/24"], pins=(EMP1,))
    device = simulator("NET001", handshake_tries=2)
    with pytest.raises(DeviceGaveUp):
        device.handshake()
    upload = requests.post(f"{api.base_url}/iclock/cdata?SN=NET001&table=ATTLOG",
                           data=f"{EMP1}\t2026-11-30 08:45:00\t0\t15\n")
    poll = requests.get(f"{api.base_url}/iclock/getrequest", params={"SN": "NET001"})
    assert (upload.status_code, upload.text, poll.status_code) == (401, "Device Unauthorized", 401)
    assert stored_punches(session_factory) == []
    attempt = attempts_by_sn(device_admin)["NET001"]
    assert (attempt["reason"], attempt["remote_addr"], attempt["registered"]) == ("outside_networks", "127.0.0.1",
                                                                                  True)
    assert attempt["attempts"] == 4
    assert device_admin.get("/api/devices/NET001").json()["last_seen_at"] is None


def test_x_forwarded_for_is_refused_unless_the_socket_peer_is_a_trusted_proxy(api, register, app_with):
    register("PRX001", allowed_networks=["10.20.0.0/24"])
    handshake = {"SN": "PRX001", "options": "all"}

    def status(url, forwarded_for):
        return requests.get(f"{url}/iclock/cdata", params=handshake,
                            headers={"X-Forwarded-For": forwarded_for}).status_code

    # Default (the socket peer): a terminal reaching the app directly cannot claim an address.
    assert status(api.base_url, "10.20.0.5") == 401
    # A hop count for sign-in throttling (ProxyFix) does not make the header believable for terminals.
    counted, _ = app_with(trusted_proxy_count=1)
    assert status(counted.url, "10.20.0.5") == 401
    # Behind a trusted proxy (loopback here), the nearest untrusted hop is the caller.
    proxied, admin = app_with(device_trusted_proxies="127.0.0.1/32, 10.99.0.0/16")
    assert status(proxied.url, "10.20.0.5") == 200
    assert status(proxied.url, "10.20.0.5, 10.99.0.1") == 200  # a second proxy of ours in the chain
    assert status(proxied.url, "10.20.0.5, 192.0.2.7") == 401  # a spoofed left end, added before our proxy
    assert status(proxied.url, "not-an-address") == 401
    assert admin.get("/api/devices/PRX001").json()["last_seen_addr"] == "10.20.0.5"


def test_a_bad_trusted_proxies_setting_refuses_to_start(database_url):
    with pytest.raises(RuntimeError, match="OPSTA_DEVICE_TRUSTED_PROXIES"):
        with serving(make_settings(database_url, device_trusted_proxies="10.0.0.0/8, proxy.local")):
            pass


def test_a_punch_for_a_pin_not_enrolled_on_the_terminal_is_kept_unmatched_never_attendance(
        api, register, simulator, device_admin, session_factory):
    register("PIN001", pins=(EMP1,))
    device = simulator("PIN001")
    device.start()
    device.punch(pin=EMP1, state=0, at=datetime(2026, 11, 30, 8, 45))
    device.punch(pin=EMP2, state=0, at=datetime(2026, 11, 30, 8, 46))  # a real employee, not on this terminal
    assert device.upload_punches() == 2
    assert [p.device_pin for p in stored_punches(session_factory)] == [EMP1]
    (record,) = device_admin.get("/api/devices/PIN001/unmatched-records").json()["items"]
    assert record["reason"] == f"PIN {EMP2} is not enrolled on this terminal or on a terminal of its site"
    mine = api.login("employee2").get("/api/me/punches", params={"from": "2026-11-30", "to": "2026-11-30"})
    assert mine.json()["items"] == []


def test_a_pin_enrolled_on_another_terminal_of_the_same_site_is_a_punch_of_another_site_is_not(
        api, register, simulator, session_factory, office, other_site):
    register("SIT001", site_id=office["id"], pins=(EMP1,))
    register("SIT002", site_id=office["id"])
    register("SIT003", site_id=other_site["id"], pins=(EMP2,))
    device = simulator("SIT002")
    device.start()
    device.punch(pin=EMP1, at=datetime(2026, 11, 30, 8, 45))
    device.punch(pin=EMP2, at=datetime(2026, 11, 30, 8, 46))
    device.upload_punches()
    assert [p.device_pin for p in stored_punches(session_factory)] == [EMP1]


def test_a_punch_dated_beyond_the_offline_window_or_ahead_of_the_server_is_not_stored_silently(
        api, register, simulator, session_factory, settings):
    register("SKW001", pins=(EMP1,))
    device = simulator("SKW001")
    device.start()
    now = device.now_local()
    device.punch(pin=EMP1, state=0, at=now - timedelta(hours=settings.device_offline_window_hours + 2))
    device.punch(pin=EMP1, state=1, at=now - timedelta(hours=2))
    device.punch(pin=EMP1, state=0, at=now + timedelta(days=1))
    device.upload_punches()
    flags = [p.flags for p in stored_punches(session_factory)]
    assert flags == [["clock_skew"], [], ["clock_skew"]]


def test_enrolment_refuses_to_send_a_photo_to_a_terminal_outside_the_persons_sites(
        api, register, simulator, device_admin, admin, session_factory, office, other_site):
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((90, 90, 90)))
    register("FAR001", site_id=other_site["id"])  # a terminal where nobody of the office works
    register("NOS001")  # a terminal at no site at all
    for sn in ("FAR001", "NOS001"):
        everyone = device_admin.post(f"/api/devices/{sn}/enroll", json={}).json()
        assert (everyone["queued"], everyone["commands"]) == ([], 0)
        named = device_admin.post(f"/api/devices/{sn}/enroll", json={"codes": [EMP1]}).json()
        assert (named["queued"], named["not_at_site"], named["commands"]) == ([], [EMP1], 0)
        device = simulator(sn)
        device.handshake()
        assert device.poll() == [] and device.users == {}
    assert admin.get("/api/enrollment-history", params={"employee": EMP1}).json()["items"] == []


def test_a_device_admin_may_not_register_a_terminal_move_it_to_a_site_or_widen_its_networks(
        api, register, device_admin, admin, office):
    refused = device_admin.post("/api/devices", json={"sn": "OWN001", "name": "mine",
                                                      "allowed_networks": ["192.168.1.0/24"]})
    assert refused.status_code == 403
    register("ROL001", allowed_networks=["127.0.0.0/8"])
    for change in ({"site_id": office["id"]}, {"allowed_networks": ["127.0.0.0/8", "192.168.1.0/24"]}):
        reply = device_admin.put("/api/devices/ROL001", json=change)
        assert (reply.status_code, reply.json()["code"]) == (403, "admin_required"), change
    assert device_admin.put("/api/devices/ROL001", json={"allowed_networks": ["127.0.0.1"]}).status_code == 200
    assert device_admin.put("/api/sites/%d/members" % office["id"], json={"unit_codes": ["OPS"]}).status_code == 403
    moved = admin.put("/api/devices/ROL001", json={"site_id": office["id"], "allowed_networks": ["127.0.0.0/8"]})
    assert moved.status_code == 200 and moved.json()["site_id"] == office["id"]


def test_photos_are_refused_to_a_terminal_outside_its_networks_and_every_hand_out_is_recorded_for_hr(
        api, register, simulator, device_admin, admin, session_factory, office):
    photo = jpeg((120, 60, 30))
    with session_factory() as s:
        set_profile_photo(s, EMP1, photo)
    register("PHO001", site_id=office["id"])
    assert device_admin.post("/api/devices/PHO001/enroll", json={"codes": [EMP1]}).json()["commands"] == 2
    device_admin.put("/api/devices/PHO001", json={"allowed_networks": ["127.0.0.2/32"]})  # narrowed: not us
    device = simulator("PHO001")
    assert device.poll() == [] and device.users == {}
    assert [c["state"] for c in device_admin.get("/api/devices/PHO001").json()["pending_commands"]] == [
        "queued", "queued"]

    admin.put("/api/devices/PHO001", json={"allowed_networks": ["127.0.0.0/8"]})
    drain(device)
    assert device.users[EMP1].photo == photo
    history = api.login("hr").get("/api/enrollment-history", params={"employee": EMP1})
    assert history.status_code == 200, history.text
    (handout,) = history.json()["items"]
    assert (handout["sn"], handout["employee"]["code"], handout["remote_addr"]) == ("PHO001", EMP1, "127.0.0.1")
    assert handout["requested_by"] == "10204" and handout["command_state"] == "succeeded"
    assert abs(datetime.fromisoformat(handout["handed_out_at"]) - datetime.now(BANGKOK)) < timedelta(minutes=1)
    by_terminal = admin.get("/api/enrollment-history", params={"sn": "PHO001"}).json()["items"]
    assert [h["command_id"] for h in by_terminal] == [handout["command_id"]]
    for who in (device_admin, api.login("employee1")):
        assert who.get("/api/enrollment-history", params={"employee": EMP1}).status_code == 403
    assert admin.get("/api/enrollment-history", params={"employee": "99999"}).status_code == 404


def test_a_photo_queued_for_a_terminal_is_withheld_once_the_terminal_moved_to_another_site(
        api, register, simulator, device_admin, admin, session_factory, office, other_site):
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((1, 100, 1)))
    register("MOV001", site_id=office["id"])
    device_admin.post("/api/devices/MOV001/enroll", json={"codes": [EMP1]})
    admin.put("/api/devices/MOV001", json={"site_id": other_site["id"]})  # before the terminal polled
    device = simulator("MOV001")
    assert device.poll() == [] and device.users == {}
    commands = device_admin.get("/api/devices/MOV001/commands").json()["items"]
    assert {(c["state"], c["explanation"]) for c in commands} == {
        ("cancelled", "not sent: the employee does not belong to the terminal's site")}
    enrollment = device_admin.get("/api/devices/MOV001/enrollment").json()
    assert [item["employee"]["code"] for item in enrollment["failed"]] == [EMP1]
    assert admin.get("/api/enrollment-history", params={"sn": "MOV001"}).json()["items"] == []


def test_a_site_no_longer_keeps_the_faces_of_people_who_left_it(
        api, register, simulator, device_admin, admin, session_factory, office):
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((1, 100, 1)))
    register("LFT001", site_id=office["id"])
    device_admin.post("/api/devices/LFT001/enroll", json={"codes": [EMP1, EMP2]})
    device = simulator("LFT001")
    drain(device)
    assert device.users[EMP1].photo is not None and set(device.users) == {EMP1, EMP2}
    # The office moves out; only EMP2 stays, named explicitly.
    reply = admin.put(f"/api/sites/{office['id']}/members", json={"unit_codes": [], "employee_codes": [EMP2]})
    assert reply.status_code == 200 and [e["code"] for e in reply.json()["employees"]] == [EMP2]
    drain(device)
    assert set(device.users) == {EMP2}
    enrollment = device_admin.get("/api/devices/LFT001/enrollment").json()
    assert [item["employee"]["code"] for item in enrollment["removed"]] == [EMP1]
    device.punch(pin=EMP1, at=datetime(2026, 11, 30, 8, 45))
    device.upload_punches()
    assert stored_punches(session_factory) == []


def test_two_thousand_random_serials_do_not_make_two_thousand_rows_and_raise_one_notification(
        api, device_admin, admin, session_factory, settings):
    from concurrent.futures import ThreadPoolExecutor

    def knock(number: int) -> int:
        with requests.Session() as http:
            return http.get(f"{api.base_url}/iclock/getrequest", params={"SN": f"RND{number:06d}X"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(knock, range(2000))) == {401}
    with session_factory() as s:
        rows = s.scalar(select(func.count(UnauthorizedDeviceAttempt.id)))
        counted = s.scalar(select(func.sum(UnauthorizedDeviceAttempt.attempts)))
        floods = s.scalars(select(Notification.kind).where(Notification.kind == "device_flood")).all()
    assert rows <= ATTEMPT_BUCKETS and counted == 2000
    assert len(floods) == 2  # one notification, for each of the two people who look after terminals
    for who in (admin, device_admin):
        (flood,) = [n for n in who.get("/api/me/notifications").json()["items"] if n["kind"] == "device_flood"]
        assert "refused" in flood["body_en"]
    assert len(device_admin.get("/api/unauthorized-devices").json()["items"]) == rows
