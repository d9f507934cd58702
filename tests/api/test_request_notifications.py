"""One notification per event, and only true ones; no one decides the same request twice in a row."""
from datetime import timedelta

from tests.support.approvals import decide, missed_punch, overtime, status_of, submit, task_of, today


def kinds(client) -> list[str]:
    return [n["kind"] for n in reversed(client.get("/api/me/notifications").json()["items"])]


def test_after_the_first_of_two_steps_the_requester_hears_it_moved_on(api, demo_org):
    employee, supervisor, director = api.login("employee1"), api.login("supervisor"), api.login("director")
    created = submit(employee, overtime("16:30", "22:00"))  # over 4 h: supervisor, then director
    decide(supervisor, created["id"], "approve", "เห็นควรอนุมัติ")
    notes = employee.get("/api/me/notifications").json()["items"]
    assert [n["kind"] for n in notes] == ["request_forwarded"]
    assert "moved on to Thanakorn Sriwattana" in notes[0]["title_en"] and "นายธนากร ศรีวัฒนา" in notes[0]["title_th"]
    assert notes[0]["body_th"] == "เห็นควรอนุมัติ"
    decide(director, created["id"], "approve")
    assert kinds(employee) == ["request_forwarded", "request_approved"]


def test_a_rejection_and_a_return_make_one_notice_each(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    rejected = submit(employee, overtime("17:00", "18:00"))
    decide(supervisor, rejected["id"], "reject", "งบไม่พอ")
    returned = submit(employee, overtime("18:00", "19:00"))
    decide(supervisor, returned["id"], "return", "ระบุงานให้ชัด")
    notes = list(reversed(employee.get("/api/me/notifications").json()["items"]))
    assert [(n["kind"], n["body_th"]) for n in notes] == [("request_rejected", "งบไม่พอ"),
                                                          ("request_returned", "ระบุงานให้ชัด")]
    assert notes[0]["title_en"].endswith(": rejected") and notes[0]["title_th"].endswith(": ไม่อนุมัติ")


def test_a_cancel_tells_the_approver_it_was_withdrawn_not_the_requester(api, demo_org):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, overtime())
    assert employee.post(f"/api/requests/{created['id']}/cancel", json={}).status_code == 200
    assert kinds(employee) == []
    assert kinds(supervisor) == ["task_assigned", "task_withdrawn"]


def test_two_steps_to_the_same_person_are_one_decision(api, demo_org):
    """The supervisor's own long overtime: her supervisor is the director, who also heads the unit."""
    requester, director = api.login("supervisor"), api.login("director")
    created = submit(requester, overtime("16:30", "22:00"))
    first = task_of(director, created["id"])
    assert first["lane"] == "supervisor"
    decide(director, created["id"], "approve", "อนุมัติ")
    detail = requester.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "approved" and director.get("/api/tasks").json() == []
    decisions = [s for s in detail["timeline"] if s["kind"] == "decision"]
    assert [(s["lane"], s["actor"]["code"], s["decision"]) for s in decisions] == [
        ("supervisor", "10101", "approve"), ("director", "10101", "approve")]
    assert "same_approver" not in decisions[0]
    assert decisions[1]["same_approver"] is True
    assert decisions[1]["note_en"] == "decided by the same approver at the previous step"
    assert kinds(director) == ["task_assigned"]  # never asked twice
    assert kinds(requester) == ["request_approved"]


def test_a_requester_never_approves_their_own_request(api, demo_org):
    """The director heads every unit and has no supervisor: both steps go to hr, decided once."""
    director, hr = api.login("director"), api.login("hr")
    created = submit(director, overtime("16:30", "22:00"))
    assert director.get("/api/tasks").json() == []
    task = task_of(hr, created["id"])
    assert task["assignee_group"] == "hr" and "routed to hr" in task["assignment_reason"]
    refused = director.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})
    assert refused.status_code == 404
    decide(hr, created["id"], "approve")
    assert status_of(director, created["id"]) == "approved"


def test_an_hr_request_never_reaches_its_requester(api, demo_org):
    hr = api.login("hr")
    created = submit(hr, missed_punch(today() - timedelta(days=1), "08:00"))
    assert hr.get("/api/tasks").json() == []  # the director decides the supervisor step first
    decide(api.login("director"), created["id"], "approve")
    assert [t for t in hr.get("/api/tasks").json() if t["request"]["id"] == created["id"]] == []
