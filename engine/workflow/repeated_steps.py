"""No one decides the same request twice in a row: a step that falls to the approver who just decided
the step before it is decided by that same decision.

Analysts draw the chain once for everybody (supervisor, then director); the directory decides who
those are for each requester. When two consecutive steps resolve to the same person (the supervisor
who is also the unit head, a supervisor's own request whose supervisor is the director), or to the
same group (hr twice), the later step is completed at once with the earlier decision and comment,
by the same actor, and its audit row says so (`same_approver`). The BPMN stays as drawn.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from engine.models import ApprovalRequest, Employee, InboxTask
from engine.workflow import runtime
from engine.workflow.assignment import Assignment, resolve_lane

SAME_APPROVER = "same_approver"
MAX_REPEATS = 10  # a chain of ten steps to one person is a modelling error; stop carrying there


def _same(who: Assignment, decided: InboxTask, actor: Employee) -> bool:
    if who.assignee_id is not None:
        return who.assignee_id in {decided.assignee_id, actor.id}
    return who.group is not None and who.group == decided.assignee_group


def carry_decision(*, session: Session, wf, request: ApprovalRequest, decided: InboxTask, actor: Employee,
                   form: dict, events: list[runtime.WorkflowEvent], run) -> list[runtime.WorkflowEvent]:
    """Decide the steps that `events` made ready and that fall to the same approver as `decided`.

    `run` runs one engine step (the host's error translation). Returns `events` with the carried
    decisions and whatever followed them appended.
    """
    decision = form.get("decision")
    if decision is None or decided.lane == "requester":
        return events
    events, fresh = list(events), list(events)
    for _ in range(MAX_REPEATS):
        ready = {view.task_id: view for view in runtime.ready_user_tasks(wf)}
        carried = None
        for event in fresh:
            view = ready.get(event.task_id)
            if event.kind != "task_ready" or event.lane == "requester" or view is None:
                continue
            who = resolve_lane(session=session, lane=event.lane, requester=request.requester)
            if _same(who, decided, actor) and decision in view.decisions:
                carried = event
                break
        if carried is None:
            return events
        step = run(lambda: runtime.complete_user_task(
            wf, carried.task_id, {"decision": decision, "comment": form.get("comment")}, actor=actor.code))
        fresh = [replace(e, detail={**e.detail, SAME_APPROVER: True, "previous_step": decided.bpmn_id})
                 if e.kind == "decision" and e.task_id == carried.task_id else e for e in step]
        events.extend(fresh)
    return events
