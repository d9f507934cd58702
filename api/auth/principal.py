"""Who is asking: resolve the caller from a bearer token or the web session cookie."""
from __future__ import annotations

import base64
import json
from functools import wraps
from typing import Callable, Iterable

from flask import g, request, session as web_session
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from api.auth.app_tokens import LOCAL_ISSUER, verify_token
from api.context import db, opsta
from engine.accounts.identity import employee_for_claims
from engine.errors import Forbidden, Unauthenticated
from engine.models import Employee

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Every API request loads its caller; one prebuilt statement keeps that to one cached query.
_EMPLOYEE_WITH_ROLES = select(Employee).options(joinedload(Employee.role_rows)).where(Employee.id == bindparam("id"))


def _unverified_issuer(token: str) -> str | None:
    """Peek at `iss` only to pick the verifier; the chosen verifier then checks everything."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(payload)).get("iss")
    except (IndexError, ValueError, AttributeError):
        return None


def _invalid_token() -> Unauthenticated:
    return Unauthenticated("The access token is invalid or expired.", code="token_invalid")


def _app_token_subject(token: str | None) -> int | None:
    """The employee id of a valid app token; None for no token or another issuer's; 401 for a bad app token."""
    if not token or _unverified_issuer(token) != LOCAL_ISSUER:
        return None
    employee_id = verify_token(opsta().settings, token)
    if employee_id is None:
        raise _invalid_token()
    return employee_id


def _from_bearer(token: str) -> Employee:
    ctx = opsta()
    employee_id = _app_token_subject(token)
    if employee_id is not None:
        employee = db().execute(_EMPLOYEE_WITH_ROLES, {"id": employee_id}).unique().scalar_one_or_none()
        if employee is None or not employee.active:
            raise _invalid_token()
        return employee
    if ctx.oidc_verifier is None:
        raise _invalid_token()
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


def token_subject_id() -> int:
    """The id of the employee the request is from, without reading the directory for app tokens.

    An app token's signature and expiry are checked, but whether its employee is still active is
    not: only for views whose own first query checks that anyway (the phone punch reads the chain
    end, active flag included, before anything else). OIDC tokens and the web session resolve the
    employee as `current_employee` does.
    """
    if "token_subject_id" not in g:
        employee_id = _app_token_subject(_bearer_token())
        g.token_subject_id = employee_id if employee_id is not None else current_employee().id
    return g.token_subject_id


def login_required(roles: Iterable[str] | None = None, *, directory_checked_by_view: bool = False) -> Callable:
    """Require a signed-in caller; with `roles`, one of those roles as well.

    With `directory_checked_by_view` an app token is only verified, and the view reads
    `token_subject_id()` and must refuse an employee who is no longer active itself.
    """
    wanted = set(roles or ())
    if wanted and directory_checked_by_view:
        raise ValueError("roles are read from the directory: they cannot be required without reading it")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if directory_checked_by_view:
                token_subject_id()
                return view(*args, **kwargs)
            employee = current_employee()
            if wanted and not (employee.roles & wanted):
                raise Forbidden("Your role does not allow this.", code="role_required",
                                required_roles=sorted(wanted))
            return view(*args, **kwargs)

        return wrapper

    return decorator
