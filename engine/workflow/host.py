"""The engine host: runs request processes against the database.

Each operation works in the caller's transaction and does one unit of work: lock the instance
(FOR UPDATE on PostgreSQL, plus an optimistic version column everywhere), check the task and
the caller, run the engine, then save the state with its inbox, audit trail and outbox. The
caller commits; on any error it rolls back, so a failed script leaves the last saved state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, insert, literal, or_, select
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached

from engine.db import utcnow
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import ApprovalRequest, Employee, InboxTask, ProcessInstance, ProcessVersion, WorkflowEventRow
from engine.workflow import runtime
from engine.workflow.assignment import HR_GROUP, active_delegators, authority, hr_member_ids
from engine.workflow.clock import script_engine_at
from engine.workflow.parsing import SERIALIZER_VERSION
from engine.workflow.projection import Projector
from engine.workflow.repeated_steps import carry_decision
from engine.workflow.script_pool import ScriptLimits
from engine.workflow.versions import CurrentVersion, loaded_spec

# Called after every step with the instance and its events, still inside the transaction:
# the requests domain uses it to keep the request's status and attendance effects in step.
StepHook = Callable[[Session, ProcessInstance, list[runtime.WorkflowEvent]], None]


class WorkflowStepFailed(Conflict):
    """A script, condition or DMN table of the process failed; nothing was saved."""

    code = "workflow_step_failed"


class WorkflowScriptLimit(WorkflowStepFailed):
    """A script or expression of the process ran past its time or memory limit; nothing was saved."""

    code = "workflow_script_limit"


@dataclass(frozen=True)
class HostClock:
    """'now' for one operation, the organisation's time zone (for working days), and the limits its scripts run under."""

    now: datetime
    timezone: str = "Asia/Bangkok"
    script_limits: ScriptLimits = ScriptLimits()

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.timezone)).date()


def _run(step: Callable[[], list[runtime.WorkflowEvent]]) -> list[runtime.WorkflowEvent]:
    try:
        return step()
    except runtime.ScriptOverLimit as exc:
        where = f" at '{exc.bpmn_id}'" if exc.bpmn_id else ""
        raise WorkflowScriptLimit(f"The process was stopped{where}: {exc}. Nothing was changed; tell the process "
                                  f"analyst.", element_id=exc.bpmn_id) from exc
    except runtime.ScriptFailed as exc:
        where = f" at '{exc.bpmn_id}'" if exc.bpmn_id else ""
        raise WorkflowStepFailed(f"The process failed{where}: {exc}. Nothing was changed; "
                                 f"tell the process analyst.", element_id=exc.bpmn_id) from exc


def _store_state(instance: ProcessInstance, wf, clock: HostClock) -> None:
    instance.spec_hash, instance.state = runtime.serialize(wf)
    instance.serializer_version = SERIALIZER_VERSION
    instance.next_timer_at = runtime.next_timer_due(wf)
    instance.updated_at = clock.now


def _save(*, session: Session, instance: ProcessInstance, request: ApprovalRequest, wf, events,
          clock: HostClock, actor_id: int | None, hook: StepHook | None,
          projector: Projector | None = None, state_stored: bool = False) -> list[runtime.WorkflowEvent]:
    if not state_stored:  # start already serialized the state for its INSERT
        _store_state(instance, wf, clock)
    projector = projector or Projector(session=session, instance=instance, request=request, views={},
                                       now=clock.now, actor_id=actor_id)
    projector.views = {view.task_id: view for view in runtime.ready_user_tasks(wf)}
    projector.apply(events)
    if hook is not None:
        hook(session, instance, events)
    session.flush()
    projector.write()  # after the flush: it closes only tasks the step itself left open
    return events


class VersionNoLongerCurrent(Exception):
    """The version a start was asked to use is no longer the current one (published meanwhile)."""


def _insert_instance(session: Session, instance: ProcessInstance) -> ProcessInstance | None:
    """INSERT the instance only while its version is still current; None (nothing written) otherwise.

    The check rides in the INSERT itself, so a remembered current version costs no extra statement.
    """
    table = ProcessInstance.__table__
    values = {column: getattr(instance, column) for column in (
        "request_id", "version_id", "spec_hash", "state", "serializer_version", "status", "outcome",
        "next_timer_at", "created_at", "updated_at", "lock_version")}
    still_current = exists().where(ProcessVersion.id == instance.version_id, ProcessVersion.is_current.is_(True))
    rows = select(*[literal(value, type_=table.c[name].type) for name, value in values.items()]).where(still_current)
    instance_id = session.scalar(insert(table).from_select(list(values), rows).returning(table.c.id))
    if instance_id is None:
        return None
    instance.id = instance_id
    make_transient_to_detached(instance)  # the row exists: track it without inserting it again
    session.add(instance)
    return instance


