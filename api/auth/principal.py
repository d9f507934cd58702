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


def current_employee() -> Employee:
    """The signed-in employee, or raise 401."""
    if "employee" not in g:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("Use 'Authorization: Bearer <token>'.", code="token_malformed")
            g.employee = _from_bearer(token.strip())
        else:
            g.employee = _from_web_session()
        if g.employee is None:
            raise Unauthenticated("Sign in first.", headers={"WWW-Authenticate": "Bearer"})
    return g.employee


def login_required(roles: Iterable[str] | None = None) -> Callable:
    """Require a signed-in caller; with `roles`, one of those roles as well."""
    wanted = set(roles or ())

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            employee = current_employee()
            if wanted and not (employee.roles & wanted):
                raise Forbidden("Your role does not allow this.", code="role_required",
                                required_roles=sorted(wanted))
            return view(*args, **kwargs)

        return wrapper

    return decorator
