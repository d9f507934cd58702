"""Enrollment: USERINFO and profile photos reach the simulated terminal, and its results come back."""
import io
from sqlalchemy import select

from engine.directory.importer import import_employees_csv
from engine.models import Employee
from engine.terminals.enrollment import employee_devices, profile_photo_changed
from tests.support.terminals import EMP1, EMP2, EMP3, drain, jpeg, set_profile_photo


def by_code(overview: dict) -> dict:
    return {item["employee"]["code"]: (state, item) for state, items in overview.items() for item in items}


def test_enroll_puts_users_and_photos_on_the_device(api, register, simulator, device_admin, session_factory,
                                                    office):
    register("EN0001", name="MOC-OPS", site_id=office["id"])
    photo = jpeg((200, 120, 90))
    with session_factory() as s:
        set_profile_photo(s, EMP1, photo)

    reply = device_admin.post("/api/devices/EN0001/enroll", json={"codes": [EMP1, EMP2, "99999"]})
    assert reply.status_code == 202, reply.text
    assert reply.json() == {"queued": [EMP1, EMP2], "no_photo": [EMP2], "unknown": ["99999"], "inactive": [],
                            "invalid_pin": [], "not_at_site": [], "commands": 3}
    pending = by_code(device_admin.get("/api/devices/EN0001/enrollment").json())
    assert {code: state for code, (state, _) in pending.items()} == {EMP1: "pending", EMP2: "pending"}
    shown = device_admin.get("/api/devices/EN0001").json()
    assert shown["pending_count"] == 3
    assert [c["verb"] for c in shown["pending_commands"]] == ["DATA UPDATE USERINFO", "DATA UPDATE BIOPHOTO",
                                                              "DATA UPDATE USERINFO"]

    device = simulator("EN0001")
    device.handshake()
    results = drain(device)
    assert len(results) == 3 and all(r.return_code == 0 for r in results)
    assert device.users[EMP1].name == "นายกิตติพัฒน์ สุขประเสริฐ"
    assert device.users[EMP1].photo == photo
    assert device.users[EMP2].photo is None

    overview = by_code(device_admin.get("/api/devices/EN0001/enrollment").json())
    assert overview[EMP1][0] == "enrolled" and overview[EMP1][1]["has_photo"] is True
    assert overview[EMP2][0] == "enrolled" and overview[EMP2][1]["reason"] == "no profile photo"
    assert device_admin.get("/api/devices/EN0001").json()["pending_count"] == 0
    commands = device_admin.get("/api/devices/EN0001/commands").json()["items"]
    assert {c["state"] for c in commands} == {"succeeded"} and {c["polls"] for c in commands} == {1}


def test_a_photo_travels_alone_in_its_own_poll(api, register, simulator, device_admin, session_factory, office):
    register("EN0002", site_id=office["id"])
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((10, 20, 30)))
        set_profile_photo(s, EMP3, jpeg((30, 20, 10)))
    device_admin.post("/api/devices/EN0002/enroll", json={"codes": [EMP1, EMP3]})
    device = simulator("EN0002")
    device.handshake()
    polls = []
    while batch := device.poll():
        polls.append([r.id for r in batch])
    commands = {c["id"]: c["verb"] for c in device_admin.get("/api/devices/EN0002/commands").json()["items"]}
    verbs = [[commands[i] for i in ids] for ids in polls]
    assert verbs == [["DATA UPDATE USERINFO"], ["DATA UPDATE BIOPHOTO"], ["DATA UPDATE USERINFO"],
                     ["DATA UPDATE BIOPHOTO"]]


def test_a_failed_command_marks_the_enrollment_failed_with_the_reason(api, register, simulator, device_admin,
                                                                      session_factory, office):
    register("EN0003", site_id=office["id"])
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((1, 2, 3)))
    device_admin.post("/api/devices/EN0003/enroll", json={"codes": [EMP1]})
    device = simulator("EN0003")
    device.handshake()
    (user_info,) = device.poll()
    assert user_info.return_code == 0
    del device.users[EMP1]  # someone deletes the user at the terminal before the photo arrives
    (photo,) = device.poll()
    assert photo.return_code == -10
    state, item = by_code(device_admin.get("/api/devices/EN0003/enrollment").json())[EMP1]
    assert state == "failed"
    assert item["reason"] == "DATA UPDATE BIOPHOTO: PIN does not exist on the device (Return=-10)"

    device_admin.post("/api/devices/EN0003/enroll", json={"codes": [EMP1]})  # the admin tries again
    drain(device)
    assert by_code(device_admin.get("/api/devices/EN0003/enrollment").json())[EMP1][0] == "enrolled"


