"""Request flows: submit, resubmit, cancel and decide, each one committed transaction.

The workflow host runs the BPMN; this module keeps the request row (status, attendance
effects) in step with it through the host's step hook.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.config import Settings
from engine.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from engine.models import ApprovalRequest, Employee, InboxTask, ProcessInstance
from engine.requests import forms
from engine.requests.effects import apply_outcome
from engine.workflow import host
from engine.workflow.script_pool import script_limits
from engine.workflow.versions import current_version_hint, forget_current_versions, publish_shipped_if_none

OPEN_STATUSES = ("pending", "returned")


def status_hook(clock: host.HostClock, timezone: str) -> host.StepHook:
    """Keep a request's status and attendance effects in step with its process."""

    def sync(session: Session, instance: ProcessInstance, events) -> None:
        request = session.get(ApprovalRequest, instance.request_id)
        if instance.status == "finished":
            if request.status in OPEN_STATUSES:
                request.status = instance.outcome or "cancelled"
                request.decided_at = request.updated_at = clock.now
                apply_outcome(session=session, request=request, now=clock.now, timezone=timezone)
            return
        # Only the requester's own task moves a running request between pending and returned.
        for event in events:
            if event.lane == "requester" and event.kind in ("task_ready", "decision", "task_closed"):
                status = "returned" if event.kind == "task_ready" else "pending"
                if status != request.status:
                    request.status, request.updated_at = status, clock.now

    return sync


def _commit_step(session: Session, step):
    """Run one host step and commit; roll everything back on any failure."""
    try:
        result = step()
        session.commit()
        return result
    except StaleDataError as exc:  # someone saved the same instance first (optimistic lock)
        session.rollback()
        raise Conflict("This task was already completed by someone else at the same moment; reload.",
                       code="task_already_completed") from exc
    except BaseException:
        session.rollback()
        raise


def _clock(settings: Settings, now) -> host.HostClock:
    return host.clock_now(now, settings.timezone, script_limits(settings))


def submit_request(*, session: Session, settings: Settings, requester: Employee, submitted: forms.Submitted,
                   now=None) -> ApprovalRequest:
    """Check and store a new request, then start its process on the current published version."""
    clock = _clock(settings, now)
    forms.check(session=session, settings=settings, submitted=submitted, now=clock.now, requester_id=requester.id)
    process_id = forms.PROCESS_OF_TYPE[submitted.type]
    request = ApprovalRequest(type=submitted.type, requester_id=requester.id, status="pending",
                              reason=submitted.reason, created_at=clock.now, updated_at=clock.now)
    request.requester = requester
    forms.create_details(request, submitted.fields)
    session.add(request)

    def start() -> ProcessInstance:
        session.flush()
        # The remembered current version is confirmed by the instance INSERT; if another process
        # published since, read the new one and start again (nothing was written for the old one).
        for _ in range(3):
            version = current_version_hint(session=session, process_id=process_id)
            if version is None and settings.workflow_auto_publish:
                publish_shipped_if_none(session=session, bpmn_dir=settings.bpmn_dir)
                version = current_version_hint(session=session, process_id=process_id)
            if version is None:
                raise Conflict(f"No version of process '{process_id}' is published yet; ask the process analyst.",
                               code="process_not_published")
            try:
                return host.start(session=session, request=request, version=version, clock=clock,
                                  data=forms.process_data(session=session, request=request),
                                  hook=status_hook(clock, settings.timezone))
            except host.VersionNoLongerCurrent:
                forget_current_versions()
        raise Conflict("The process was being republished; please submit again.", code="process_republishing")

    _commit_step(session, start)
    return request


def _own_request(session: Session, request_id: int, employee: Employee) -> ApprovalRequest:
    request = session.get(ApprovalRequest, request_id)
    if request is None:
        raise NotFound("No request with this id is visible to you.", code="request_not_found")
    if request.requester_id != employee.id:
        from engine.requests.queries import can_view

        if can_view(session=session, viewer=employee, request=request):
            raise Forbidden("Only the requester can change or cancel a request.", code="not_requester")
        raise NotFound("No request with this id is visible to you.", code="request_not_found")
    return request


def cancel_request(*, session: Session, settings: Settings, employee: Employee, request_id: int,
                   comment: str | None = None, now=None) -> ApprovalRequest:
    """The requester cancels a pending or returned request (the BPMN `cancel_request` message)."""
    clock = _clock(settings, now)
    request = _own_request(session, request_id, employee)
    if request.status not in OPEN_STATUSES:
        raise Conflict(f"This request is {request.status} and can no longer be cancelled.",
                       code="request_not_cancellable")
    _commit_step(session, lambda: host.cancel(
        session=session, request=request, employee=employee, comment=comment, clock=clock,
        hook=status_hook(clock, settings.timezone)))
    return request


def resubmit_request(*, session: Session, settings: Settings, employee: Employee, request_id: int,
                     submitted: forms.Submitted, comment: str | None = None, now=None) -> ApprovalRequest:
    """The requester edits a returned request and sends it back into review."""
    clock = _clock(settings, now)
    request = _own_request(session, request_id, employee)
    if request.status != "returned":
        raise Conflict(f"Only a returned request can be edited; this one is {request.status}.",
                       code="request_not_returned")
    if submitted.type != request.type:
        raise InvalidInput(f"This is a {request.type} request; its type cannot change.", code="request_type_fixed")
    forms.check(session=session, settings=settings, submitted=submitted, now=clock.now, requester_id=employee.id,
                request_id=request.id)
    task = session.scalar(select(InboxTask).where(InboxTask.request_id == request.id, InboxTask.state == "open",
                                                  InboxTask.lane == "requester"))
    if task is None:
        raise Conflict("This request is not waiting for your revision.", code="request_not_returned")
    forms.update_details(request, submitted.fields)
    request.reason, request.updated_at = submitted.reason, clock.now
    session.flush()
    data = forms.process_data(session=session, request=request)
    form = {"decision": "resubmit", "comment": comment}
    form.update({k: v for k, v in data.items() if k in task.form_fields and k not in form})
    _commit_step(session, lambda: host.complete_task(
        session=session, task_id=task.id, employee=employee, form=form, clock=clock,
        hook=status_hook(clock, settings.timezone)))
    return request


def complete_task(*, session: Session, settings: Settings, employee: Employee, task_id: int, decision: str,
                  comment: str | None = None, now=None) -> InboxTask:
    """An approver decides one task of their inbox."""
    clock = _clock(settings, now)
    return _commit_step(session, lambda: host.complete_task(
        session=session, task_id=task_id, employee=employee, form={"decision": decision, "comment": comment},
        clock=clock, hook=status_hook(clock, settings.timezone)))


@dataclass(frozen=True)
class BulkItem:
    task_id: int
    decision: str
    comment: str | None = None


def complete_tasks(*, session: Session, settings: Settings, employee: Employee, items: Iterable[BulkItem],
                   now=None) -> list[dict]:
    """Decide several tasks, each in its own transaction, and report each one's result."""
    results = []
    for item in items:
        try:
            task = complete_task(session=session, settings=settings, employee=employee, task_id=item.task_id,
                                 decision=item.decision, comment=item.comment, now=now)
            request = session.get(ApprovalRequest, task.request_id)
            results.append({"task_id": item.task_id, "ok": True, "status": 200, "request_id": request.id,
                            "request_status": request.status})
        except DomainError as exc:
            results.append({"task_id": item.task_id, "ok": False, "status": exc.status, "code": exc.code,
                            "detail": exc.detail})
    return results
