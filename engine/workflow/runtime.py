"""Pure operations on one in-memory workflow instance, called by the DB-backed host.

Every mutating operation runs the engine until it needs a person again and returns the
`WorkflowEvent`s that happened, so the host can project its inbox, send notifications and
write audit rows in the same transaction as the new state. Nothing here locks, stores or sends.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.specs.defaults import UserTask
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.workflow.parsing import LoadedSpec, load_spec
from engine.workflow.script_pool import ScriptLimitExceeded
from engine.workflow.state import remember_hash, restore, serialize  # noqa: F401 - part of this interface

CANCEL_MESSAGE = "cancel_request"
DEFAULT_FORM_FIELDS = ("decision", "comment")
# Task data keys that are engine plumbing, never shown to approvers.
HIDDEN_KEYS = frozenset({"cancel"})


class WorkflowError(Exception):
    """Base class of everything this module raises on purpose."""


class TaskNotFound(WorkflowError):
    """No user task with that id in this instance."""


class TaskNotReady(WorkflowError):
    """The task exists but is not waiting for a person (already completed or cancelled)."""


class FormRejected(WorkflowError):
    """The submitted form has fields or a decision the task does not accept."""


class NotCancellable(WorkflowError):
    """The instance is not waiting for a cancel message (already finished, or not modelled)."""


class ScriptFailed(WorkflowError):
    """A script, condition, DMN table or timer expression failed.

    The in-memory workflow is then half-run: the host must drop it and keep the last saved state.
    """

    def __init__(self, message: str, *, bpmn_id: str | None = None):
        super().__init__(message)
        self.bpmn_id = bpmn_id


class ScriptOverLimit(ScriptFailed):
    """A script or expression ran past its time or memory limit, or the run past its step limit."""


def _limit_in(exc: BaseException | None) -> ScriptLimitExceeded | None:
    """The ScriptLimitExceeded behind what Spiff raised (it wraps errors in its own, sometimes twice)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, ScriptLimitExceeded):
            return exc
        seen.add(id(exc))
        exc = getattr(exc, "exception", None) or exc.__cause__ or exc.__context__
    return None


@dataclass(frozen=True)
class UserTaskView:
    """What an inbox needs to know about one READY user task."""

    task_id: str
    bpmn_id: str
    name: str
    lane: str | None
    decisions: tuple[str, ...]
    form_fields: tuple[str, ...]
    data: dict


@dataclass(frozen=True)
class WorkflowEvent:
    """Something the host may notify about or audit.

    kind is one of: `task_ready`, `task_closed`, `decision`, `reminder`, `timeout`, `finished`.
    """

    kind: str
    bpmn_id: str | None = None
    lane: str | None = None
    task_id: str | None = None
    detail: dict = field(default_factory=dict)


def _properties(task_spec) -> dict:
    return (getattr(task_spec, "extensions", None) or {}).get("properties", {}) or {}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _view(task) -> UserTaskView:
    props = _properties(task.task_spec)
    return UserTaskView(
        task_id=str(task.id),
        bpmn_id=task.task_spec.bpmn_id,
        name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
        lane=task.task_spec.lane,
        decisions=_split(props.get("decisions")),
        form_fields=_split(props.get("form_fields")) or DEFAULT_FORM_FIELDS,
        data={k: v for k, v in task.data.items() if k not in HIDDEN_KEYS and not k.startswith("_")},
    )


def ready_user_tasks(wf: BpmnWorkflow) -> list[UserTaskView]:
    """Every user task waiting for a person, with its lane (a role the host resolves)."""
    return [_view(t) for t in wf.get_tasks(state=TaskState.READY, spec_class=UserTask)]


def _ready_ids(wf: BpmnWorkflow) -> dict[UUID, Any]:
    return {t.id: t for t in wf.get_tasks(state=TaskState.READY, spec_class=UserTask)}