def test_a_photo_change_queues_a_re_enroll_on_the_employees_devices(api, register, simulator, device_admin,
                                                                    session_factory, office):
    register("PC0001", name="MOC-OPS", site_id=office["id"])
    register("PC0002", name="MOC-OPS-2", site_id=office["id"])
    register("PC0003", name="ELSEWHERE")
    with session_factory() as s:
        set_profile_photo(s, EMP1, jpeg((50, 50, 50)))
    device_admin.post("/api/devices/PC0001/enroll", json={"codes": [EMP1]})
    device = simulator("PC0001")
    device.handshake()
    drain(device)

    new_photo = jpeg((250, 250, 250))
    with session_factory() as s:
        set_profile_photo(s, EMP1, new_photo)
        employee = s.scalar(select(Employee).where(Employee.code == EMP1))
        devices = profile_photo_changed(session=s, employee=employee)
        s.commit()
    # the device they are on, and the other device at the same site; not the one elsewhere
    assert [d.sn for d in devices] == ["PC0001", "PC0002"]
    for sn in ("PC0001", "PC0002"):
        pending = device_admin.get(f"/api/devices/{sn}").json()["pending_commands"]
        assert [(c["verb"], c["employee_code"]) for c in pending] == [("DATA UPDATE USERINFO", EMP1),
                                                                     ("DATA UPDATE BIOPHOTO", EMP1)]
    assert device_admin.get("/api/devices/PC0003").json()["pending_count"] == 0
    assert by_code(device_admin.get("/api/devices/PC0001/enrollment").json())[EMP1][0] == "pending"
    drain(device)
    assert device.users[EMP1].photo == new_photo
    assert by_code(device_admin.get("/api/devices/PC0001/enrollment").json())[EMP1][0] == "enrolled"


def test_an_employees_devices_are_those_of_the_sites_they_belong_to_not_where_they_punched(
        api, register, session_factory, admin, moc_site, other_site):
    register("ST0001", site_id=moc_site["id"])
    register("ST0002", site_id=other_site["id"])
    register("ST0003")
    punch = api.login("employee3").post("/api/punches", json={"direction": "in", "latitude": 13.8618,
                                                                "longitude": 100.5127, "accuracy_m": 10})
    assert punch.status_code == 201 and punch.json()["site"]["id"] == moc_site["id"], punch.text
    with session_factory() as s:
        employee = s.scalar(select(Employee).where(Employee.code == EMP3))
        assert employee_devices(session=s, employee=employee) == []  # a punch there makes nobody a member
    admin.put(f"/api/sites/{moc_site['id']}/members", json={"unit_codes": ["ICT"]})
    admin.put(f"/api/sites/{other_site['id']}/members", json={"employee_codes": [EMP3]})
    members = admin.get(f"/api/sites/{other_site['id']}/members").json()
    assert [e["code"] for e in members["employees"]] == [EMP3] and members["units"] == []
    with session_factory() as s:
        employee = s.scalar(select(Employee).where(Employee.code == EMP3))
        assert [d.sn for d in employee_devices(session=s, employee=employee)] == ["ST0001", "ST0002"]
        set_profile_photo(s, EMP3, jpeg((5, 5, 5)))
        assert [d.sn for d in profile_photo_changed(session=s, employee=employee)] == ["ST0001", "ST0002"]
        s.commit()


def test_deactivating_an_employee_takes_them_off_the_device(api, register, simulator, device_admin,
                                                            session_factory, office):
    register("DA0001", site_id=office["id"])
    device_admin.post("/api/devices/DA0001/enroll", json={"codes": [EMP2, EMP3]})
    device = simulator("DA0001")
    device.handshake()
    drain(device)
    assert set(device.users) == {EMP2, EMP3}

    csv = ("code,name_th,unit_code,active\n"
           f"{EMP2},นางสาววรรณวิสา ทองมา,ICT,false\n")
    with session_factory() as s:
        report = import_employees_csv(session=s, path_or_file=io.StringIO(csv))
        assert report.ok, report.problems
        s.commit()
    state, _ = by_code(device_admin.get("/api/devices/DA0001/enrollment").json())[EMP2]
    assert state == "removing"
    assert [c["verb"] for c in device_admin.get("/api/devices/DA0001").json()["pending_commands"]] == [
        "DATA DELETE USERINFO"]
    drain(device)
    assert set(device.users) == {EMP3}
    overview = by_code(device_admin.get("/api/devices/DA0001/enrollment").json())
    assert overview[EMP2][0] == "removed" and overview[EMP3][0] == "enrolled"

    again = device_admin.post("/api/devices/DA0001/enroll", json={"codes": [EMP2]}).json()
    assert again["inactive"] == [EMP2] and again["queued"] == []
