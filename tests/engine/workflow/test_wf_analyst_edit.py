"""An analyst adds an HR approval after the supervisor: new version, old instances unaffected."""
from engine.workflow.diff import diff_versions
from engine.workflow.parsing import build_spec
from engine.workflow.runtime import complete_user_task, outcome, ready_user_tasks, restore, serialize, start_workflow
from engine.workflow.validation import validate_sources
from tests.support.bpmn_edits import add_hr_after_supervisor

def lanes_until_done(wf):
    lanes = []
    while not wf.is_completed():
        [task] = ready_user_tasks(wf)
        lanes.append(task.lane)
        complete_user_task(wf, task.task_id, {"decision": "approve"})
    return lanes


def test_analyst_adds_hr_approval(sources, specs, script_engine):
    data = {"request_id": "OT-9", "request_type": "overtime", "hours": 2, "is_weekend_or_holiday": False}
    old = specs["overtime_request"]
    # An instance started on the old version, saved mid-flight.
    running, _ = start_workflow(old.blob, data, script_engine=script_engine)
    pinned_hash, state_json = serialize(running)

    edited_sources = {**sources, "overtime.bpmn": add_hr_after_supervisor(sources["overtime.bpmn"])}
    assert validate_sources(edited_sources) == []
    new = build_spec(edited_sources, "overtime_request")
    assert new.spec_hash != old.spec_hash

    fresh, _ = start_workflow(new.blob, data, script_engine=script_engine)
    assert lanes_until_done(fresh) == ["supervisor", "hr"]
    fresh_long, _ = start_workflow(new.blob, {**data, "hours": 6}, script_engine=script_engine)
    assert lanes_until_done(fresh_long) == ["supervisor", "hr", "director"]

    # The host loads the old instance with the blob of the hash it was pinned to.
    assert pinned_hash == old.spec_hash
    resumed = restore(old.blob, state_json, script_engine=script_engine)
    assert lanes_until_done(resumed) == ["supervisor"]
    assert outcome(resumed) == "approved"

    changes = diff_versions(sources, edited_sources)
    assert {e["id"] for e in changes["added"]} == {
        "lane_hr", "hr_approval", "hr_decision", "flow_hr_done", "flow_hr_approve", "flow_hr_reject", "flow_hr_return"}
    assert {e["id"] for e in changes["changed"]} == {"flow_supervisor_approve", "check_director"}
    assert changes["removed"] == []
    added = {e["id"]: e for e in changes["added"]}
    assert added["hr_approval"] == {"id": "hr_approval", "type": "userTask",
                                    "name": "HR approval (งานบุคคลพิจารณา)", "file": "overtime.bpmn"}
