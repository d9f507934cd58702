"""Announcements over HTTP: hr publishes for units (with or without the units below) or everyone; each
employee sees the current ones for them, pinned first then newest, marks them read, and gets exactly one
notification when one is published for them, also when its time comes through the scheduler."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.accounts.service import set_local_account
from engine.models import Employee, Notification, OrgUnit
from engine.scheduler import periodic_jobs, run_once


@pytest.fixture
def org(api, demo_org, session_factory):
    """The demo org (OPS → ICT) plus a sibling unit FIN under OPS and NET under ICT, one person each."""
    with session_factory() as session:
        ops = session.scalar(select(OrgUnit).where(OrgUnit.code == "OPS"))
        ict = session.scalar(select(OrgUnit).where(OrgUnit.code == "ICT"))
        for code, unit_code, parent, username in (("20001", "FIN", ops, "fin1"), ("20002", "NET", ict, "net1")):
            unit = OrgUnit(code=unit_code, name_th=f"หน่วย {unit_code}", name_en=unit_code, parent_id=parent.id)
            session.add(unit)
            session.flush()
            person = Employee(code=code, name_th=f"พนักงาน {code}", name_en=username, unit_id=unit.id)
            session.add(person)
            session.flush()
            set_local_account(session=session, employee=person, username=username, password="demo")
        session.commit()
    return {name: api.login(name) for name in ("hr", "admin", "employee1", "employee2", "fin1", "net1")}


def publish(client, title="ประกาศ", **fields):
    reply = client.post("/api/announcements", json={"title": title, **fields})
    assert reply.status_code == 201, reply.text
    return reply.json()


def titles(client, **query):
    reply = client.get("/api/announcements", params=query)
    assert reply.status_code == 200, reply.text
    return [item["title"] for item in reply.json()["items"]]


def announcement_notifications(session_factory):
    """{employee code: [announcement ids notified]}"""
    with session_factory() as session:
        rows = session.execute(select(Employee.code, Notification.data).join(Employee, Employee.id == Notification.recipient_id)
                               .where(Notification.kind == "announcement").order_by(Notification.id)).all()
    found = {}
    for code, data in rows:
        found.setdefault(code, []).append(data["announcement_id"])
    return found


def test_a_unit_announcement_is_seen_by_its_members_and_the_units_below_only(org):
    publish(org["hr"], "ICT และหน่วยย่อย", units=[{"unit_code": "ICT"}])
    publish(org["hr"], "ICT เท่านั้น", units=[{"unit_code": "ICT", "include_sub_units": False}])
    publish(org["admin"], "ทั้งสำนักงาน", units=[{"unit_code": "OPS"}])
    publish(org["hr"], "ทุกคน")
    assert titles(org["employee1"]) == ["ทุกคน", "ทั้งสำนักงาน", "ICT เท่านั้น", "ICT และหน่วยย่อย"]
    assert titles(org["net1"]) == ["ทุกคน", "ทั้งสำนักงาน", "ICT และหน่วยย่อย"]
    assert titles(org["fin1"]) == ["ทุกคน", "ทั้งสำนักงาน"]
    assert titles(org["hr"]) == ["ทุกคน", "ทั้งสำนักงาน"]  # OPS itself; a unit below is not a unit above


def test_someone_elses_announcement_is_the_same_404_as_an_unknown_one(org):
    ict_only = publish(org["hr"], units=[{"unit_code": "ICT"}])
    assert org["employee1"].get(f"/api/announcements/{ict_only['id']}").status_code == 200
    theirs = org["fin1"].get(f"/api/announcements/{ict_only['id']}")
    unknown = org["fin1"].get("/api/announcements/999999")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["code"] == unknown.json()["code"] == "announcement_not_found"
    assert theirs.json()["detail"] == unknown.json()["detail"]
    assert org["fin1"].post(f"/api/announcements/{ict_only['id']}/read").status_code == 404
    assert org["fin1"].get(f"/api/announcements/managed/{ict_only['id']}").json()["code"] == "role_required"


def test_pinned_come_first_then_the_newest_and_read_marks_are_per_person(org):
    now = datetime.now(timezone.utc)
    publish(org["hr"], "เก่า", publish_at=(now - timedelta(days=2)).isoformat())
    pinned = publish(org["hr"], "ปักหมุด", pinned=True, publish_at=(now - timedelta(days=5)).isoformat())
    newest = publish(org["hr"], "ใหม่", publish_at=(now - timedelta(minutes=1)).isoformat())
    assert titles(org["employee1"]) == ["ปักหมุด", "ใหม่", "เก่า"]
    feed = org["employee1"].get("/api/announcements").json()
    assert (feed["total"], feed["unread_count"]) == (3, 3)
    assert org["employee1"].post(f"/api/announcements/{newest['id']}/read").status_code == 204
    assert org["employee1"].post(f"/api/announcements/{newest['id']}/read").status_code == 204  # twice is fine
    feed = org["employee1"].get("/api/announcements").json()
    assert [(i["title"], i["read"]) for i in feed["items"]] == [("ปักหมุด", False), ("ใหม่", True), ("เก่า", False)]
    assert feed["unread_count"] == 2
    assert titles(org["employee1"], unread_only="true") == ["ปักหมุด", "เก่า"]
    assert org["employee2"].get("/api/announcements").json()["unread_count"] == 3
    page = org["employee1"].get("/api/announcements", params={"page": 2, "page_size": 2}).json()
    assert ([i["title"] for i in page["items"]], page["total"]) == (["เก่า"], 3)
    # Reading the announcement reads its notification: the badge follows.
    items = org["employee1"].get("/api/me/notifications").json()["items"]
    assert {i["data"]["announcement_id"]: i["read"] for i in items} == {
        pinned["id"]: False, newest["id"]: True, items[-1]["data"]["announcement_id"]: False}


def test_each_targeted_employee_gets_one_notification_and_new_units_only_their_own(org, session_factory):
    announcement = publish(org["hr"], "ประชุม", body="บ่ายสองโมง", units=[{"unit_code": "ICT"}])
    notified = announcement_notifications(session_factory)
    ict = {"10101", "10151", "100059150", "100059151", "100059152", "100059153", "10202", "10203", "10204", "20002"}
    assert set(notified) == ict and all(ids == [announcement["id"]] for ids in notified.values())
    [item] = org["employee1"].get("/api/me/notifications").json()["items"]
    assert (item["title_th"], item["body_th"], item["url"]) == (
        "ประกาศ: ประชุม", "บ่ายสองโมง", f"/announcements/{announcement['id']}")

    edited = org["hr"].put(f"/api/announcements/{announcement['id']}", json={"title": "ประชุม (เลื่อน)"})
    assert edited.status_code == 200 and edited.json()["title"] == "ประชุม (เลื่อน)"
    assert announcement_notifications(session_factory) == notified  # an edit notifies nobody again

    widened = org["hr"].put(f"/api/announcements/{announcement['id']}",
                            json={"units": [{"unit_code": "ICT"}, {"unit_code": "FIN"}]})
    assert widened.status_code == 200, widened.text
    assert [u["unit_code"] for u in widened.json()["units"]] == ["ICT", "FIN"] or \
        sorted(u["unit_code"] for u in widened.json()["units"]) == ["FIN", "ICT"]
    after = announcement_notifications(session_factory)
    assert after == {**notified, "20001": [announcement["id"]]}
    managed = org["hr"].get(f"/api/announcements/managed/{announcement['id']}").json()
    assert (managed["state"], managed["notified_count"], managed["read_count"]) == ("current", 11, 0)


def test_a_scheduled_announcement_is_announced_at_its_time_once_however_often_the_scheduler_runs(
        org, session_factory, settings):
    publish_at = datetime.now(timezone.utc) + timedelta(seconds=2)
    scheduled = publish(org["hr"], "ตั้งเวลา", units=[{"unit_code": "FIN"}], publish_at=publish_at.isoformat())
    jobs = periodic_jobs(settings=settings, session_factory=session_factory)
    run_once(jobs)
    assert titles(org["fin1"]) == [] and announcement_notifications(session_factory) == {}
    assert org["hr"].get(f"/api/announcements/managed/{scheduled['id']}").json()["state"] == "scheduled"
    time.sleep(max(0.0, (publish_at - datetime.now(timezone.utc)).total_seconds()) + 0.2)
    assert run_once(jobs)["announcements due"] == 1
    assert run_once(jobs)["announcements due"] == 0
    assert titles(org["fin1"]) == ["ตั้งเวลา"]
    assert announcement_notifications(session_factory) == {"20001": [scheduled["id"]]}


@pytest.mark.postgres_only
def test_two_schedulers_at_once_notify_each_employee_once(org, session_factory):
    from engine.announcements.publication import announce_due

    publish_at = datetime.now(timezone.utc) + timedelta(seconds=1)
    scheduled = publish(org["hr"], "พร้อมกัน", publish_at=publish_at.isoformat())
    time.sleep(1.2)
    start = threading.Barrier(4)
    results = []

    def scheduler():
        start.wait()
        results.append(announce_due(session_factory=session_factory))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everyone = announcement_notifications(session_factory)
    assert sorted(results, reverse=True)[1:] == [0, 0, 0] and results and max(results) == len(everyone) == 12
    assert all(ids == [scheduled["id"]] for ids in everyone.values())


def test_withdrawn_and_expired_announcements_disappear_and_unread_notifications_go(org, session_factory):
    announcement = publish(org["hr"], "ผิดพลาด", units=[{"unit_code": "ICT"}])
    mine = org["employee1"].get("/api/me/notifications").json()["items"][0]
    assert org["employee1"].post(f"/api/me/notifications/{mine['id']}/read").status_code == 204
    withdrawn = org["hr"].post(f"/api/announcements/{announcement['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert org["hr"].post(f"/api/announcements/{announcement['id']}/withdraw").status_code == 200
    assert org["employee1"].get(f"/api/announcements/{announcement['id']}").status_code == 404
    assert titles(org["employee1"]) == []
    assert [n["id"] for n in org["employee1"].get("/api/me/notifications").json()["items"]] == [mine["id"]]
    assert org["employee2"].get("/api/me/notifications").json()["items"] == []  # unread: gone with it
    refused = org["hr"].put(f"/api/announcements/{announcement['id']}", json={"title": "แก้"})
    assert (refused.status_code, refused.json()["code"]) == (409, "announcement_withdrawn")

    soon = datetime.now(timezone.utc) + timedelta(seconds=1)
    short = publish(org["hr"], "สั้น", expires_at=soon.isoformat())
    assert titles(org["fin1"]) == ["สั้น"]
    time.sleep(max(0.0, (soon - datetime.now(timezone.utc)).total_seconds()) + 0.1)
    assert titles(org["fin1"]) == []
    states = {a["id"]: a["state"] for a in org["hr"].get("/api/announcements/managed").json()["items"]}
    assert states == {announcement["id"]: "withdrawn", short["id"]: "expired"}
    expired = org["hr"].get("/api/announcements/managed", params={"state": "expired"}).json()
    assert [a["id"] for a in expired["items"]] == [short["id"]] and expired["total"] == 1


def test_times_keep_their_offset_and_a_time_without_one_is_refused(org):
    made = publish(org["hr"], "อนาคต", publish_at="2030-01-01T09:00:00+07:00", expires_at="2030-01-31T09:30:00Z")
    assert made["publish_at"] == "2030-01-01T02:00:00+00:00"
    assert made["expires_at"] == "2030-01-31T09:30:00+00:00"
    assert made["state"] == "scheduled" and made["announced_at"] is None
    assert made["author"] == {"code": "10201", "name_th": "นางกาญจนา มั่นคง"} and made["for_everyone"] is True
    naive = org["hr"].post("/api/announcements", json={"title": "x", "publish_at": "2030-01-01T09:00:00"})
    assert (naive.status_code, naive.json()["code"]) == (422, "validation_failed")
    assert "publish_at" in naive.json()["errors"]


@pytest.mark.parametrize("body, status, code", [
    ({"title": " "}, 422, "validation_failed"),
    ({"title": "x" * 201}, 422, "validation_failed"),
    ({"title": "ok", "body": "x" * 5001}, 422, "validation_failed"),
    ({"title": "ok\u0007"}, 422, "validation_failed"),
    ({"title": "ok", "link": "javascript:alert(1)"}, 422, "link_invalid"),
    ({"title": "ok", "link": "/relative/path"}, 422, "link_invalid"),
    ({"title": "ok", "link": "https://exa mple.com"}, 422, "link_invalid"),
    ({"title": "ok", "units": [{"unit_code": "NOPE"}]}, 422, "unit_not_found"),
    ({"title": "ok", "units": [{"unit_code": "ICT"}, {"unit_code": "ICT"}]}, 422, "unit_repeated"),
    ({"title": "ok", "publish_at": "2030-01-02T00:00:00Z", "expires_at": "2030-01-01T00:00:00Z"}, 422,
     "expiry_before_publish"),
    ({"title": "ok", "publish_at": "2019-01-01T00:00:00Z", "expires_at": "2020-01-01T00:00:00Z"}, 422,
     "expiry_in_past"),
    ({"title": "ok", "publish_at": "2563-01-01T00:00:00+07:00"}, 422, "validation_failed"),  # a BE year as CE
    ({"title": "ok", "publish_at": "1999-01-01T00:00:00+07:00"}, 422, "date_out_of_range"),
    ({"title": "ok", "pinned": "maybe"}, 422, "validation_failed"),
])
def test_bad_announcements_get_a_problem_with_a_stable_code(org, body, status, code):
    reply = org["hr"].post("/api/announcements", json=body)
    assert (reply.status_code, reply.json()["code"]) == (status, code), reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")


def test_only_hr_and_admin_publish_or_manage(org):
    assert org["employee1"].post("/api/announcements", json={"title": "x"}).json()["code"] == "role_required"
    made = publish(org["admin"], "ok", link="https://intranet.example.go.th/news/1")
    assert made["link"] == "https://intranet.example.go.th/news/1"
    for method, path in (("put", f"/api/announcements/{made['id']}"), ("post", f"/api/announcements/{made['id']}/withdraw"),
                         ("get", "/api/announcements/managed")):
        reply = getattr(org["employee1"], method)(path, json={} if method != "get" else None)
        assert reply.status_code == 403, (method, path, reply.text)
    unknown = org["hr"].put("/api/announcements/999999", json={"title": "x"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "announcement_not_found")
