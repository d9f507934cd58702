"""The shipped overtime, off-site and missed-punch processes, end to end, in memory."""
import json
from datetime import timedelta

import pytest

from engine.workflow.parsing import load_spec
from engine.workflow.runtime import (
    FormRejected,
    NotCancellable,
    TaskNotFound,
    TaskNotReady,
    can_cancel,
    complete_user_task,
    next_timer_due,
    outcome,
    ready_user_tasks,
    restore,
    send_cancel,
    serialize,
    start_workflow,
    tick_timers,
)

OVERTIME = {"request_id": "OT-1", "request_type": "overtime", "requester_id": 7,
            "hours": 2, "is_weekend_or_holiday": False}
OFFSITE = {"request_id": "OS-1", "request_type": "offsite", "requester_id": 7, "days": 2}
MISSED_PUNCH = {"request_id": "MP-1", "request_type": "missed_punch", "requester_id": 7}


def only_task(wf):
    tasks = ready_user_tasks(wf)
    assert len(tasks) == 1, tasks
    return tasks[0]


def decide(wf, decision, **fields):
    task = only_task(wf)
    return task, complete_user_task(wf, task.task_id, {"decision": decision, **fields})


def chain(wf, decision="approve"):
    """Approve (or otherwise decide) every step until the instance finishes; the lanes asked."""
    lanes = []
    while not wf.is_completed():
        task, _ = decide(wf, decision)
        lanes.append(task.lane)
    return lanes


def start(specs, process_id, data, engine):
    wf, events = start_workflow(specs[process_id].blob, data, script_engine=engine)
    return wf, events


@pytest.mark.parametrize("process_id,data,lanes", [
    ("overtime_request", OVERTIME, ["supervisor"]),
    ("overtime_request", {**OVERTIME, "hours": 5}, ["supervisor", "director"]),
    ("overtime_request", {**OVERTIME, "hours": 4}, ["supervisor"]),
    ("overtime_request", {**OVERTIME, "is_weekend_or_holiday": True}, ["supervisor", "director"]),
    ("offsite_request", OFFSITE, ["supervisor"]),
    ("offsite_request", {**OFFSITE, "days": 4}, ["supervisor", "director"]),
    ("missed_punch_request", MISSED_PUNCH, ["supervisor", "hr"]),
])
def test_approval_chain_comes_from_the_dmn(specs, script_engine, process_id, data, lanes):
    wf, _ = start(specs, process_id, data, script_engine)
    assert chain(wf) == lanes
    assert outcome(wf) == "approved"


def test_start_reports_the_first_inbox_task(specs, script_engine):
    wf, events = start(specs, "overtime_request", OVERTIME, script_engine)
    assert [(e.kind, e.bpmn_id, e.lane) for e in events] == [("task_ready", "supervisor_approval", "supervisor")]
    task = only_task(wf)
    assert task.decisions == ("approve", "reject", "return")
    assert task.form_fields == ("decision", "comment")
    assert task.data["request_id"] == "OT-1" and task.data["needs_director"] is False
    assert outcome(wf) is None


@pytest.mark.parametrize("process_id,data", [
    ("overtime_request", {**OVERTIME, "hours": 6}),
    ("offsite_request", {**OFFSITE, "days": 5}),
    ("missed_punch_request", MISSED_PUNCH),
])
def test_rejection_at_the_second_step_ends_rejected(specs, script_engine, process_id, data):
    wf, _ = start(specs, process_id, data, script_engine)
    decide(wf, "approve")
    _, events = decide(wf, "reject", comment="no budget")
    assert outcome(wf) == "rejected"
    assert events[0].kind == "decision" and events[0].detail["comment"] == "no budget"
    assert events[-1].kind == "finished" and events[-1].detail == {"outcome": "rejected"}
    assert ready_user_tasks(wf) == []


def test_return_then_resubmit_reruns_the_dmn_on_the_edited_fields(specs, script_engine):
    wf, _ = start(specs, "overtime_request", OVERTIME, script_engine)
    _, events = decide(wf, "return", comment="please add the evening hours")
    assert [(e.kind, e.lane) for e in events] == [("decision", "supervisor"), ("task_ready", "requester")]
    revise = only_task(wf)
    assert revise.bpmn_id == "revise_request"
    assert revise.decisions == ("resubmit", "cancel")
    assert revise.data["comment"] == "please add the evening hours"
    complete_user_task(wf, revise.task_id, {"decision": "resubmit", "hours": 6})
    assert chain(wf) == ["supervisor", "director"]  # 6 hours now needs the director
    assert outcome(wf) == "approved"
    assert wf.data["hours"] == 6


def test_requester_may_cancel_instead_of_resubmitting(specs, script_engine):
    wf, _ = start(specs, "offsite_request", OFFSITE, script_engine)
    decide(wf, "return")
    decide(wf, "cancel")
    assert outcome(wf) == "cancelled"


@pytest.mark.parametrize("approvals_before_cancel", [0, 1])
def test_cancel_message_while_pending(specs, script_engine, approvals_before_cancel):
    wf, _ = start(specs, "missed_punch_request", MISSED_PUNCH, script_engine)
    for _ in range(approvals_before_cancel):
        decide(wf, "approve")
    pending = only_task(wf)
    assert can_cancel(wf)
    events = send_cancel(wf, {"request_id": "MP-1", "by": 7})
    assert outcome(wf) == "cancelled"
    assert wf.data["cancel"] == {"request_id": "MP-1", "by": 7}
    assert [(e.kind, e.task_id) for e in events] == [("task_closed", pending.task_id), ("finished", None)]
    assert not can_cancel(wf)
    with pytest.raises(NotCancellable):
        send_cancel(wf, {})


