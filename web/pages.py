"""What every screen shares: who is looking (`Viewer`), the signed-in guard, and rendering a page or fragment.

    @bp.route("/history")
    @signed_in
    def history(viewer: Viewer):
        items = punch_history(session=viewer.db, employee=viewer.employee, ...)
        return render_screen("history/page.html", fragment="history/_list.html", items=items)

A browser without a live session is sent to the sign-in page (`/?next=<this page>`, back here after
signing in); an htmx request gets 401 with `HX-Redirect` to the same place, so the whole page goes
there rather than a fragment. Screens raise `engine.errors.DomainError`s as the API does; web/mount.py
turns them into a page (or fragment) in the page's language, and a `NotFound` into the one 404 page.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Callable
from zoneinfo import ZoneInfo

from flask import g, make_response, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from api.auth.web_session import current_web_session
from api.context import db, opsta
from engine.config import Settings
from engine.directory.service import direct_subordinates
from engine.models import Employee


@dataclass
class Viewer:
    """The signed-in employee looking at a page, with what predicates and screens ask about them."""

    employee: Employee
    db: Session
    settings: Settings

    @property
    def roles(self) -> set[str]:
        return self.employee.roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.employee.roles & set(roles))

    @cached_property
    def subordinates(self) -> list[Employee]:
        """Direct subordinates, read once per request (the menu and the screens share it)."""
        return direct_subordinates(session=self.db, employee_id=self.employee.id)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.subordinates)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)


def current_viewer() -> Viewer | None:
    """The viewer of this request, from the server-side session behind the cookie; None when signed out."""
    if "viewer" not in g:
        record = current_web_session()
        g.viewer = Viewer(record.employee, db(), opsta().settings) if record is not None else None
    return g.viewer


def is_htmx() -> bool:
    """An htmx request that swaps part of a page (a history restore wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def sign_in_url() -> str:
    """The sign-in page, coming back to this page afterwards."""
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return url_for("web.home", next=None if here == "/" else here)


def signed_in(view: Callable) -> Callable:
    """Run `view(viewer, **kwargs)` for a signed-in employee; send anyone else to sign in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        viewer = current_viewer()
        if viewer is None:
            if is_htmx():
                response = make_response("", 401)
                response.headers["HX-Redirect"] = sign_in_url()
                return response
            if request.method != "GET":
                return make_response(render_template("errors/signed_out.html", sign_in=sign_in_url()), 401)
            return redirect(sign_in_url())
        return view(viewer, *args, **kwargs)

    return wrapper


def render_screen(template: str, *, fragment: str | None = None, status: int = 200, **context):
    """The full page, or only `fragment` for an htmx request that swaps part of it."""
    chosen = fragment if fragment and is_htmx() else template
    response = make_response(render_template(chosen, **context), status)
    if fragment:
        response.vary.add("HX-Request")
    return response
