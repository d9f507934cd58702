"""Where a running request stands in its process: the completed steps and the current tasks, by BPMN id,
read from the instance's saved state on the version it started with (for the read-only process view)."""
from __future__ import annotations

from dataclasses import dataclass

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from SpiffWorkflow.util.task import TaskState

from engine.models import ApprovalRequest, Employee, InboxTask, ProcessInstance
from engine.workflow import runtime
from engine.workflow.assignment import active_delegators
from engine.workflow.catalogue import process_file
from engine.workflow.clock import script_engine_at
from engine.workflow.versions import loaded_spec


# Who sees every request's process, as they see every request.
WIDE_ROLES = frozenset({"hr", "admin"})


def may_see_process(*, session: Session, viewer: Employee, request: ApprovalRequest, today: date) -> bool:
    """hr, admin, and the request's approvers: anyone an approval step was assigned to (or delegated by) or
    completed by. The requester sees their request's timeline, not the process drawing."""
    if not viewer.active:
        return False
    if viewer.roles & WIDE_ROLES:
        return True
    people = {viewer.id} | active_delegators(session=session, delegate_id=viewer.id, today=today)
    return session.scalar(select(InboxTask.id).where(
        InboxTask.request_id == request.id, InboxTask.lane != "requester",
        or_(InboxTask.assignee_id.in_(people), InboxTask.completed_by_id == viewer.id)).limit(1)) is not None


def request_tasks(*, session: Session, request: ApprovalRequest) -> list[InboxTask]:
    """The request's inbox tasks in the order they were created."""
    return list(session.scalars(select(InboxTask).where(InboxTask.request_id == request.id)
                                .order_by(InboxTask.created_at, InboxTask.id)))


@dataclass(frozen=True)
class Progress:
    instance: ProcessInstance
    bpmn_file: str | None
    bpmn_xml: str | None
    completed: list[str]
    current: list[str]


def request_progress(*, session: Session, request: ApprovalRequest, now, timezone: str) -> Progress | None:
    """The progress of the request's process, or None when it has no instance."""
    instance = session.scalar(select(ProcessInstance).where(ProcessInstance.request_id == request.id))
    if instance is None:
        return None
    engine = script_engine_at(session=session, now=now, timezone=timezone)
    wf = runtime.restore(loaded_spec(session=session, spec_hash=instance.spec_hash), instance.state,
                         script_engine=engine)
    completed = sorted({t.task_spec.bpmn_id for t in wf.get_tasks(state=TaskState.COMPLETED)
                        if getattr(t.task_spec, "bpmn_id", None)})
    current = [view.bpmn_id for view in runtime.ready_user_tasks(wf)]
    sources = instance.version.sources
    name = process_file(sources)
    return Progress(instance, name, sources.get(name) if name else None, completed, current)
