"""Match a signed-in identity (OIDC claims) to an employee of the directory."""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Employee


def email_is_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the email; some send the JSON string "true" instead of true."""
    verified = claims.get("email_verified")
    return verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")


def employee_for_claims(*, session: Session, claims: Mapping[str, Any], code_claim: str,
                        trust_email: bool = False) -> Employee | None:
    """The active employee whose employee code (from `code_claim`) or verified email matches the claims.

    The code claim, when the provider sends one, decides alone: an unknown or inactive code is
    nobody, never a reason to look at the email, since emails get reused and renamed more often
    than employee codes do. Without a code the email counts only when the provider marks it
    `email_verified` (or `trust_email` says every email of this provider is the organisation's).
    """
    code = claims.get(code_claim)
    if code not in (None, ""):
        employee = session.scalar(select(Employee).where(Employee.code == str(code)))
        return employee if employee is not None and employee.active else None
    email = claims.get("email")
    if not email or not isinstance(email, str) or not (trust_email or email_is_verified(claims)):
        return None
    employee = session.scalar(select(Employee).where(func.lower(Employee.email) == email.strip().lower()))
    return employee if employee is not None and employee.active else None
