"""Acting approvers: an employee names a colleague who may decide their tasks for a period."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.directory.service import get_employee_by_code
from engine.db import utcnow
from engine.errors import InvalidInput, NotFound
from engine.models import Delegation, Employee

MAX_DELEGATION_DAYS = 366


def set_delegation(*, session: Session, delegator: Employee, delegate_code: str, starts_on: date,
                   ends_on: date, today: date) -> Delegation:
    """Let `delegate_code` complete the delegator's tasks from `starts_on` to `ends_on` inclusive; commits.

    It cannot start before `today` (the organisation's date): a delegation dated back would lend
    authority over decisions already taken.
    """
    delegate = get_employee_by_code(session=session, code=delegate_code)
    if delegate is None or not delegate.active:
        raise InvalidInput(f"No active employee has the code {delegate_code}.", code="delegate_unknown")
    if delegate.id == delegator.id:
        raise InvalidInput("You cannot delegate to yourself.", code="delegate_self")
    if starts_on < today:
        raise InvalidInput(f"A delegation cannot start in the past (today is {today.isoformat()}).",
                           code="delegation_starts_in_past")
    if ends_on < starts_on:
        raise InvalidInput("ends_on is before starts_on.", code="delegation_dates_invalid")
    if (ends_on - starts_on).days >= MAX_DELEGATION_DAYS:
        raise InvalidInput(f"A delegation lasts at most {MAX_DELEGATION_DAYS} days.", code="delegation_too_long")
    delegation = Delegation(delegator_id=delegator.id, delegate_id=delegate.id, starts_on=starts_on,
                            ends_on=ends_on)
    session.add(delegation)
    session.commit()
    return delegation


def end_delegation(*, session: Session, delegator: Employee, delegation_id: int,
                   now: datetime | None = None) -> Delegation:
    """End one of the delegator's delegations now, whatever its dates; commits.

    Only the person who gave it can end it; anyone else (its delegate included) gets the same 404 as a
    missing id. Ending one already ended changes nothing. The row stays, for the record.
    """
    delegation = session.get(Delegation, delegation_id)
    if delegation is None or delegation.delegator_id != delegator.id:
        raise NotFound("No delegation with this id is yours.", code="delegation_not_found")
    if delegation.ended_at is None:
        delegation.ended_at = now or utcnow()
        session.commit()
    return delegation


def delegations_of(*, session: Session, employee: Employee) -> list[Delegation]:
    """Delegations the employee gave or received, newest first."""
    return list(session.scalars(select(Delegation).where(
        or_(Delegation.delegator_id == employee.id, Delegation.delegate_id == employee.id))
        .order_by(Delegation.starts_on.desc(), Delegation.id.desc())))
