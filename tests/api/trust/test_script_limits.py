"""Analysts' scripts and expressions are bounded (issue 11): time and memory limits, at run and validate time."""
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from engine.models import ApprovalRequest, ProcessInstance, WorkflowEventRow
from engine.requests.scheduled import tick_due
from tests.support.approvals import decide, overtime, status_of, submit, task_of

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
OVERTIME = (BPMN_DIR / "overtime.bpmn").read_text()
CHAIN = (BPMN_DIR / "overtime_chain.dmn").read_text()
TIMEOUT_S = 2.0  # the default OPSTA_WORKFLOW_SCRIPT_TIMEOUT_S of the test app
REMINDER_END = """    <bpmn:endEvent id="supervisor_reminded" name="Supervisor reminded">
      <bpmn:incoming>flow_supervisor_reminded</bpmn:incoming>
    </bpmn:endEvent>"""


def upload(client, path: str, files: dict[str, str]):
    return client.post(path, files=[("files", (name, raw.encode(), "application/xml")) for name, raw in files.items()])


def publish(analyst, files: dict[str, str]) -> None:
    reply = upload(analyst, "/api/processes/publish", files)
    assert reply.status_code == 201, reply.text


def with_script(script: str) -> str:
    return OVERTIME.replace('<bpmn:script>outcome = "approved"</bpmn:script>', f"<bpmn:script>{script}</bpmn:script>")


def with_reminder_script(script: str) -> str:
    return OVERTIME.replace(REMINDER_END, f"""    <bpmn:scriptTask id="supervisor_reminded" name="Supervisor reminded">
      <bpmn:incoming>flow_supervisor_reminded</bpmn:incoming>
      <bpmn:outgoing>flow_reminded_end</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="reminded_end" name="Reminded"><bpmn:incoming>flow_reminded_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_reminded_end" sourceRef="supervisor_reminded" targetRef="reminded_end" />""")


def with_timer(expression: str) -> str:
    return OVERTIME.replace("<bpmn:timeDate xsi:type=\"bpmn:tFormalExpression\">working_days_after(3)</bpmn:timeDate>",
                            f"<bpmn:timeDate xsi:type=\"bpmn:tFormalExpression\">{expression}</bpmn:timeDate>", 1)


def test_script_task_that_never_ends_is_refused_with_409_workflow_script_limit(api, demo_org):
    analyst, employee, supervisor = api.login("analyst"), api.login("employee1"), api.login("supervisor")
    publish(analyst, {"overtime.bpmn": with_script("while True:\n    pass")})
    created = submit(employee, overtime())
    task = task_of(supervisor, created["id"])
    started = time.perf_counter()
    reply = supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})
    took = time.perf_counter() - started
    assert reply.status_code == 409, reply.text
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["code"] == "workflow_script_limit" and reply.json()["element_id"] == "record_approved"
    assert "longer than" in reply.json()["detail"]
    assert took < TIMEOUT_S + 3
    # Nothing was saved, the task is still open, and the next request is served by a fresh worker.
    assert task_of(supervisor, created["id"])["id"] == task["id"]
    decide(supervisor, created["id"], "reject")
    assert status_of(employee, created["id"]) == "rejected"


def test_dmn_expression_10_pow_10_pow_10_is_refused_and_the_request_is_not_stored(api, demo_org, session_factory):
    analyst, employee = api.login("analyst"), api.login("employee1")
    publish(analyst, {"overtime_chain.dmn": CHAIN.replace("<text>&gt; 4</text>", "<text>&gt; 10**10**10</text>")})
    started = time.perf_counter()
    reply = employee.post("/api/requests", json=overtime())
    assert reply.status_code == 409, reply.text
    assert reply.json()["code"] == "workflow_script_limit"
    assert time.perf_counter() - started < TIMEOUT_S + 3
    with session_factory() as session:
        assert session.scalar(select(ApprovalRequest.id)) is None


