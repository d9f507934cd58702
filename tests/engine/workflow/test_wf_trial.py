"""Trying a draft: the unpublished sources run with the real run's data, DMN tables, gateways and lane
resolution against the directory; nothing is stored. And the DMN rows compared between two versions."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from engine.models import ApprovalRequest, Employee, ProcessInstance
from engine.workflow.dmn_rows import changed_rows
from engine.workflow.host import clock_now
from engine.workflow.trial import try_draft
from engine.workflow.versions import SourcesInvalid
from tests.support.approvals import next_weekday

LOWER = (b"<text>&gt; 4</text>", b"<text>&gt; 1</text>")


def _employee(session, username, demo_org) -> Employee:
    return session.scalar(select(Employee).where(Employee.code == demo_org[username].code))


def _try(session, sources, requester, start=time(16, 30), end=time(18, 30), day=None):
    return try_draft(session=session, sources=sources, process_id="overtime_request", requester=requester,
                     request_type="overtime", fields={"date": day or next_weekday(), "start": start, "end": end},
                     clock=clock_now())


def test_the_draft_decides_the_path_and_the_directory_the_people(db_session, demo_org, sources):
    employee = _employee(db_session, "employee1", demo_org)
    shipped = _try(db_session, sources, employee)
    assert [s.bpmn_id for s in shipped.steps] == ["supervisor_approval"]
    assert shipped.decided == {"needs_director": False} and shipped.data["hours"] == 2.0

    draft = {**sources, "overtime_chain.dmn": sources["overtime_chain.dmn"].replace(*LOWER)}
    trial = _try(db_session, draft, employee)
    assert [(s.bpmn_id, s.lane, [p.code for p in s.people]) for s in trial.steps] == [
        ("supervisor_approval", "supervisor", [demo_org["supervisor"].code]),
        ("director_approval", "director", [demo_org["director"].code])]
    assert trial.decided == {"needs_director": True} and trial.outcome == "approved"
    assert trial.path.index("decide_chain") < trial.path.index("supervisor_approval") < trial.path.index(
        "director_approval") < trial.path.index("record_approved")
    assert db_session.scalar(select(func.count(ApprovalRequest.id))) == 0
    assert db_session.scalar(select(func.count(ProcessInstance.id))) == 0


def test_the_same_approver_twice_is_shown_as_one_decision(db_session, demo_org, sources):
    supervisor = _employee(db_session, "supervisor", demo_org)  # her supervisor is also the unit head
    trial = _try(db_session, sources, supervisor, start=time(9, 0), end=time(15, 0))
    assert [(s.bpmn_id, s.same_approver) for s in trial.steps] == [("supervisor_approval", False),
                                                                   ("director_approval", True)]


def test_a_draft_that_fails_while_running_names_the_element(db_session, demo_org, sources):
    broken = {**sources, "overtime.bpmn": sources["overtime.bpmn"].replace(
        b'decision == "approve"</bpmn:conditionExpression>', b'decisoin == "approve"</bpmn:conditionExpression>', 1)}
    trial = _try(db_session, broken, _employee(db_session, "employee1", demo_org))
    assert [p.element_id for p in trial.problems] == ["supervisor_decision"]
    assert [s.bpmn_id for s in trial.steps] == ["supervisor_approval"]


def test_a_draft_with_problems_is_not_run(db_session, demo_org, sources):
    with pytest.raises(SourcesInvalid) as refused:
        _try(db_session, {**sources, "overtime.bpmn": b"not xml"}, _employee(db_session, "employee1", demo_org))
    assert refused.value.problems[0].file == "overtime.bpmn"


def test_changed_dmn_rows_show_their_cells_before_and_after(sources):
    before = {name: raw.decode() for name, raw in sources.items()}
    after = {**before, "overtime_chain.dmn": before["overtime_chain.dmn"].replace("&gt; 4", "&gt; 1")}
    [change] = changed_rows(before, after)
    assert (change.kind, change.rule_id, change.before, change.after) == (
        "changed", "overtime_long", ("> 4", "-", "True"), ("> 1", "-", "True"))
    removed = {**before, "overtime_chain.dmn": before["overtime_chain.dmn"].replace(
        '<rule id="overtime_weekend_or_holiday">', '<rule id="weekend_renamed">')}
    assert sorted((c.kind, c.rule_id) for c in changed_rows(before, removed)) == [
        ("added", "weekend_renamed"), ("removed", "overtime_weekend_or_holiday")]
    assert changed_rows(before, before) == []