def start(*, session: Session, request: ApprovalRequest, version: CurrentVersion | ProcessVersion,
          data: Mapping[str, Any], clock: HostClock, hook: StepHook | None = None) -> ProcessInstance:
    """Start `version` for a new request and run it to its first person.

    Raises VersionNoLongerCurrent (nothing written) when `version` stopped being current.
    """
    engine = script_engine_at(session=session, now=clock.now, timezone=clock.timezone, limits=clock.script_limits)
    spec = loaded_spec(session=session, spec_hash=version.spec_hash)
    wf, events = _run(lambda: runtime.start_workflow(spec, data, script_engine=engine))
    instance = ProcessInstance(request_id=request.id, version_id=version.id, status="running", outcome=None,
                               created_at=clock.now, lock_version=1)
    _store_state(instance, wf, clock)  # before the insert, so the row is written once
    if _insert_instance(session, instance) is None:
        raise VersionNoLongerCurrent(f"version {version.process_id} v{version.version} is no longer current")
    projector = Projector(session=session, instance=instance, request=request, views={}, now=clock.now,
                          actor_id=request.requester_id)
    projector.audit("started", actor_id=request.requester_id,
                    detail={"process_id": version.process_id, "version": version.version})
    _save(session=session, instance=instance, request=request, wf=wf, events=events, clock=clock,
          actor_id=request.requester_id, hook=hook, projector=projector, state_stored=True)
    return instance


def lock_instance(*, session: Session, instance_id: int, skip_locked: bool = False) -> ProcessInstance | None:
    """Load an instance with a row lock (PostgreSQL) and fresh values; None if skipped or missing."""
    query = select(ProcessInstance).where(ProcessInstance.id == instance_id).execution_options(
        populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=skip_locked)
    return session.scalar(query)


def _restore(*, session: Session, instance: ProcessInstance, clock: HostClock):
    engine = script_engine_at(session=session, now=clock.now, timezone=clock.timezone, limits=clock.script_limits)
    return runtime.restore(loaded_spec(session=session, spec_hash=instance.spec_hash), instance.state,
                           script_engine=engine)


def _already_done(session: Session, task: InboxTask) -> Conflict:
    if task.state == "completed":
        who = session.get(Employee, task.completed_by_id) if task.completed_by_id else None
        name = f"{who.name_th} ({who.code})" if who else "someone else"
        return Conflict(f"This task was already completed by {name} at {task.completed_at:%Y-%m-%d %H:%M} UTC "
                        f"(decision: {task.decision}).", code="task_already_completed",
                        completed_by=who.code if who else None)
    return Conflict("This task is no longer waiting for a decision (the request moved on or was cancelled).",
                    code="task_closed")


def _lock_for_task(session: Session, task_id: int) -> ProcessInstance | None:
    """Lock the instance a task belongs to without loading the task first (one statement)."""
    owner = select(InboxTask.instance_id).where(InboxTask.id == task_id).scalar_subquery()
    query = select(ProcessInstance).where(ProcessInstance.id == owner).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=ProcessInstance)
    return session.scalar(query)


def complete_task(*, session: Session, task_id: int, employee: Employee, form: Mapping[str, Any],
                  clock: HostClock, hook: StepHook | None = None) -> InboxTask:
    """Complete one READY user task for its assignee (or their acting approver) and run on.

    A next step that falls to the same approver is decided by the same decision (`repeated_steps`).
    """
    instance = _lock_for_task(session, task_id)
    # Read after the lock, so a racing approver's completion is already visible; the request comes
    # in the same statement because the visibility check and the step hook both need it.
    task = session.scalar(select(InboxTask).where(InboxTask.id == task_id).options(joinedload(InboxTask.request))
                          .execution_options(populate_existing=True))
    allowed = task and authority(session=session, task=task, employee=employee, today=clock.today)
    if not allowed:
        raise NotFound("No task with this id is assigned to you.", code="task_not_found")
    if task.state != "open" or instance is None or instance.status != "running":
        raise _already_done(session, task)
    wf = _restore(session=session, instance=instance, clock=clock)
    request = task.request
    try:
        events = _run(lambda: runtime.complete_user_task(wf, task.task_guid, dict(form), actor=employee.code))
    except (runtime.TaskNotReady, runtime.TaskNotFound) as exc:
        raise _already_done(session, task) from exc
    except runtime.FormRejected as exc:
        raise InvalidInput(str(exc), code="task_form_invalid", allowed_decisions=task.decisions) from exc
    events = carry_decision(session=session, wf=wf, request=request, decided=task, actor=employee, form=dict(form),
                            events=events, run=_run)
    if allowed.acting_for is not None:  # the timeline says "decided by X acting for Y"
        events = [runtime.WorkflowEvent(e.kind, e.bpmn_id, e.lane, e.task_id,
                                        {**e.detail, "on_behalf_of": allowed.acting_for})
                  if e.kind == "decision" else e for e in events]
    _save(session=session, instance=instance, request=request, wf=wf, events=events, clock=clock,
          actor_id=employee.id, hook=hook,
          projector=Projector(session=session, instance=instance, request=request, views={}, now=clock.now,
                              actor_id=employee.id, known_tasks={task.task_guid: task}))
    return task