def test_cancel_while_the_request_is_returned(specs, script_engine):
    wf, _ = start(specs, "overtime_request", OVERTIME, script_engine)
    decide(wf, "return")
    send_cancel(wf, {})
    assert outcome(wf) == "cancelled"


def test_forms_are_whitelisted_and_tasks_checked(specs, script_engine):
    wf, _ = start(specs, "overtime_request", OVERTIME, script_engine)
    task = only_task(wf)
    with pytest.raises(FormRejected):
        complete_user_task(wf, task.task_id, {"decision": "approve", "needs_director": False})
    with pytest.raises(FormRejected):
        complete_user_task(wf, task.task_id, {"decision": "maybe"})
    with pytest.raises(FormRejected):
        complete_user_task(wf, task.task_id, {"comment": "no decision"})
    with pytest.raises(TaskNotFound):
        complete_user_task(wf, "not-a-uuid", {"decision": "approve"})
    complete_user_task(wf, task.task_id, {"decision": "approve"})
    with pytest.raises(TaskNotReady):
        complete_user_task(wf, task.task_id, {"decision": "reject"})
    assert outcome(wf) == "approved"


def test_reminder_fires_after_three_working_days_without_closing_the_task(specs, script_engine, clock):
    wf, _ = start(specs, "overtime_request", {**OVERTIME, "hours": 8}, script_engine)
    task = only_task(wf)
    # Started Monday 09:00 Bangkok: the reminder is due Thursday 09:00 Bangkok.
    assert next_timer_due(wf) == clock() + timedelta(days=3)

    clock.advance(days=2, hours=23)
    assert tick_timers(wf, clock()) == []
    clock.advance(hours=1, minutes=1)
    events = tick_timers(wf, clock())
    assert [(e.kind, e.bpmn_id, e.lane, e.task_id) for e in events] == [
        ("reminder", "supervisor_approval", "supervisor", task.task_id)]
    assert only_task(wf).task_id == task.task_id  # non-interrupting: still waiting for the supervisor
    assert next_timer_due(wf) is None
    assert tick_timers(wf, clock.advance(days=30)) == []  # fires once

    _, events = decide(wf, "approve")
    director_due = next_timer_due(wf)
    assert director_due > clock()  # the director's own reminder counts from when the task reached them
    assert chain(wf) == ["director"]
    assert outcome(wf) == "approved"


def test_reminder_skips_the_weekend(specs, script_engine, clock):
    clock.advance(days=3)  # Thursday 09:00
    wf, _ = start(specs, "offsite_request", OFFSITE, script_engine)
    assert next_timer_due(wf) == clock() + timedelta(days=5)  # Thursday -> next Tuesday


def test_serialize_and_restore_mid_flight(specs, script_engine):
    spec = specs["overtime_request"]
    wf, _ = start(specs, "overtime_request", {**OVERTIME, "is_weekend_or_holiday": True}, script_engine)
    decide(wf, "approve", comment="fine")
    spec_hash, state_json = serialize(wf)
    assert spec_hash == spec.spec_hash
    state = json.loads(state_json)
    assert "spec" not in state and "subprocess_specs" not in state
    assert len(state_json) < 20_000

    copy = restore(spec.blob, state_json, script_engine=script_engine)
    waiting = only_task(copy)
    assert (waiting.bpmn_id, waiting.lane) == ("director_approval", "director")
    assert next_timer_due(copy) == next_timer_due(wf)
    assert can_cancel(copy)
    complete_user_task(copy, waiting.task_id, {"decision": "approve"})
    assert outcome(copy) == "approved"
    assert outcome(wf) is None  # the original object is untouched


def test_spec_blob_is_not_changed_by_starting_instances(specs, script_engine):
    spec = specs["offsite_request"]
    before = json.dumps(spec.blob, sort_keys=True)
    start(specs, "offsite_request", OFFSITE, script_engine)
    start(specs, "offsite_request", OFFSITE, script_engine)
    assert json.dumps(spec.blob, sort_keys=True) == before


def test_one_loaded_spec_serves_many_instances(specs, script_engine):
    loaded = load_spec(specs["offsite_request"].blob)
    assert loaded.spec_hash == specs["offsite_request"].spec_hash
    short, _ = start_workflow(loaded, OFFSITE, script_engine=script_engine)
    long, _ = start_workflow(loaded, {**OFFSITE, "days": 9}, script_engine=script_engine)
    _, state_json = serialize(long)
    long = restore(loaded, state_json, script_engine=script_engine)
    assert chain(short) == ["supervisor"]
    assert chain(long) == ["supervisor", "director"]
    assert outcome(short) == outcome(long) == "approved"


def test_datetimes_in_task_data_survive_serialization(specs, script_engine, clock):
    wf, _ = start_workflow(specs["overtime_request"].blob, {**OVERTIME, "submitted_at": clock()},
                           script_engine=script_engine)
    _, state_json = serialize(wf)
    back = restore(specs["overtime_request"].blob, state_json, script_engine=script_engine)
    assert only_task(back).data["submitted_at"] == clock()


def test_bad_timer_value_at_run_time_fails_clearly(sources, script_engine):
    from engine.workflow.parsing import build_spec
    from engine.workflow.runtime import ScriptFailed

    raw = sources["overtime.bpmn"].decode().replace(">working_days_after(3)<", ">reminder_at<")
    spec = build_spec({**sources, "overtime.bpmn": raw.encode()}, "overtime_request")
    with pytest.raises(ScriptFailed) as failure:
        start_workflow(spec.blob, {**OVERTIME, "reminder_at": "next tuesday"}, script_engine=script_engine)
    assert "next tuesday" in str(failure.value)
