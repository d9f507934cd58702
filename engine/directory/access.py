"""Who may see whom. Anything not visible is reported exactly like something that does not exist."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.directory.service import can_view_employee, get_employee_by_code
from engine.errors import NotFound
from engine.models import Employee


def visible_employee(*, session: Session, viewer: Employee, code: str) -> Employee:
    """The employee with `code` if `viewer` may see them; otherwise the same 404 as an unknown code."""
    employee = get_employee_by_code(session=session, code=code)
    if employee is None or not can_view_employee(session=session, viewer=viewer, employee=employee):
        raise NotFound("No employee with this code is visible to you.", code="employee_not_found")
    return employee