def cancel(*, session: Session, request: ApprovalRequest, employee: Employee, comment: str | None,
           clock: HostClock, hook: StepHook | None = None) -> ProcessInstance:
    """Deliver the requester's `cancel_request` message to the request's process."""
    instance_id = session.scalar(select(ProcessInstance.id).where(ProcessInstance.request_id == request.id))
    instance = lock_instance(session=session, instance_id=instance_id) if instance_id else None
    if instance is None or instance.status != "running":
        raise Conflict("This request has already finished and can no longer be cancelled.",
                       code="request_not_cancellable")
    wf = _restore(session=session, instance=instance, clock=clock)
    if not runtime.can_cancel(wf):
        raise Conflict("This request cannot be cancelled at its current step.", code="request_not_cancellable")
    events = _run(lambda: runtime.send_cancel(wf, {"by": employee.code, "comment": comment}))
    projector = Projector(session=session, instance=instance, request=request, views={}, now=clock.now,
                          actor_id=employee.id)
    projector.audit("cancel_requested", actor_id=employee.id, comment=comment)
    _save(session=session, instance=instance, request=request, wf=wf, events=events, clock=clock,
          actor_id=employee.id, hook=hook, projector=projector)
    return instance


def tick_timers(*, session: Session, instance: ProcessInstance, clock: HostClock,
                hook: StepHook | None = None) -> list[runtime.WorkflowEvent]:
    """Fire the due timers of one (already locked) instance and run on."""
    wf = _restore(session=session, instance=instance, clock=clock)
    events = _run(lambda: runtime.tick_timers(wf, clock.now))
    request = session.get(ApprovalRequest, instance.request_id)
    return _save(session=session, instance=instance, request=request, wf=wf, events=events, clock=clock,
                 actor_id=None, hook=hook)


def stop_timers(*, session: Session, instance_id: int, error: WorkflowStepFailed, clock: HostClock) -> None:
    """Take an instance whose timer step fails off the due list, saying why in its timeline (no commit).

    Its state stays as last saved, so people can still decide its open tasks; saving their decision
    puts its timers back on the list.
    """
    instance = lock_instance(session=session, instance_id=instance_id, skip_locked=True)
    if instance is None:
        return  # someone is working on it right now; the next tick decides again
    instance.next_timer_at = None
    session.add(WorkflowEventRow(instance_id=instance.id, request_id=instance.request_id, at=clock.now,
                                 kind="timer_failed", bpmn_id=error.extensions.get("element_id"),
                                 detail={"code": error.code, "detail": error.detail}))
    session.flush()


def inbox(*, session: Session, employee: Employee, today: date) -> list[InboxTask]:
    """Open tasks the employee may complete: their own, hr's (for hr members) and those delegated to them."""
    # The same rules as `assignment.authority`, as one query.
    own = [InboxTask.assignee_id == employee.id]
    if HR_GROUP in employee.roles:
        own.append(InboxTask.assignee_group == HR_GROUP)
    # Never offer someone their own request to approve (e.g. an hr member's request at the hr step).
    not_own = or_(InboxTask.lane == "requester", ApprovalRequest.requester_id != employee.id)
    mine = and_(or_(*own), not_own)
    delegators = active_delegators(session=session, delegate_id=employee.id, today=today)
    lent = [InboxTask.assignee_id.in_(delegators)] if delegators else []
    if delegators and delegators & hr_member_ids(session=session):
        lent.append(InboxTask.assignee_group == HR_GROUP)
    if lent:  # never a request of someone who delegated to them, nor their own
        mine = or_(mine, and_(or_(*lent), ApprovalRequest.requester_id.not_in(delegators | {employee.id})))
    query = (select(InboxTask).join(ApprovalRequest, ApprovalRequest.id == InboxTask.request_id)
             .where(InboxTask.state == "open", mine)
             .order_by(InboxTask.created_at, InboxTask.id))
    return list(session.scalars(query))


def clock_now(now: datetime | None = None, timezone: str = "Asia/Bangkok",
              script_limits: ScriptLimits | None = None) -> HostClock:
    """A HostClock at `now` (default: the real clock)."""
    return HostClock(now=now or utcnow(), timezone=timezone, script_limits=script_limits or ScriptLimits())