def _timer_event(task) -> WorkflowEvent | None:
    spec = task.task_spec
    if not isinstance(spec, BoundaryEvent) or not isinstance(spec.event_definition, TimerEventDefinition):
        return None
    attached = next((t for t in task.parent.children if not isinstance(t.task_spec, BoundaryEvent)), None)
    detail = {"timer": spec.bpmn_id}
    if attached is not None:
        detail.update(task=attached.task_spec.bpmn_id, task_id=str(attached.id))
    return WorkflowEvent(
        kind="timeout" if spec.cancel_activity else "reminder",
        bpmn_id=attached.task_spec.bpmn_id if attached is not None else spec.bpmn_id,
        lane=attached.task_spec.lane if attached is not None else spec.lane,
        task_id=str(attached.id) if attached is not None else None,
        detail=detail,
    )


def _advance(wf: BpmnWorkflow, before: dict[UUID, Any], events: list[WorkflowEvent],
             completed_by_person: UUID | None = None) -> list[WorkflowEvent]:
    """Run the engine until it needs a person, then describe what changed."""
    max_steps = getattr(wf.script_engine, "max_steps", None)
    completed = 0

    def did_complete(task):
        nonlocal completed
        completed += 1
        if max_steps is not None and completed > max_steps:
            # A loop in the diagram that never waits for a person: every script in it may be quick.
            error = ScriptLimitExceeded(f"the process ran more than {max_steps} steps without waiting for a person")
            error.task = task
            raise error
        timer = _timer_event(task)
        if timer is not None:
            events.append(timer)

    try:
        wf.do_engine_steps(did_complete_task=did_complete)
    except Exception as exc:  # noqa: BLE001 - Spiff also raises bare Exception (e.g. bad timer durations)
        raise _script_failure(exc) from exc

    after = _ready_ids(wf)
    for task_id, task in before.items():
        if task_id not in after and task_id != completed_by_person:
            events.append(WorkflowEvent("task_closed", task.task_spec.bpmn_id, task.task_spec.lane, str(task_id)))
    for task_id, task in after.items():
        if task_id not in before:
            events.append(WorkflowEvent("task_ready", task.task_spec.bpmn_id, task.task_spec.lane, str(task_id),
                                        {"name": task.task_spec.bpmn_name or task.task_spec.bpmn_id}))
    if wf.is_completed():
        events.append(WorkflowEvent("finished", detail={"outcome": outcome(wf)}))
    return events


def _script_failure(exc: Exception) -> ScriptFailed:
    task = getattr(exc, "task", None)
    bpmn_id = task.task_spec.bpmn_id if task is not None else None
    limit = _limit_in(exc)
    if limit is not None:
        return ScriptOverLimit(str(limit), bpmn_id=bpmn_id)
    return ScriptFailed(f"{exc.__class__.__name__}: {exc}", bpmn_id=bpmn_id)


def _loaded(spec: LoadedSpec | Mapping) -> LoadedSpec:
    return spec if isinstance(spec, LoadedSpec) else load_spec(spec)


def start_workflow(spec: LoadedSpec | Mapping, data: Mapping[str, Any], *,
                   script_engine) -> tuple[BpmnWorkflow, list[WorkflowEvent]]:
    """Create an instance on a published spec (blob or LoadedSpec), seed its data, run to the first person."""
    loaded = remember_hash(_loaded(spec))
    wf = BpmnWorkflow(loaded.spec, loaded.subprocess_specs, script_engine=script_engine)
    wf.task_tree.data.update(dict(data))
    return wf, _advance(wf, {}, [])


