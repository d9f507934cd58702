"""Overtime requests end to end over HTTP: approve, reject, return and resubmit, cancel, the director step."""
from tests.support.approvals import decide, overtime, status_of, submit, task_of


def test_supervisor_approves_short_overtime(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, overtime("17:00", "19:00"))
    assert created["type"] == "overtime" and created["status"] == "pending"
    assert created["planned_hours"] == 2.0

    task = task_of(supervisor, created["id"])
    assert task["lane"] == "supervisor" and task["assignment_reason"] == "direct supervisor"
    assert set(task["decisions"]) == {"approve", "reject", "return"}
    done = decide(supervisor, created["id"], "approve", "ok")
    assert done["state"] == "completed" and done["decision"] == "approve"

    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved"
    kinds = [step["kind"] for step in detail["timeline"]]
    assert kinds[0] == "started" and kinds[-1] == "finished"
    decision = next(s for s in detail["timeline"] if s["kind"] == "decision")
    assert decision["actor"]["code"] == demo_org["supervisor"].code and decision["comment"] == "ok"
    assert api.login("director").get("/api/tasks").json() == []
    mine = employee.get("/api/me/requests").json()
    assert [(r["id"], r["status"]) for r in mine] == [(created["id"], "approved")]
    assert employee.get("/api/me/requests?status=pending").json() == []

    notes = employee.get("/api/me/notifications").json()["items"]
    assert [(n["kind"], n["body_en"]) for n in notes] == [("request_approved", "ok")]  # one decision, one notice
    assert "task_assigned" in {n["kind"] for n in supervisor.get("/api/me/notifications").json()["items"]}


def test_long_overtime_also_needs_the_director(api, demo_org):
    employee, supervisor, director = api.login("employee1"), api.login("supervisor"), api.login("director")
    created = submit(employee, overtime("16:30", "22:00"))  # 5.5 h > 4 h: the DMN adds the director
    decide(supervisor, created["id"], "approve")
    assert status_of(employee, created["id"]) == "pending"
    task = task_of(director, created["id"])
    assert task["lane"] == "director" and task["assignment_reason"] == "head of the requester's unit"
    decide(director, created["id"], "approve")
    assert status_of(employee, created["id"]) == "approved"


def test_weekend_overtime_needs_the_director(api, demo_org):
    from datetime import timedelta

    from tests.support.approvals import today

    saturday = today() + timedelta(days=(5 - today().weekday()) % 7 or 7)
    employee, supervisor, director = api.login("employee2"), api.login("supervisor"), api.login("director")
    created = submit(employee, overtime("09:00", "11:00", day=saturday))
    decide(supervisor, created["id"], "approve")
    decide(director, created["id"], "reject", "not needed")
    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "rejected"
    assert [s["decision"] for s in detail["timeline"] if s["kind"] == "decision"] == ["approve", "reject"]


def test_supervisor_rejects(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, overtime())
    decide(supervisor, created["id"], "reject", "budget")
    assert status_of(employee, created["id"]) == "rejected"
    assert supervisor.get("/api/tasks").json() == []


def test_return_then_edit_and_resubmit(api, demo_org):
    employee, supervisor, director = api.login("employee1"), api.login("supervisor"), api.login("director")
    created = submit(employee, overtime("17:00", "19:00"))
    decide(supervisor, created["id"], "return", "please make it longer")
    assert status_of(employee, created["id"]) == "returned"
    revise = task_of(employee, created["id"])
    assert revise["lane"] == "requester"

    # Edited to 6 hours: the DMN runs again on the new values and adds the director.
    reply = employee.put(f"/api/requests/{created['id']}", json={**overtime("16:00", "22:00"), "comment": "done"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "pending" and reply.json()["end"] == "22:00"
    decide(supervisor, created["id"], "approve")
    decide(director, created["id"], "approve")
    assert status_of(employee, created["id"]) == "approved"


def test_resubmit_is_refused_unless_returned(api, demo_org):
    employee = api.login("employee1")
    created = submit(employee, overtime())
    reply = employee.put(f"/api/requests/{created['id']}", json=overtime("17:00", "20:00"))
    assert reply.status_code == 409 and reply.json()["code"] == "request_not_returned"


def test_requester_cancels_while_pending_and_while_returned(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    first = submit(employee, overtime())
    reply = employee.post(f"/api/requests/{first['id']}/cancel", json={"comment": "no longer needed"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "cancelled"
    assert supervisor.get("/api/tasks").json() == []
    again = employee.post(f"/api/requests/{first['id']}/cancel", json={})
    assert again.status_code == 409 and again.json()["code"] == "request_not_cancellable"

    second = submit(employee, overtime())
    decide(supervisor, second["id"], "return")
    assert employee.post(f"/api/requests/{second['id']}/cancel", json={}).json()["status"] == "cancelled"


def test_only_the_requester_cancels(api, demo_org):
    created = submit(api.login("employee1"), overtime())
    assert api.login("employee2").post(f"/api/requests/{created['id']}/cancel", json={}).status_code == 404
    assert api.login("supervisor").post(f"/api/requests/{created['id']}/cancel", json={}).status_code == 403


def test_submit_checks_fields_per_type(api, demo_org):
    employee = api.login("employee1")
    reply = employee.post("/api/requests", json={"type": "overtime", "date": "2026-01-05", "start": "17:00"})
    assert reply.status_code == 422
    assert {"end", "reason"} <= set(reply.json()["errors"])
    bad_time = employee.post("/api/requests", json={**overtime(), "start": "5pm"})
    assert bad_time.status_code == 422 and "start" in bad_time.json()["errors"]
    backwards = employee.post("/api/requests", json=overtime("19:00", "17:00"))
    assert backwards.status_code == 422 and backwards.json()["code"] == "overtime_times_invalid"
    assert employee.post("/api/requests", json={"type": "leave"}).status_code == 422


def test_the_same_overtime_twice_is_409(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    first = submit(employee, overtime("17:00", "19:00"))
    again = employee.post("/api/requests", json=overtime("17:00", "19:00"))
    assert again.status_code == 409 and again.json()["code"] == "overtime_duplicate"
    assert again.json()["request_id"] == first["id"]
    decide(supervisor, first["id"], "approve")
    assert employee.post("/api/requests", json=overtime("17:00", "19:00")).status_code == 409  # approved stands too
    # Other times the same day, or someone else's, are no duplicate; a rejected one may be asked again.
    later = submit(employee, overtime("19:00", "20:00"))
    submit(api.login("employee2"), overtime("17:00", "19:00"))
    decide(supervisor, later["id"], "reject")
    submit(employee, overtime("19:00", "20:00"))
