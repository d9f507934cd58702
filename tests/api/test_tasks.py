"""The inbox: who sees and decides which task, delegation, bulk decisions, and racing approvers."""
import threading
from datetime import timedelta

import pytest

from tests.support.approvals import (decide, missed_punch, overtime, requires_postgres, status_of, submit, task_of,
                                     today)


def test_strangers_get_404_for_tasks_and_requests(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, overtime())
    task = task_of(supervisor, created["id"])
    for stranger in ("employee2", "director", "analyst"):
        client = api.login(stranger)
        assert client.get("/api/tasks").json() == []
        reply = client.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})
        assert reply.status_code == 404 and reply.json()["code"] == "task_not_found"
        assert client.get(f"/api/requests/{created['id']}").status_code == 404
    # The requester cannot approve their own request; hr and the approver may read it.
    assert employee.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 404
    assert api.login("hr").get(f"/api/requests/{created['id']}").status_code == 200
    assert supervisor.get(f"/api/requests/{created['id']}").status_code == 200
    assert api.login("employee2").get("/api/requests/999999").status_code == 404


def test_a_decision_the_task_does_not_offer_is_refused(api, demo_org):
    created = submit(api.login("employee1"), overtime())
    supervisor = api.login("supervisor")
    task = task_of(supervisor, created["id"])
    reply = supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "maybe"})
    assert reply.status_code == 422 and reply.json()["code"] == "task_form_invalid"
    assert status_of(supervisor, created["id"]) == "pending"


def test_second_decision_on_the_same_task_is_a_409(api, demo_org):
    created = submit(api.login("employee1"), overtime())
    supervisor = api.login("supervisor")
    task = task_of(supervisor, created["id"])
    assert supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 200
    again = supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "reject"})
    assert again.status_code == 409 and again.json()["code"] == "task_already_completed"
    assert "already completed" in again.json()["detail"]


def test_acting_approver_decides_during_the_delegation(api, demo_org):
    employee, supervisor, colleague = api.login("employee1"), api.login("supervisor"), api.login("employee3")
    created = submit(employee, overtime())
    task = task_of(supervisor, created["id"])
    assert colleague.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 404

    past = supervisor.post("/api/me/delegations", json={"delegate_code": demo_org["employee3"].code,
                                                         "starts_on": (today() - timedelta(days=9)).isoformat(),
                                                         "ends_on": (today() - timedelta(days=2)).isoformat()})
    assert past.status_code == 422 and past.json()["code"] == "delegation_starts_in_past", past.text
    assert colleague.get("/api/tasks").json() == []

    reply = supervisor.post("/api/me/delegations", json={"delegate_code": demo_org["employee3"].code,
                                                          "starts_on": today().isoformat(),
                                                          "ends_on": (today() + timedelta(days=3)).isoformat()})
    assert reply.status_code == 201, reply.text
    assert [d["delegate"]["code"] for d in colleague.get("/api/me/delegations").json()] == [demo_org["employee3"].code]
    decide(colleague, created["id"], "approve", "acting for the supervisor")
    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved"
    step = next(s for s in detail["timeline"] if s["kind"] == "decision")
    assert step["actor"]["code"] == demo_org["employee3"].code and step["on_behalf_of"] is not None
    assert colleague.get(f"/api/requests/{created['id']}").status_code == 200


def test_delegation_input_is_checked(api, demo_org):
    supervisor = api.login("supervisor")
    self_reply = supervisor.post("/api/me/delegations", json={"delegate_code": demo_org["supervisor"].code,
                                                               "starts_on": "2026-01-01", "ends_on": "2026-01-02"})
    assert self_reply.status_code == 422 and self_reply.json()["code"] == "delegate_self"
    unknown = supervisor.post("/api/me/delegations", json={"delegate_code": "nobody",
                                                            "starts_on": "2026-01-01", "ends_on": "2026-01-02"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "delegate_unknown"


def test_bulk_approval_reports_each_task(api, demo_org):
    supervisor = api.login("supervisor")
    ids = [submit(api.login(name), overtime())["id"] for name in ("employee1", "employee2", "employee3")]
    tasks = {t["request"]["id"]: t["id"] for t in supervisor.get("/api/tasks").json()}
    items = [{"task_id": tasks[i], "decision": "approve"} for i in ids] + [{"task_id": 999999, "decision": "approve"}]
    reply = supervisor.post("/api/tasks/complete", json={"items": items})
    assert reply.status_code == 200, reply.text
    results = reply.json()["results"]
    assert [r["ok"] for r in results] == [True, True, True, False]
    assert results[-1]["status"] == 404 and results[0]["request_status"] == "approved"
    assert all(status_of(supervisor, i) == "approved" for i in ids)


@pytest.mark.postgres_only
@requires_postgres
def test_two_approvers_at_once_exactly_one_wins(api, demo_org, session_factory):
    """A missed punch reaches the hr group; two hr members approve it at the same moment."""
    from sqlalchemy import select

    from engine.models import Employee, EmployeeRole

    with session_factory() as session:  # admin joins hr, so two people may complete the hr task
        admin = session.scalar(select(Employee).where(Employee.code == demo_org["admin"].code))
        session.add(EmployeeRole(employee_id=admin.id, role="hr"))
        session.commit()
    hr_one, hr_two = api.login("hr"), api.login("admin")
    created = submit(api.login("employee1"), missed_punch(today(), "00:00"))
    decide(api.login("supervisor"), created["id"], "approve")
    task = task_of(hr_one, created["id"])
    assert task_of(hr_two, created["id"])["id"] == task["id"]

    barrier = threading.Barrier(2)
    replies = {}

    def approve(name, client):
        barrier.wait()
        replies[name] = client.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})

    threads = [threading.Thread(target=approve, args=(n, c)) for n, c in (("hr", hr_one), ("admin", hr_two))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in replies.values())
    assert codes == [200, 409], {n: r.text for n, r in replies.items()}
    loser = next(r for r in replies.values() if r.status_code == 409)
    assert loser.json()["code"] == "task_already_completed" and "already completed" in loser.json()["detail"]
    detail = hr_one.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved"
    assert len([s for s in detail["timeline"] if s["kind"] == "decision" and s["lane"] == "hr"]) == 1
    assert detail["punch_id"] is not None


def test_nobody_is_offered_their_own_request(api, demo_org):
    """hr's own missed punch reaches the hr step: hr does not see it and cannot decide it."""
    hr, director = api.login("hr"), api.login("director")
    created = submit(hr, missed_punch(today() - timedelta(days=1)))
    decide(director, created["id"], "approve")  # hr's supervisor is the director
    assert [t for t in hr.get("/api/tasks").json() if t["request"]["id"] == created["id"]] == []
    detail = hr.get(f"/api/requests/{created['id']}").json()
    [open_task] = detail["open_tasks"]
    assert open_task["lane"] == "hr"
    reply = hr.post(f"/api/tasks/{open_task['id']}/complete", json={"decision": "approve"})
    assert reply.status_code == 404
