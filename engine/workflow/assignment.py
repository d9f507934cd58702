"""Who approves: turn a lane (a role) into a person or the hr group, and who may act for them.

Lanes are resolved when the task is created, from the org directory as it is then. A lane
that names nobody goes to hr with a reason the inbox shows, so no task is ever unassigned.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.service import unit_head
from engine.models import Delegation, Employee, InboxTask

HR_GROUP = "hr"


@dataclass(frozen=True)
class Assignment:
    assignee_id: int | None
    group: str | None
    reason: str


def _usable(employee: Employee | None, requester: Employee) -> bool:
    return employee is not None and employee.active and employee.id != requester.id


def resolve_lane(*, session: Session, lane: str | None, requester: Employee) -> Assignment:
    """The person (or hr group) a task in `lane` goes to for this requester."""
    if lane == "requester":
        return Assignment(requester.id, None, "the requester")
    if lane == "supervisor":
        # Only the id and the active flag: loading the whole Employee also loads its roles.
        boss = session.execute(select(Employee.id, Employee.active).where(
            Employee.id == requester.supervisor_id)).first() if requester.supervisor_id else None
        if boss is not None and boss.active and boss.id != requester.id:
            return Assignment(boss.id, None, "direct supervisor")
        return Assignment(None, HR_GROUP, "no active supervisor — routed to hr")
    if lane == "director":
        head = unit_head(session=session, employee=requester)
        if _usable(head, requester):
            return Assignment(head.id, None, "head of the requester's unit")
        return Assignment(None, HR_GROUP, "no unit head — routed to hr")
    if lane == HR_GROUP:
        return Assignment(None, HR_GROUP, "hr")
    return Assignment(None, HR_GROUP, f"unknown lane '{lane}' — routed to hr")


def active_delegators(*, session: Session, delegate_id: int, today: date) -> set[int]:
    """Employees whose tasks `delegate_id` may complete today."""
    return set(session.scalars(select(Delegation.delegator_id).where(
        Delegation.delegate_id == delegate_id, Delegation.starts_on <= today, Delegation.ends_on >= today,
        Delegation.ended_at.is_(None))))


def hr_member_ids(*, session: Session) -> set[int]:
    from engine.directory.service import employees_with_role

    return {e.id for e in employees_with_role(session=session, role="hr")}


@dataclass(frozen=True)
class Authority:
    """Why someone may decide a task: on their own (`acting_for` None) or for the delegator `acting_for`."""

    acting_for: int | None = None


def authority(*, session: Session, task: InboxTask, employee: Employee, today: date) -> Authority | None:
    """On whose behalf `employee` may decide `task`, or None when they may not decide it at all.

    Separation of duties: nobody decides their own request (except the requester's own steps, such as
    revising it), and authority lent by a delegation never covers a request of anyone who delegated to
    this person, nor one this person could not decide themselves (their own).
    """
    if not employee.active:
        return None
    requester_id = task.request.requester_id
    if requester_id == employee.id and task.lane != "requester":
        return None
    if task.assignee_id == employee.id or (task.assignee_group == HR_GROUP and HR_GROUP in employee.roles):
        return Authority()
    delegators = active_delegators(session=session, delegate_id=employee.id, today=today)
    if not delegators or requester_id in delegators or requester_id == employee.id:
        return None
    if task.assignee_id in delegators:
        return Authority(acting_for=task.assignee_id)
    if task.assignee_group == HR_GROUP:
        lenders = sorted(delegators & hr_member_ids(session=session))
        if lenders:
            return Authority(acting_for=lenders[0])
    return None


def may_complete(*, session: Session, task: InboxTask, employee: Employee, today: date) -> bool:
    """Whether `employee` may act on the task: its assignee, an hr member for the hr group, or an acting approver."""
    return authority(session=session, task=task, employee=employee, today=today) is not None


def recipients(*, session: Session, task: InboxTask) -> list[int]:
    """Who hears about a task: its assignee, or every hr member."""
    if task.assignee_id is not None:
        return [task.assignee_id]
    return sorted(hr_member_ids(session=session))