def test_memory_hungry_script_is_refused_at_its_memory_limit(api, demo_org):
    analyst, employee, supervisor = api.login("analyst"), api.login("employee1"), api.login("supervisor")
    publish(analyst, {"overtime.bpmn": with_script("hoard = [0] * 10**9")})
    created = submit(employee, overtime())
    reply = supervisor.post(f"/api/tasks/{task_of(supervisor, created['id'])['id']}/complete",
                            json={"decision": "approve"})
    assert reply.status_code == 409 and reply.json()["code"] == "workflow_script_limit", reply.text
    assert "MB" in reply.json()["detail"]


def test_timer_sum_range_10_pow_12_is_refused_at_validate_without_hanging(api, demo_org):
    analyst = api.login("analyst")
    for path in ("/api/processes/validate", "/api/processes/publish"):
        started = time.perf_counter()
        reply = upload(analyst, path, {"overtime.bpmn": with_timer("str(sum(range(10**12)))")})
        assert reply.status_code == 422, reply.text
        assert time.perf_counter() - started < TIMEOUT_S + 3
        messages = [p["message"] for p in reply.json()["problems"]]
        assert any("was stopped" in m and "longer than" in m for m in messages), messages


def test_timer_expression_over_its_limit_at_run_time_is_refused_with_409(api, demo_org):
    analyst, employee = api.login("analyst"), api.login("employee1")
    # Needs task data (`hours`), so validation cannot evaluate it; the run can, and is stopped.
    publish(analyst, {"overtime.bpmn": with_timer("str(sum(range(int(hours) * 10**12)))")})
    reply = employee.post("/api/requests", json=overtime())
    assert reply.status_code == 409 and reply.json()["code"] == "workflow_script_limit", reply.text


def test_scheduler_refuses_a_misbehaving_process_and_serves_the_other_timers(api, demo_org, session_factory,
                                                                            settings):
    analyst, employee, supervisor = api.login("analyst"), api.login("employee1"), api.login("supervisor")
    publish(analyst, {"overtime.bpmn": with_reminder_script("while True:\n    pass")})
    stuck = submit(employee, overtime(hours_from="17:00", hours_to="18:00"))
    publish(analyst, {"overtime.bpmn": OVERTIME})
    healthy = submit(api.login("employee2"), overtime(hours_from="17:00", hours_to="19:00"))
    with session_factory() as session:
        due = max(session.scalars(select(ProcessInstance.next_timer_at)))

    started = time.perf_counter()
    ticked = tick_due(session_factory=session_factory, settings=settings, now=due + timedelta(minutes=1))
    assert ticked == 1  # the healthy one; the stuck one cost one timeout, not the whole tick
    assert time.perf_counter() - started < TIMEOUT_S + 5
    kinds = [n["kind"] for n in supervisor.get("/api/me/notifications").json()["items"]]
    assert kinds.count("task_reminder") == 1  # the outbox was served too

    with session_factory() as session:
        by_request = {i.request_id: i for i in session.scalars(select(ProcessInstance))}
        assert by_request[stuck["id"]].next_timer_at is None  # off the due list, not retried every tick
        failure = session.scalar(select(WorkflowEventRow).where(WorkflowEventRow.kind == "timer_failed"))
        assert failure.request_id == stuck["id"] and failure.detail["code"] == "workflow_script_limit"
        assert failure.bpmn_id == "supervisor_reminded"
        if session.get_bind().dialect.name == "postgresql":  # its row lock was released
            session.execute(text("SELECT id FROM process_instances WHERE id = :id FOR UPDATE NOWAIT"),
                            {"id": by_request[stuck["id"]].id})
    timeline = employee.get(f"/api/requests/{stuck['id']}").json()["timeline"]
    assert "timer_failed" in [step["kind"] for step in timeline]
    # People can still decide it.
    decide(supervisor, stuck["id"], "approve")
    assert status_of(employee, stuck["id"]) == "approved"
