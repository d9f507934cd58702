"""The approver's inbox as the screens show it: approval tasks only (not the viewer's own returned requests)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from engine.models import Employee, InboxTask
from engine.workflow.host import inbox


def approval_tasks(*, session: Session, employee: Employee, today: date, kind: str | None = None) -> list[InboxTask]:
    """Open tasks `employee` may decide as an approver, oldest first; only requests of `kind` when given."""
    return [task for task in inbox(session=session, employee=employee, today=today)
            if task.lane != "requester" and (kind is None or task.request.type == kind)]
