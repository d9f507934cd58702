"""Delegation keeps separation of duties (issue 11): what a delegate may never decide, dates, ending one."""
from datetime import timedelta

from sqlalchemy import select

from engine.models import Employee, EmployeeRole
from tests.support.approvals import decide, missed_punch, overtime, status_of, submit, task_of, today


def delegate(client, to_code: str, *, starts=0, ends=3):
    return client.post("/api/me/delegations", json={"delegate_code": to_code,
                                                   "starts_on": (today() + timedelta(days=starts)).isoformat(),
                                                   "ends_on": (today() + timedelta(days=ends)).isoformat()})


def make_hr(session_factory, code: str) -> None:
    with session_factory() as session:
        person = session.scalar(select(Employee).where(Employee.code == code))
        session.add(EmployeeRole(employee_id=person.id, role="hr"))
        session.commit()


def test_delegate_never_decides_the_delegators_own_request_through_the_hr_group(api, demo_org, session_factory):
    """The issue's case: an hr member delegates to a colleague, then their own request reaches the hr group."""
    hr, director, colleague = api.login("hr"), api.login("director"), api.login("employee3")
    assert delegate(hr, demo_org["employee3"].code).status_code == 201
    created = submit(hr, missed_punch(today() - timedelta(days=1)))
    decide(director, created["id"], "approve")  # hr's supervisor; next is the hr group
    hr_task = hr.get(f"/api/requests/{created['id']}").json()["open_tasks"][0]
    assert hr_task["assignee_group"] == "hr"

    assert created["id"] not in [t["request"]["id"] for t in colleague.get("/api/tasks").json()]
    refused = colleague.post(f"/api/tasks/{hr_task['id']}/complete", json={"decision": "approve"})
    assert refused.status_code == 404 and refused.json()["code"] == "task_not_found"
    assert hr.post(f"/api/tasks/{hr_task['id']}/complete", json={"decision": "approve"}).status_code == 404
    assert status_of(hr, created["id"]) == "pending"

    # Another hr member may; and the same delegate may still decide other people's requests at the hr step.
    make_hr(session_factory, demo_org["admin"].code)
    decide(api.login("admin"), created["id"], "approve")
    assert status_of(hr, created["id"]) == "approved"
    other = submit(api.login("employee1"), missed_punch(today() - timedelta(days=1)))
    decide(api.login("supervisor"), other["id"], "approve")
    decide(colleague, other["id"], "approve")
    assert status_of(api.login("employee1"), other["id"]) == "approved"


def test_delegate_never_decides_a_request_of_the_person_who_delegated_to_them(api, demo_org):
    supervisor, director, colleague = api.login("supervisor"), api.login("director"), api.login("employee3")
    assert delegate(supervisor, demo_org["employee3"].code).status_code == 201
    own = submit(supervisor, overtime())  # the supervisor's request goes to the director...
    assert delegate(director, demo_org["supervisor"].code).status_code == 201
    task = task_of(director, own["id"])
    # ...whose delegate is the requester herself: she could not decide it herself, nor through him.
    reply = supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})
    assert reply.status_code == 404
    assert own["id"] not in [t["request"]["id"] for t in supervisor.get("/api/tasks").json()]


def test_delegate_never_decides_their_own_request_through_a_delegation(api, demo_org):
    supervisor, colleague = api.login("supervisor"), api.login("employee3")
    assert delegate(supervisor, demo_org["employee3"].code).status_code == 201
    own = submit(colleague, overtime())  # reaches the supervisor, who lent her tasks to the requester
    task = task_of(supervisor, own["id"])
    assert colleague.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 404
    assert own["id"] not in [t["request"]["id"] for t in colleague.get("/api/tasks").json()]


def test_delegation_that_starts_in_the_past_is_refused(api, demo_org):
    supervisor = api.login("supervisor")
    reply = delegate(supervisor, demo_org["employee3"].code, starts=-1, ends=3)
    assert reply.status_code == 422 and reply.json()["code"] == "delegation_starts_in_past"
    assert supervisor.get("/api/me/delegations").json() == []
    assert delegate(supervisor, demo_org["employee3"].code, starts=0, ends=0).status_code == 201


def test_ended_delegation_lends_nothing_and_only_its_giver_can_end_it(api, demo_org):
    employee, supervisor, colleague = api.login("employee1"), api.login("supervisor"), api.login("employee3")
    created = submit(employee, overtime())
    given = delegate(supervisor, demo_org["employee3"].code).json()
    assert given["active"] is True and given["ended_at"] is None
    assert [t["request"]["id"] for t in colleague.get("/api/tasks").json()] == [created["id"]]

    assert colleague.delete(f"/api/me/delegations/{given['id']}").status_code == 404  # not the delegate's to end
    assert api.login("employee2").delete(f"/api/me/delegations/{given['id']}").status_code == 404
    ended = supervisor.delete(f"/api/me/delegations/{given['id']}")
    assert ended.status_code == 200, ended.text
    assert ended.json()["active"] is False and ended.json()["ended_at"] is not None
    assert colleague.get("/api/tasks").json() == []
    task = task_of(supervisor, created["id"])
    assert colleague.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 404
    assert supervisor.delete(f"/api/me/delegations/{given['id']}").status_code == 200  # ending twice: no change
    listed = supervisor.get("/api/me/delegations").json()
    assert [d["ended_at"] is not None for d in listed] == [True]  # kept for the record


def test_timeline_says_decided_by_the_delegate_acting_for_the_delegator(api, demo_org):
    employee, supervisor, colleague = api.login("employee1"), api.login("supervisor"), api.login("employee3")
    created = submit(employee, overtime())
    assert delegate(supervisor, demo_org["employee3"].code).status_code == 201
    decide(colleague, created["id"], "approve")
    step = next(s for s in employee.get(f"/api/requests/{created['id']}").json()["timeline"]
                if s["kind"] == "decision")
    assert step["on_behalf_of"]["code"] == demo_org["supervisor"].code
    assert step["decided_by_en"] == (f"decided by {demo_org['employee3'].name_en} ({demo_org['employee3'].code}) "
                                     f"acting for {demo_org['supervisor'].name_en} ({demo_org['supervisor'].code})")
    assert step["decided_by_th"] == (f"ตัดสินโดย {demo_org['employee3'].name_th} ({demo_org['employee3'].code}) "
                                     f"ปฏิบัติราชการแทน {demo_org['supervisor'].name_th} "
                                     f"({demo_org['supervisor'].code})")
