"""One error format for the whole API: RFC 9457 problem+json with a stable `code`.

Every failure path ends here: domain errors, HTTP errors raised by Flask or webargs
(malformed JSON, validation), and unexpected exceptions, which are logged and never
leak a traceback.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from engine.db import connection_lost
from engine.errors import DatabaseUnavailable, DomainError

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def problem_response(status: int, code: str, title: str, detail: str | None = None,
                     headers: dict[str, str] | None = None, **extensions: Any) -> Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.path if request else None,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extensions.items() if v is not None})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _flatten_validation_messages(messages: Any) -> dict[str, Any]:
    """webargs nests messages under the location ("json", "query", ...); callers want field names."""
    if isinstance(messages, dict) and messages and set(messages) <= {"json", "json_or_form", "query", "form",
                                                                      "files", "headers", "view_args",
                                                                      "querystring"}:
        flat: dict[str, Any] = {}
        for location, errors in messages.items():
            if isinstance(errors, dict):
                flat.update(errors)
            else:
                flat[location] = errors
        return flat
    return messages if isinstance(messages, dict) else {"_": messages}


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 400 and data.get("messages") == {"json": ["Invalid JSON body."]}:
        return problem_response(400, "malformed_json", "Malformed JSON",
                                "The request body is not valid JSON.", headers)
    if status == 422 and "messages" in data:
        return problem_response(422, "validation_failed", "Invalid input",
                                "Some fields are missing or invalid.", headers,
                                errors=_flatten_validation_messages(data["messages"]))
    code = HTTP_CODES.get(status, f"http_{status}")
    detail = data.get("message") or (error.description if status != 500 else None)
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem_response(status, code, error.name, detail, headers)


def handle_domain_error(error: DomainError) -> Response:
    headers = error.extensions.pop("headers", None)
    return problem_response(error.status, error.code, error.title, error.detail, headers, **error.extensions)


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(500, "internal_error", "Internal error",
                            "Something went wrong on our side; it has been logged.")


def handle_database_error(error: SQLAlchemyError) -> Response:
    # A lost connection (restart, failover, killed backend) is the client's cue to retry, not our bug.
    if connection_lost(error):
        log.warning("database connection lost on %s %s: %s", request.method, request.path, error.__class__.__name__)
        return handle_domain_error(DatabaseUnavailable())
    return handle_unexpected(error)


def register_error_handlers(app: Flask) -> None:
    """Domain errors and unexpected exceptions; HTTP errors come through `OpstaApi.handle_http_exception`."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
