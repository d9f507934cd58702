"""`register_web(app)`: the web app's blueprint with every screen, its languages, static files and error pages."""
from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from api.errors import handle_http_exception
from engine.db import connection_lost
from engine.errors import DatabaseUnavailable, DomainError
from web import assets
from web.blueprint import bp
from web.i18n import page_language, setup_i18n
from web.menu import menu_for
from web.pages import current_viewer, is_htmx, render_screen
from web.problems import Problem, problem_of, problem_of_http
from web.screens import (announcements, approvals, calendar, delegations, history, menu_page, modeler, my_requests,
                         notifications, processes, profile_photo, punch, punch_detail, punch_images, pwa, reports,
                         request_forms, request_process, settings, sign_in, subordinates, team_day)
from web.text import cut_label

log = logging.getLogger(__name__)

# Importing a screen registers its routes on `bp`; listed here so that each one is imported once, on purpose.
SCREENS = (assets, sign_in, calendar, menu_page, punch, punch_detail, punch_images, profile_photo, history,
           subordinates, announcements, notifications, settings, pwa, request_forms, my_requests, approvals,
           delegations, team_day, reports, processes, modeler, request_process)


def app_version() -> str:
    try:
        return version("opsta")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "dev"


def problem_page(problem: Problem):
    """A failure as a page (or an htmx fragment) in the page's language.

    Every 404 is the same page, whatever was not found or not allowed, so its bytes tell nothing apart.
    """
    if problem.status == 404:
        problem = problem_of_http(NotFound())
    # The viewer is passed on: addresses outside the blueprint get the same layout as its own pages.
    response = render_screen("errors/problem.html", fragment="errors/_problem.html", status=problem.status,
                             problem=problem, viewer=current_viewer())
    if problem.retry_after:
        response.headers["Retry-After"] = problem.retry_after
    return response


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    return problem_page(problem_of(error))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return problem_page(problem_of_http(error))


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    if connection_lost(error):  # a database outage: "try again shortly" with Retry-After, as the API says
        log.warning("database connection lost on %s %s", request.method, request.path)
        g.viewer = None  # the page says so as to a signed-out visitor, without asking the database again
        return problem_page(problem_of(DatabaseUnavailable()))
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_page(Problem(500, "internal_error", problem_of_http(InternalServerError()).message))


def _wants_a_page() -> bool:
    """A browser asking for a page (not the API, a terminal or a script) at an address nobody serves."""
    if request.path.startswith(("/api/", "/iclock")):
        return False
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _unknown_address(error: HTTPException):
    """An address nobody serves (or not with this method): the web app's page for a browser, else problem+json."""
    if request.blueprint == bp.name or (request.blueprint is None and _wants_a_page()):
        return problem_page(problem_of_http(error))
    return handle_http_exception(error)


@bp.after_request
def _page_headers(response):
    if response.mimetype == "text/html":
        # Pages carry personal data and the CSRF token: never stored, so Back after sign-out shows nothing.
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["Content-Language"] = page_language()
    if is_htmx():
        response.vary.add("HX-Request")
    return assets.compress_page(response)


@bp.context_processor
def _page_context():
    return {"viewer": current_viewer()}


def app_menu():
    """The menu of the signed-in viewer (empty when signed out), for the layout."""
    viewer = current_viewer()
    return menu_for(viewer) if viewer is not None else []


def register_web(app: Flask) -> None:
    """Mount the web app on `app` (after the API, whose error handlers it defers to outside its pages)."""
    setup_i18n(app)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # pages without the templates' indentation
    app.jinja_env.globals.update(asset_url=assets.asset_url, app_menu=app_menu,
                                 app_version=app_version())
    app.jinja_env.filters["cut_label"] = cut_label
    for status in (404, 405):
        app.register_error_handler(status, _unknown_address)
    app.register_blueprint(bp)
