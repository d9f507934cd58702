"""Missed-punch requests: supervisor then hr; approval appends a ledger punch linked to the request."""
from datetime import timedelta

from tests.support.approvals import decide, missed_punch, status_of, submit, task_of, today


def test_approval_creates_a_request_punch_in_the_ledger(api, demo_org, session_factory):
    employee, supervisor, hr = api.login("employee1"), api.login("supervisor"), api.login("hr")
    day = today() - timedelta(days=1)
    created = submit(employee, missed_punch(day, "08:25", "in"))
    decide(supervisor, created["id"], "approve")
    assert status_of(employee, created["id"]) == "pending"
    hr_task = task_of(hr, created["id"])
    assert hr_task["lane"] == "hr" and hr_task["assignee_group"] == "hr"
    decide(hr, created["id"], "approve")

    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved" and detail["punch_id"] is not None
    punch = employee.get(f"/api/punches/{detail['punch_id']}").json()
    assert punch["source"] == "request" and punch["request_id"] == created["id"]
    assert punch["direction"] == "in" and punch["date"] == day.isoformat() and punch["time"] == "08:25"

    from engine.attendance.ledger_audit import verify_chains

    with session_factory() as session:
        audit = verify_chains(session=session)
    assert audit.punches == 1 and audit.broken == []


def test_rejection_creates_no_punch(api, demo_org):
    employee, supervisor, hr = api.login("employee1"), api.login("supervisor"), api.login("hr")
    created = submit(employee, missed_punch(today() - timedelta(days=2), "16:40", "out"))
    decide(supervisor, created["id"], "approve")
    decide(hr, created["id"], "reject", "no evidence")
    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "rejected" and detail["punch_id"] is None
    assert employee.get("/api/me/punches").json()["total"] == 0


def test_too_far_back_is_refused_at_submit(api, demo_org, settings):
    employee = api.login("employee1")
    old = today() - timedelta(days=settings.missed_punch_max_days_back + 1)
    reply = employee.post("/api/requests", json=missed_punch(old))
    assert reply.status_code == 422
    assert reply.json()["code"] == "missed_punch_too_old"
    assert str(settings.missed_punch_max_days_back) in reply.json()["detail"]
    future = employee.post("/api/requests", json=missed_punch(today() + timedelta(days=1)))
    assert future.status_code == 422 and future.json()["code"] == "missed_punch_in_future"
    bad_reason = employee.post("/api/requests", json={**missed_punch(today()), "reason_code": "lazy"})
    assert bad_reason.status_code == 422 and "reason_code" in bad_reason.json()["errors"]
    assert employee.get("/api/me/requests").json() == []


def test_no_supervisor_routes_to_hr_with_a_reason(api, demo_org):
    """The director has no supervisor: the supervisor step goes to hr, and says why."""
    director, hr = api.login("director"), api.login("hr")
    created = submit(director, missed_punch(today() - timedelta(days=1)))
    task = task_of(hr, created["id"])
    assert task["lane"] == "supervisor" and task["assignee_group"] == "hr"
    assert task["assignment_reason"] == "no active supervisor — routed to hr"
    timeline = director.get(f"/api/requests/{created['id']}").json()["timeline"]
    assert any(s.get("reason") == "no active supervisor — routed to hr" for s in timeline)
