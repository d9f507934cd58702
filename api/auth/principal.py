"""Who is asking: resolve the caller from a bearer token or the web session cookie."""
from __future__ import annotations

import base64
import json
from functools import wraps
from typing import Callable, Iterable

from flask import g, request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from api.auth.app_tokens import LOCAL_ISSUER, verify_token
from api.auth.web_session import current_web_session
from api.context import db, opsta
from engine.accounts.app_tokens import AppTokenClaims, live_token_clause
from engine.accounts.identity import employee_for_claims
from engine.errors import Forbidden, Unauthenticated
from engine.models import Employee

# Every API request loads its caller; one prebuilt statement keeps that to one cached query, which
# also checks that the app token still counts (not revoked, current credentials epoch).
_EMPLOYEE_WITH_LIVE_TOKEN = (select(Employee).options(joinedload(Employee.role_rows))
                             .where(Employee.id == bindparam("id"), live_token_clause()))


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


def _app_token(token: str | None) -> AppTokenClaims | None:
    """The claims of a validly signed app token; None for no token or another issuer's; 401 for a bad one.

    Whether the token was revoked is not checked here: the query that loads the caller does that.
    """
    if not token or _unverified_issuer(token) != LOCAL_ISSUER:
        return None
    claims = verify_token(opsta().settings, token)
    if claims is None:
        raise _invalid_token()
    return claims


def _from_bearer(token: str) -> Employee:
    ctx = opsta()
    claims = _app_token(token)
    if claims is not None:
        employee = db().execute(_EMPLOYEE_WITH_LIVE_TOKEN, {"id": claims.employee_id, **claims.as_params()}
                                ).unique().scalar_one_or_none()
        if employee is None or not employee.active:
            raise _invalid_token()
        g.app_token = claims
        return employee
    if ctx.oidc_verifier is None:
        raise _invalid_token()
    from api.auth.oidc_tokens import InvalidToken

    try:
        claims = ctx.oidc_verifier.verify(token)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc.message), code=exc.reason_code) from exc
    employee = employee_for_claims(session=db(), claims=claims, code_claim=ctx.settings.oidc_employee_code_claim,
                                   trust_email=ctx.settings.oidc_trust_email)
    if employee is None:
        raise Forbidden("You signed in, but the organisation directory does not list you as an active "
                        "employee. Ask HR to add you.", code="not_in_directory")
    return employee


def _from_web_session() -> Employee | None:
    # Writes with the cookie passed the CSRF check before the view ran (api/auth/csrf.py).
    record = current_web_session()
    return record.employee if record is not None else None


def bearer_token() -> str | None:
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
        token = bearer_token()
        g.employee = _from_bearer(token) if token else _from_web_session()
        if g.employee is None:
            raise Unauthenticated("Sign in first.", headers={"WWW-Authenticate": "Bearer"})
    return g.employee


def token_subject_id() -> int:
    """The id of the employee the request is from, without reading the directory for app tokens.

    An app token's signature and expiry are checked, but whether its employee is still active and
    the token still counts (not revoked, current credentials epoch) is not: only for views whose own
    first query checks that anyway with `unchecked_app_token()` (the phone punch reads the chain end,
    active flag and token included, before anything else). OIDC tokens and the web session resolve
    the employee as `current_employee` does.
    """
    if "token_subject_id" not in g:
        claims = _app_token(bearer_token())
        g.unchecked_app_token = claims
        g.token_subject_id = claims.employee_id if claims is not None else current_employee().id
    return g.token_subject_id


def unchecked_app_token() -> AppTokenClaims | None:
    """The app token `token_subject_id` did not check against the database, for the view to check.

    None when the caller was checked in full (an OIDC token or the web session).
    """
    token_subject_id()
    return g.unchecked_app_token


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
