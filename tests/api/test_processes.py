"""The analyst's publish cycle over HTTP: list, validate, publish, diff; running requests keep their version."""
from pathlib import Path

from tests.support.approvals import decide, overtime, status_of, submit, task_of
from tests.support.bpmn_edits import add_hr_after_supervisor

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def _upload(client, path: str, files: dict[str, bytes]):
    return client.post(path, files=[("files", (name, raw, "application/xml")) for name, raw in files.items()])


def _versions(analyst) -> dict:
    reply = analyst.get("/api/processes")
    assert reply.status_code == 200, reply.text
    return {p["process_id"]: p for p in reply.json()}


def test_only_analysts_manage_processes(api, demo_org):
    for name in ("employee1", "hr", "admin"):
        assert api.login(name).get("/api/processes").status_code == 403
    processes = _versions(api.login("analyst"))
    assert set(processes) == {"overtime_request", "offsite_request", "missed_punch_request"}
    assert all(p["current_version"] == 1 for p in processes.values())


def test_analyst_adds_hr_after_the_supervisor(api, demo_org):
    employee, supervisor, hr, analyst = (api.login(n) for n in ("employee1", "supervisor", "hr", "analyst"))
    before = submit(employee, overtime())  # started on version 1

    edited = {"overtime.bpmn": add_hr_after_supervisor((BPMN_DIR / "overtime.bpmn").read_bytes())}
    checked = _upload(analyst, "/api/processes/validate", edited)
    assert checked.status_code == 200, checked.text
    assert checked.json() == {"valid": True, "problems": []}
    published = _upload(analyst, "/api/processes/publish", edited)
    assert published.status_code == 201, published.text
    by_id = {p["process_id"]: p for p in published.json()["published"]}
    assert by_id["overtime_request"]["version"] == 2 and by_id["overtime_request"]["changed"] is True
    assert by_id["offsite_request"]["changed"] is False

    processes = _versions(analyst)
    versions = processes["overtime_request"]["versions"]
    assert processes["overtime_request"]["current_version"] == 2
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["published_by"] == demo_org["analyst"].code
    diff = analyst.get("/api/processes/overtime_request/versions/1/diff/2").json()
    assert {"hr_approval", "hr_decision", "lane_hr"} <= {e["id"] for e in diff["added"]}
    assert "flow_supervisor_approve" in {e["id"] for e in diff["changed"]}
    assert analyst.get("/api/processes/overtime_request/versions/1/diff/9").status_code == 404

    after = submit(employee, overtime("19:00", "20:00"))  # started on version 2: supervisor, then hr
    decide(supervisor, after["id"], "approve")
    assert status_of(employee, after["id"]) == "pending"
    decide(hr, after["id"], "approve")
    assert status_of(employee, after["id"]) == "approved"

    decide(supervisor, before["id"], "approve")  # version 1 finishes on its own chain
    assert status_of(employee, before["id"]) == "approved"
    assert [t for t in hr.get("/api/tasks").json() if t["request"]["id"] == before["id"]] == []


def test_broken_upload_gets_located_messages_and_publishes_nothing(api, demo_org):
    analyst, employee = api.login("analyst"), api.login("employee1")
    raw = (BPMN_DIR / "overtime.bpmn").read_text()
    broken = (raw.replace('decision == "reject"', 'decision === "reject"', 1)
                 .replace('<bpmn:lane id="lane_director" name="director">', '<bpmn:lane id="lane_director" name="boss">')
                 .replace('id="request_submitted"', 'id="Start"').replace(">request_submitted<", ">Start<"))
    for path in ("/api/processes/validate", "/api/processes/publish"):
        reply = _upload(analyst, path, {"overtime.bpmn": broken.encode()})
        assert reply.status_code == 422, reply.text
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        body = reply.json()
        assert body["code"] == "bpmn_invalid"
        texts = [p["text"] for p in body["problems"]]
        assert all(p["file"] == "overtime.bpmn" and p["line"] for p in body["problems"]), texts
        assert any("lane_director" in t and "unknown lane 'boss'" in t for t in texts), texts
        assert any(": Start: " in t for t in texts), texts
        assert any("condition" in t for t in texts), texts

    assert _versions(analyst)["overtime_request"]["current_version"] == 1
    created = submit(employee, overtime())
    decide(api.login("supervisor"), created["id"], "approve")
    assert status_of(employee, created["id"]) == "approved"

    malformed = _upload(analyst, "/api/processes/validate", {"overtime.bpmn": b"<bpmn:definitions"})
    assert malformed.status_code == 422 and "malformed XML" in malformed.json()["problems"][0]["message"]
    nothing = analyst.post("/api/processes/validate", data={})
    assert nothing.status_code == 422 and nothing.json()["code"] == "no_files"


def test_a_failing_script_keeps_the_last_saved_state(api, demo_org):
    """A script that only fails when run: the approver gets a clear 409 and the task stays open."""
    analyst, employee, supervisor = api.login("analyst"), api.login("employee1"), api.login("supervisor")
    raw = (BPMN_DIR / "overtime.bpmn").read_text()
    failing = raw.replace('<bpmn:script>outcome = "approved"</bpmn:script>',
                          "<bpmn:script>outcome = approval_word</bpmn:script>")
    assert _upload(analyst, "/api/processes/publish", {"overtime.bpmn": failing.encode()}).status_code == 201
    created = submit(employee, overtime())
    task = task_of(supervisor, created["id"])
    reply = supervisor.post(f"/api/tasks/{task['id']}/complete", json={"decision": "approve"})
    assert reply.status_code == 409, reply.text
    assert reply.json()["code"] == "workflow_step_failed" and reply.json()["element_id"] == "record_approved"
    assert "approval_word" in reply.json()["detail"]
    assert task_of(supervisor, created["id"])["id"] == task["id"]
    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert detail["status"] == "pending" and "decision" not in [s["kind"] for s in detail["timeline"]]
    # The request can still go another way.
    decide(supervisor, created["id"], "reject")
    assert status_of(employee, created["id"]) == "rejected"
