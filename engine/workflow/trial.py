"""Try a draft: which approval path and which approvers a process would choose for one request, unpublished.

The draft runs exactly as a submitted request would: the request's process data comes from the
requests domain (`forms.process_data`), the engine runs the draft's DMN tables and gateways in the
sandboxed script engine of the host's clock, and each user task's lane is resolved to people by the
same directory rules (`assignment.resolve_lane`). Every approver is taken to approve, so the trial
shows the longest path the data leads to. Nothing is stored: the request and the instance exist only
in memory and the session never sees them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session
from SpiffWorkflow.util.task import TaskState

from engine.models import ApprovalRequest, Employee
from engine.requests import forms
from engine.workflow import runtime
from engine.workflow.assignment import HR_GROUP, Assignment, hr_member_ids, resolve_lane
from engine.workflow.clock import script_engine_at
from engine.workflow.parsing import build_spec, load_spec
from engine.workflow.validation import Problem
from engine.workflow.versions import SourcesInvalid, validate

MAX_STEPS = 20  # more approval steps than this for one request is a loop in the drawing
ASSUMED_DECISION = "approve"


@dataclass(frozen=True)
class TrialStep:
    """One user task the draft reached, and who it would go to."""

    bpmn_id: str
    name: str
    lane: str | None
    people: tuple[Employee, ...]
    group: str | None
    reason: str
    same_approver: bool = False


@dataclass(frozen=True)
class Trial:
    """What the draft decided for the request data, step by step."""

    process_id: str
    data: dict
    decided: dict
    steps: list[TrialStep]
    path: list[str]
    outcome: str | None
    problems: list[Problem] = field(default_factory=list)


def draft_request(*, requester: Employee, request_type: str, fields: Mapping, now) -> ApprovalRequest:
    """A request held in memory only (no id, never added to a session), for its process data."""
    request = ApprovalRequest(type=request_type, requester_id=requester.id, status="pending", reason="",
                              created_at=now, updated_at=now)
    forms.create_details(request, dict(fields))
    return request


def first_trial_requester(*, session: Session) -> str | None:
    """A sensible requester to try a draft with first: the first active employee who has a supervisor."""
    return session.scalar(select(Employee.code).where(Employee.active.is_(True), Employee.supervisor_id.is_not(None))
                          .order_by(Employee.code).limit(1))


def _people(session: Session, who: Assignment) -> tuple[Employee, ...]:
    if who.assignee_id is not None:
        return (session.get(Employee, who.assignee_id),)
    if who.group == HR_GROUP:
        ids = sorted(hr_member_ids(session=session))
        return tuple(session.scalars(select(Employee).where(Employee.id.in_(ids)).order_by(Employee.code)))
    return ()


def _path(wf) -> list[str]:
    """BPMN ids of the completed elements, in the order they completed (engine-internal specs left out)."""
    done = [t for t in wf.get_tasks(state=TaskState.COMPLETED) if getattr(t.task_spec, "bpmn_id", None)]
    done.sort(key=lambda t: t.last_state_change)
    seen, path = set(), []
    for task in done:
        if task.task_spec.bpmn_id not in seen:
            seen.add(task.task_spec.bpmn_id)
            path.append(task.task_spec.bpmn_id)
    return path


def _failed(process_id: str, data: dict, exc: runtime.ScriptFailed, steps, path) -> Trial:
    problem = Problem(None, None, exc.bpmn_id, f"the draft fails here: {exc}")
    return Trial(process_id, data, {}, steps, path, None, [problem])


def try_draft(*, session: Session, sources: Mapping[str, bytes], process_id: str, requester: Employee,
              request_type: str, fields: Mapping, clock) -> Trial:
    """Run the draft `process_id` of `sources` for a request of `requester`, approving every step.

    Raises SourcesInvalid when the draft has validation problems (the same as publishing would).
    """
    problems = validate(sources=sources)
    if problems:
        raise SourcesInvalid(problems)
    loaded = load_spec(build_spec(sources, process_id).blob)
    engine = script_engine_at(session=session, now=clock.now, timezone=clock.timezone)
    with session.no_autoflush:
        request = draft_request(requester=requester, request_type=request_type, fields=fields, now=clock.now)
        data = forms.process_data(session=session, request=request)
    steps: list[TrialStep] = []
    try:
        wf, _ = runtime.start_workflow(loaded, data, script_engine=engine)
    except runtime.ScriptFailed as exc:
        return _failed(process_id, data, exc, steps, [])
    decided: dict = {}
    previous: Assignment | None = None
    for _ in range(MAX_STEPS):
        ready = runtime.ready_user_tasks(wf)
        if not ready:
            break
        view = ready[0]
        if not decided:
            decided = {k: v for k, v in view.data.items() if k not in data}
        who = resolve_lane(session=session, lane=view.lane, requester=requester)
        same = previous is not None and view.lane != "requester" and (
            (who.assignee_id is not None and who.assignee_id == previous.assignee_id)
            or (who.group is not None and who.group == previous.group))
        steps.append(TrialStep(view.bpmn_id, view.name, view.lane, _people(session, who), who.group, who.reason,
                               same))
        if view.lane == "requester":
            break  # back to the requester: the approvers' path ends here
        decision = ASSUMED_DECISION if ASSUMED_DECISION in view.decisions else (view.decisions or (None,))[0]
        form = {"decision": decision} if "decision" in view.form_fields else {}
        try:
            runtime.complete_user_task(wf, view.task_id, form, actor="trial")
        except runtime.ScriptFailed as exc:
            return _failed(process_id, data, exc, steps, _path(wf))
        previous = who
    return Trial(process_id, data, decided, steps, _path(wf), runtime.outcome(wf))