def complete_user_task(wf: BpmnWorkflow, task_id: str, form: Mapping[str, Any], *,
                       actor: str | None = None) -> list[WorkflowEvent]:
    """Submit a person's form for one READY user task and run to the next person."""
    try:
        task = wf.get_task_from_id(UUID(str(task_id)))
    except (ValueError, SpiffWorkflowException):
        task = None
    if task is None or not isinstance(task.task_spec, UserTask):
        raise TaskNotFound(f"no user task {task_id}")
    if task.state != TaskState.READY:
        raise TaskNotReady(f"task {task.task_spec.bpmn_id} is {TaskState.get_name(task.state)}, not READY")
    view = _view(task)
    unknown = sorted(set(form) - set(view.form_fields))
    if unknown:
        raise FormRejected(f"{view.bpmn_id} does not accept fields {unknown}; allowed: {list(view.form_fields)}")
    if view.decisions and form.get("decision") not in view.decisions:
        raise FormRejected(f"{view.bpmn_id} needs decision in {list(view.decisions)}, got {form.get('decision')!r}")

    # A decision or comment left over from an earlier step must not look like this person's.
    submitted = {key: None for key in DEFAULT_FORM_FIELDS if key in view.form_fields}
    submitted.update(form)
    before = _ready_ids(wf)
    task.task_spec.add_data_from_form(task, submitted)
    try:
        task.run()  # runs the task's post-script, if any
    except Exception as exc:  # noqa: BLE001 - as in _advance
        raise _script_failure(exc) from exc
    events = [WorkflowEvent("decision", view.bpmn_id, view.lane, view.task_id,
                            {"decision": form.get("decision"), "comment": form.get("comment"), "actor": actor})]
    return _advance(wf, before, events, completed_by_person=task.id)


def can_cancel(wf: BpmnWorkflow) -> bool:
    """True while a BPMN `cancel_request` message event is waiting."""
    return any(e.name == CANCEL_MESSAGE for e in wf.waiting_events())


def send_cancel(wf: BpmnWorkflow, payload: Mapping[str, Any] | None = None) -> list[WorkflowEvent]:
    """Deliver the requester's `cancel_request` message; the payload lands in data key `cancel`."""
    if not can_cancel(wf):
        raise NotCancellable("this request is not waiting for cancel_request")
    before = _ready_ids(wf)
    try:
        wf.send_event(BpmnEvent(MessageEventDefinition(CANCEL_MESSAGE), payload=dict(payload or {})))
    except Exception as exc:  # noqa: BLE001 - correlation expressions are the analyst's too
        raise _script_failure(exc) from exc
    return _advance(wf, before, [])


def _due(task) -> datetime | None:
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):  # cycle timers keep {'cycles', 'next', 'duration'}
        value = value.get("next") if value.get("cycles") != 0 else None
    if not isinstance(value, str):
        return None
    return TimerEventDefinition.get_datetime(value)


def _waiting_timers(wf: BpmnWorkflow) -> list:
    return [task for task in wf.event_manager.tasks.values()
            if isinstance(task.task_spec.event_definition, TimerEventDefinition) and task.state == TaskState.WAITING]


def next_timer_due(wf: BpmnWorkflow) -> datetime | None:
    """Earliest due time of a waiting timer (UTC), for the host's indexed due-time column."""
    dues = [due for due in map(_due, _waiting_timers(wf)) if due is not None]
    return min(dues) if dues else None


def tick_timers(wf: BpmnWorkflow, now: datetime | None = None) -> list[WorkflowEvent]:
    """Fire every timer due at `now` (default: the real clock) and run to the next person."""
    now = now or datetime.now(timezone.utc)
    before = _ready_ids(wf)
    for task in _waiting_timers(wf):
        if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition):
            continue  # cycles keep their own schedule; they follow the real clock only
        due = _due(task)
        # Spiff compares with the real clock itself; marking the timer fired lets a host clock
        # that runs ahead (tests) decide instead.
        if due is not None and due <= now:
            task._set_internal_data(event_fired=True)
    try:
        wf.refresh_timers()  # evaluates timer expressions
    except Exception as exc:  # noqa: BLE001 - as in _advance
        raise _script_failure(exc) from exc
    return _advance(wf, before, [])


def outcome(wf: BpmnWorkflow) -> str | None:
    """`approved` / `rejected` / `cancelled` once the instance finished, else None."""
    if not wf.is_completed():
        return None
    return wf.data.get("outcome")
