"""A punch whose selfie was rejected does not count as attendance until hr accepts it; a pending one
counts provisionally. Seen where people meet it: the calendar, the punch detail, hr's acceptance."""
from datetime import date, datetime, timedelta

import pytest

from tests.support.approvals import submit, today
from tests.support.punches import add_punch

EMP1 = "100059150"


def last_workday() -> date:
    day = today() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@pytest.fixture
def rejected_out(demo_org, session_factory):
    """employee1 on the last workday: an IN without a selfie, and an OUT whose selfie was rejected."""
    day = last_workday()
    with session_factory() as s:
        add_punch(s, EMP1, datetime.combine(day, datetime.min.time()).replace(hour=8, minute=30), "in")
        out = add_punch(s, EMP1, datetime.combine(day, datetime.min.time()).replace(hour=16, minute=45), "out",
                        selfie_verdict="rejected")
        s.commit()
    return day, out.id


def day_of(client, day: date, code: str | None = None) -> dict:
    path = f"/api/employees/{code}/calendar" if code else "/api/me/calendar"
    calendar = client.get(path, params={"month": f"{day:%Y-%m}"}).json()
    return next(d for d in calendar["days"] if d["date"] == day.isoformat())


def test_an_out_with_a_rejected_selfie_does_not_complete_the_day(api, rejected_out):
    day, out_id = rejected_out
    shown = day_of(api.login("employee1"), day)
    assert shown["status"] == "incomplete" and shown["missing"] == ["out"]
    assert shown["excluded_punches"] == [{"id": out_id, "time": "16:45", "direction": "out",
                                          "reason": "selfie_rejected"}]
    standings = {p["id"]: (p["standing"], p["standing_reason"]) for p in shown["punches"]}
    assert standings[out_id] == ("excluded", "selfie_rejected")  # still shown, flagged
    # The supervisor sees the same day.
    assert day_of(api.login("supervisor"), day, EMP1)["status"] == "incomplete"


def test_a_missed_punch_request_can_be_filed_for_that_day(api, rejected_out):
    day, _ = rejected_out
    request = submit(api.login("employee1"), {"type": "missed_punch", "date": day.isoformat(), "time": "16:45",
                                              "direction": "out", "reason_code": "other",
                                              "reason": "ภาพเซลฟีไม่ผ่าน แต่อยู่ที่ทำงาน"})
    assert request["status"] == "pending"


def test_hr_accepts_the_punch_with_a_reason_and_then_it_counts(api, rejected_out):
    day, out_id = rejected_out
    employee, hr = api.login("employee1"), api.login("hr")
    reply = hr.post(f"/api/punches/{out_id}/acceptance", json={"reason": "ตรวจกล้องวงจรปิดแล้ว อยู่ที่ทำงาน"})
    assert reply.status_code == 201, reply.text
    detail = employee.get(f"/api/punches/{out_id}").json()
    assert detail["acceptance"]["reason"] == "ตรวจกล้องวงจรปิดแล้ว อยู่ที่ทำงาน"
    assert detail["acceptance"]["accepted_by"]["code"] == "10201"
    assert detail["acceptance"]["verification_status"] == "rejected" and detail["acceptance"]["accepted_at"]
    assert (detail["standing"], detail["standing_reason"]) == ("counts", "accepted_by_hr")
    assert detail["verification"]["status"] == "rejected"  # the verdict itself stays on the record
    shown = day_of(employee, day)
    assert shown["status"] == "normal" and shown["excluded_punches"] == []
    notices = employee.get("/api/me/notifications").json()["items"]
    assert [n["kind"] for n in notices] == ["punch_accepted"] and notices[0]["data"] == {"punch_id": out_id}

    again = hr.post(f"/api/punches/{out_id}/acceptance", json={"reason": "again"})
    assert again.status_code == 409 and again.json()["code"] == "punch_already_accepted"


def test_only_hr_accepts_only_failed_checks_and_never_their_own(api, rejected_out, session_factory):
    day, out_id = rejected_out
    refused = api.login("supervisor").post(f"/api/punches/{out_id}/acceptance", json={"reason": "ok"})
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"
    in_id = next(p["id"] for p in day_of(api.login("employee1"), day)["punches"] if p["direction"] == "in")
    counted = api.login("hr").post(f"/api/punches/{in_id}/acceptance", json={"reason": "ok"})
    assert counted.status_code == 409 and counted.json()["code"] == "punch_not_excluded"
    with session_factory() as s:
        own = add_punch(s, "10201", datetime.combine(day, datetime.min.time()).replace(hour=8), "in",
                        selfie_verdict="rejected")
        s.commit()
    mine = api.login("hr").post(f"/api/punches/{own.id}/acceptance", json={"reason": "it was me"})
    assert mine.status_code == 403 and mine.json()["code"] == "own_punch"
    empty = api.login("hr").post(f"/api/punches/{out_id}/acceptance", json={"reason": ""})
    assert empty.status_code == 422


def test_a_pending_check_counts_provisionally(api, demo_org, session_factory):
    day = last_workday()
    with session_factory() as s:
        add_punch(s, EMP1, datetime.combine(day, datetime.min.time()).replace(hour=8, minute=30), "in",
                  selfie_verdict="verified")
        add_punch(s, EMP1, datetime.combine(day, datetime.min.time()).replace(hour=16, minute=45), "out",
                  selfie_verdict="pending")
        s.commit()
    shown = day_of(api.login("employee1"), day)
    assert shown["status"] == "normal" and shown["provisional"] is True and shown["final"] is False
    assert [p["standing"] for p in shown["punches"]] == ["counts", "provisional"]
    assert [p["verification"]["status"] for p in shown["punches"]] == ["verified", "pending"]
