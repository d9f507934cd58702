"""Request queries: who may see one, its timeline, the caller's own list, the inbox view."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.models import ApprovalRequest, Employee, InboxTask, WorkflowEventRow
from engine.requests.forms import summary
from engine.workflow.assignment import active_delegators

WIDE_ROLES = frozenset({"hr", "admin"})


def can_view(*, session: Session, viewer: Employee, request: ApprovalRequest, today: date | None = None) -> bool:
    """The requester, hr, admin, and anyone a task of the request was assigned to or completed by."""
    if not viewer.active:
        return False
    if viewer.id == request.requester_id or viewer.roles & WIDE_ROLES:
        return True
    people = {viewer.id}
    if today is not None:
        people |= active_delegators(session=session, delegate_id=viewer.id, today=today)
    return session.scalar(select(InboxTask.id).where(
        InboxTask.request_id == request.id,
        or_(InboxTask.assignee_id.in_(people), InboxTask.completed_by_id == viewer.id)).limit(1)) is not None


def visible_request(*, session: Session, viewer: Employee, request_id: int, today: date | None = None) -> ApprovalRequest:
    """A request the viewer may see; anyone else gets the same 404 as a missing id."""
    request = session.get(ApprovalRequest, request_id)
    if request is None or not can_view(session=session, viewer=viewer, request=request, today=today):
        raise NotFound("No request with this id is visible to you.", code="request_not_found")
    return request


def person_ref(session: Session, employee_id: int | None) -> dict | None:
    """id, code and names of an employee, as requests and tasks show people."""
    if employee_id is None:
        return None
    employee = session.get(Employee, employee_id)
    return {"id": employee.id, "code": employee.code, "name_th": employee.name_th, "name_en": employee.name_en}


def _decided_by(actor: dict, behalf) -> dict:
    def name(person, lang):
        return f"{person[f'name_{lang}'] or person['name_th']} ({person['code']})" if isinstance(person, dict) \
            else str(person)

    if behalf is None:
        return {"decided_by_th": f"ตัดสินโดย {name(actor, 'th')}", "decided_by_en": f"decided by {name(actor, 'en')}"}
    return {"decided_by_th": f"ตัดสินโดย {name(actor, 'th')} ปฏิบัติราชการแทน {name(behalf, 'th')}",
            "decided_by_en": f"decided by {name(actor, 'en')} acting for {name(behalf, 'en')}"}


def timeline(*, session: Session, request: ApprovalRequest) -> list[dict]:
    """Every step of the request's process in order: who, when, what, decision and comment."""
    rows = session.scalars(select(WorkflowEventRow).where(WorkflowEventRow.request_id == request.id)
                           .order_by(WorkflowEventRow.at, WorkflowEventRow.id))
    steps = []
    for row in rows:
        step = {"at": row.at, "kind": row.kind, "step": row.bpmn_id, "lane": row.lane,
                "actor": person_ref(session, row.actor_id), "decision": row.decision, "comment": row.comment}
        if row.kind == "task_ready":
            step["assignee"] = person_ref(session, row.detail.get("assignee_id"))
            step["assignee_group"] = row.detail.get("group")
            step["reason"] = row.detail.get("reason")
        if row.detail.get("same_approver"):  # decided by the same approver's decision at the step before
            step["same_approver"] = True
            step["note_th"] = "ตัดสินโดยผู้อนุมัติคนเดียวกับขั้นก่อนหน้า"
            step["note_en"] = "decided by the same approver at the previous step"
        behalf = row.detail.get("on_behalf_of")
        if behalf is not None:  # an acting approver decided for a person (id) or, in older rows, a group (name)
            step["on_behalf_of"] = person_ref(session, behalf) if isinstance(behalf, int) else behalf
        if row.kind == "decision" and step["actor"] is not None:
            step.update(_decided_by(step["actor"], step.get("on_behalf_of")))
        if row.kind == "timer_failed":
            step["problem"] = {"code": row.detail.get("code"), "detail": row.detail.get("detail")}
        steps.append(step)
    return steps


def request_view(session: Session, request: ApprovalRequest, *, with_timeline: bool = False) -> dict:
    """One request as the API shows it."""
    view = {"id": request.id, "type": request.type, "status": request.status, "reason": request.reason,
            "requester": person_ref(session, request.requester_id), "created_at": request.created_at,
            "updated_at": request.updated_at, "decided_at": request.decided_at, **summary(request)}
    if with_timeline:
        view["timeline"] = timeline(session=session, request=request)
        view["open_tasks"] = [task_view(session, t, with_request=False) for t in session.scalars(
            select(InboxTask).where(InboxTask.request_id == request.id, InboxTask.state == "open"))]
    return view


def my_requests(*, session: Session, employee: Employee, status: str | None = None, limit: int = 100) -> list[dict]:
    """The employee's own requests, newest first."""
    query = select(ApprovalRequest).where(ApprovalRequest.requester_id == employee.id)
    if status:
        query = query.where(ApprovalRequest.status == status)
    rows = session.scalars(query.order_by(ApprovalRequest.created_at.desc(), ApprovalRequest.id.desc()).limit(limit))
    return [request_view(session, r) for r in rows]


def task_view(session: Session, task: InboxTask, *, with_request: bool = True) -> dict:
    """One inbox task, with the request it belongs to."""
    view = {"id": task.id, "step": task.bpmn_id, "name": task.name, "lane": task.lane, "state": task.state,
            "decisions": task.decisions, "assignee": person_ref(session, task.assignee_id),
            "assignee_group": task.assignee_group, "assignment_reason": task.assignment_reason,
            "created_at": task.created_at, "completed_by": person_ref(session, task.completed_by_id),
            "completed_at": task.completed_at, "decision": task.decision, "comment": task.comment}
    if with_request:
        view["request"] = request_view(session, session.get(ApprovalRequest, task.request_id))
    return view
