"""Who is asking: resolve the caller from a bearer token or the web session cookie."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import wraps
from typing import Callable, Iterable

from flask import g, request, session as web_session
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from api.auth.app_tokens import LOCAL_ISSUER, verify_token
from api.context import db, opsta
from engine.accounts.identity import employee_for_claims
from engine.errors import Forbidden, Unauthenticated
from engine.models import Employee, EmployeeRole

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Every API request loads its caller; one prebuilt statement keeps that to one cached query.
_EMPLOYEE_WITH_ROLES = select(Employee).options(joinedload(Employee.role_rows)).where(Employee.id == bindparam("id"))
# Routes that need only who is asking (the punch, every few seconds per phone) read the same facts
# without building ORM objects: one row per role, with the employee's active flag.
_employees, _roles = Employee.__table__, EmployeeRole.__table__
_ACTIVE_AND_ROLES = (select(_employees.c.active, _roles.c.role)
                     .select_from(_employees.outerjoin(_roles, _roles.c.employee_id == _employees.c.id))
                     .where(_employees.c.id == bindparam("id")))


@dataclass(frozen=True)
class Caller:
    """The signed-in employee's id and roles, checked against the directory on this request."""

    id: int
    roles: frozenset[str]


def _unverified_issuer(token: str) -> str | None:
    """Peek at `iss` only to pick the verifier; the chosen verifier then checks everything."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(payload)).get("iss")
    except (IndexError, ValueError, AttributeError):
        return None


def _from_bearer(token: str) -> Employee:
    ctx = opsta()
    if _unverified_issuer(token) == LOCAL_ISSUER:
        employee_id = verify_token(ctx.settings, token)
        employee = db().execute(_EMPLOYEE_WITH_ROLES, {"id": employee_id}).unique().scalar_one_or_none() \
            if employee_id else None
        if employee is None or not employee.active:
            raise Unauthenticated("The access token is invalid or expired.", code="token_invalid")
        return employee
    if ctx.oidc_verifier is None:
        raise Unauthenticated("The access token is invalid or expired.", code="token_invalid")
    from api.auth.oidc_tokens import InvalidToken

    try:
        claims = ctx.oidc_verifier.verify(token)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc.message), code=exc.reason_code) from exc
    employee = employee_for_claims(session=db(), claims=claims,
                                   code_claim=ctx.settings.oidc_employee_code_claim)
    if employee is None:
        raise Forbidden("You signed in, but the organisation directory does not list you as an active "
                        "employee. Ask HR to add you.", code="not_in_directory")
    return employee


def _from_web_session() -> Employee | None:
    employee_id = web_session.get("employee_id")
    if not employee_id:
        return None
    # A cookie rides along on cross-site requests; requiring a JSON body or a custom header
    # on writes makes the browser send a CORS preflight that a foreign site cannot pass.
    if request.method in UNSAFE_METHODS and not (request.is_json or request.headers.get("X-Requested-With")):
        raise Forbidden("Send writes from the web app with JSON or an X-Requested-With header.",
                        code="csrf_rejected")
    employee = db().get(Employee, employee_id)
    if employee is None or not employee.active:
        web_session.clear()
        return None
    return employee


def _bearer_token() -> str | None:
    """The bearer token of the request, None without an Authorization header; 401 when malformed."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Use 'Authorization: Bearer <token>'.", code="token_malformed")
    return token.strip()


def current_employee() -> Employee:
    """The signed-in employee, or raise 401."""
    if "employee" not in g:
        token = _bearer_token()
        g.employee = _from_bearer(token) if token else _from_web_session()
        if g.employee is None:
            raise Unauthenticated("Sign in first.", headers={"WWW-Authenticate": "Bearer"})
    return g.employee


def _local_caller(token: str) -> Caller:
    employee_id = verify_token(opsta().settings, token)
    rows = db().connection().execute(_ACTIVE_AND_ROLES, {"id": employee_id}).all() if employee_id else []
    if not rows or not rows[0].active:
        raise Unauthenticated("The access token is invalid or expired.", code="token_invalid")
    return Caller(employee_id, frozenset({"employee", *(row.role for row in rows if row.role is not None)}))


def current_caller() -> Caller:
    """The signed-in employee's id and roles, or raise 401; cheaper than `current_employee` for app tokens."""
    if "caller" not in g:
        if "employee" in g:
            g.caller = Caller(g.employee.id, frozenset(g.employee.roles))
        else:
            token = _bearer_token()
            if token and _unverified_issuer(token) == LOCAL_ISSUER:
                g.caller = _local_caller(token)
            else:  # OIDC tokens and the web session resolve the employee as usual
                employee = current_employee()
                g.caller = Caller(employee.id, frozenset(employee.roles))
    return g.caller


def login_required(roles: Iterable[str] | None = None, *, caller_only: bool = False) -> Callable:
    """Require a signed-in caller; with `roles`, one of those roles as well.

    With `caller_only` the view gets no ORM employee loaded for it and reads `current_caller()`.
    """
    wanted = set(roles or ())
    resolve = current_caller if caller_only else current_employee

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            employee = resolve()
            if wanted and not (employee.roles & wanted):
                raise Forbidden("Your role does not allow this.", code="role_required",
                                required_roles=sorted(wanted))
            return view(*args, **kwargs)

        return wrapper

    return decorator
