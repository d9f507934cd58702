"""Return-then-resubmit and cancel for the off-site and missed-punch processes (overtime has its own file)."""
from datetime import timedelta

import pytest

from tests.support.approvals import decide, missed_punch, offsite, status_of, submit, task_of, today


def _bodies():
    start = today() + timedelta(days=1)
    yesterday = today() - timedelta(days=1)
    return {
        "offsite": (offsite(start, start), offsite(start, start + timedelta(days=5)), ["supervisor", "director"]),
        "missed_punch": (missed_punch(yesterday, "08:30"), missed_punch(yesterday, "08:10"), ["supervisor", "hr"]),
    }


@pytest.mark.parametrize("kind", ["offsite", "missed_punch"])
def test_return_edit_resubmit_then_approve(api, demo_org, kind):
    first, edited, chain = _bodies()[kind]
    employee = api.login("employee1")
    approvers = {"supervisor": api.login("supervisor"), "director": api.login("director"), "hr": api.login("hr")}
    created = submit(employee, first)
    decide(approvers["supervisor"], created["id"], "return", "please correct")
    assert status_of(employee, created["id"]) == "returned"
    assert task_of(employee, created["id"])["lane"] == "requester"
    reply = employee.put(f"/api/requests/{created['id']}", json=edited)
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "pending"
    for lane in chain:  # the edited values decide the chain again (6 days: director; missed punch: hr)
        assert task_of(approvers[lane], created["id"])["lane"] == lane
        decide(approvers[lane], created["id"], "approve")
    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved"
    if kind == "missed_punch":
        assert detail["time"] == "08:10" and detail["punch_id"] is not None
        assert employee.get(f"/api/punches/{detail['punch_id']}").json()["time"] == "08:10"
    else:
        assert detail["days"] == 6


@pytest.mark.parametrize("kind", ["offsite", "missed_punch"])
def test_cancel_while_pending_creates_nothing(api, demo_org, kind):
    first, _, _ = _bodies()[kind]
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, first)
    reply = employee.post(f"/api/requests/{created['id']}/cancel", json={"comment": "changed my mind"})
    assert reply.status_code == 200, reply.text
    detail = reply.json()
    assert detail["status"] == "cancelled" and detail["open_tasks"] == []
    assert [s["kind"] for s in detail["timeline"]][-1] == "finished"
    assert supervisor.get("/api/tasks").json() == []
    assert employee.get("/api/me/punches").json()["total"] == 0
    # The requester cancelled it themself and is told nothing; the supervisor hears the task was withdrawn.
    assert employee.get("/api/me/notifications").json()["items"] == []
    assert "task_withdrawn" in [n["kind"] for n in supervisor.get("/api/me/notifications").json()["items"]]
