"""Match a signed-in identity (OIDC claims) to an employee of the directory."""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Employee


def employee_for_claims(*, session: Session, claims: Mapping[str, Any], code_claim: str) -> Employee | None:
    """The active employee whose employee code (from `code_claim`) or email matches the claims.

    The code claim wins when present, because emails get reused and renamed more often
    than employee codes do.
    """
    code = claims.get(code_claim)
    if code not in (None, ""):
        employee = session.scalar(select(Employee).where(Employee.code == str(code)))
        if employee is not None:
            return employee if employee.active else None
    email = claims.get("email")
    if email:
        employee = session.scalar(select(Employee).where(func.lower(Employee.email) == str(email).lower()))
        if employee is not None and employee.active:
            return employee
    return None
