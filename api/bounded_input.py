"""Bounded input, decided in one place for every request before any view runs.

- The path, the query string and form fields may not hold a NUL character or a lone UTF-16
  surrogate (no database stores them), and are limited in length.
- A JSON body is parsed once, here, with limits: nesting depth, length of a number's digits, no
  NaN/Infinity, and no NUL or lone surrogate in any key or string. Views and the schemas' parser
  (`BoundedParser`) read that parse; nothing else parses the body again.
- What the fields themselves accept (strict numbers, 64-bit integers, sane dates) is in
  `api/blueprints/fields.py`.

Every refusal is an RFC 9457 problem with its own code (`api/errors.py`), never a 500.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from flask import Flask, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from engine.errors import DomainError

MAX_PATH_CHARS = 2048
MAX_QUERY_CHARS = 8192
MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 64
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_PARSED = "opsta.json"
# Their views read the raw body themselves (terminals send text, often labelled as a form).
RAW_BODY_BLUEPRINTS = frozenset({"iclock"})


class BadInput(DomainError):
    """Input no field of any schema could accept."""

    status = 400
    code = "bad_input"
    title = "Unreadable input"


def _refuse_unstorable(text: str, where: str) -> None:
    if _UNSTORABLE.search(text):
        raise BadInput(f"The {where} holds a NUL character or a lone surrogate, which no text may contain.",
                       code="invalid_characters")


def _number(text: str, convert):
    if len(text) > MAX_NUMBER_CHARS:
        raise BadInput(f"A number in the JSON body has more than {MAX_NUMBER_CHARS} characters.",
                       code="number_too_long")
    return convert(text)


def _finite(text: str) -> float:
    value = _number(text, float)
    if not math.isfinite(value):
        raise BadInput("A number in the JSON body is too large.", code="number_too_long")
    return value


def _no_constants(name: str):
    raise BadInput(f"{name} is not a number JSON allows.", code="malformed_json")


def _walk(value: Any, depth: int) -> None:
    """Depth and text checks over a parsed document, without recursion."""
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            _refuse_unstorable(item, "JSON body")
            continue
        if not isinstance(item, (dict, list)):
            continue
        if level >= MAX_JSON_DEPTH:
            raise BadInput(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.", code="json_too_deep")
        if isinstance(item, dict):
            for key, child in item.items():
                _refuse_unstorable(key, "JSON body")
                stack.append((child, level + 1))
        else:
            stack.extend((child, level + 1) for child in item)


def parse_bounded_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or BadInput; a body that is not JSON raises json.JSONDecodeError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"Bytes decoding error : {exc.reason}", doc=str(exc.object), pos=exc.start) from exc
    try:
        document = json.loads(text, parse_int=lambda t: _number(t, int), parse_float=_finite,
                              parse_constant=_no_constants)
    except RecursionError as exc:
        raise BadInput(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.", code="json_too_deep") from exc
    # Small bodies cannot nest deeply; `\u` escapes are the only way to spell NUL or a surrogate in JSON.
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH or b"\\u" in raw:
        _walk(document, 0)
    return document


def request_json() -> Any:
    """This request's JSON body, parsed once with the limits above (`core.missing` when there is none)."""
    if _PARSED not in request.environ:
        raw = request.get_data(cache=True)
        request.environ[_PARSED] = parse_bounded_json(raw) if raw.strip() else core.missing
    return request.environ[_PARSED]


def check_request() -> None:
    """The app-wide `before_request` guard: path, query string, form fields and JSON body."""
    if len(request.path) > MAX_PATH_CHARS:
        raise BadInput("The path is too long.", code="path_too_long", status=414)
    _refuse_unstorable(request.path, "path")
    if len(request.query_string) > MAX_QUERY_CHARS:
        raise BadInput("The query string is too long.", code="query_too_long", status=414)
    for key, value in request.args.items(multi=True):
        _refuse_unstorable(key + value, "query string")
    if request.blueprint in RAW_BODY_BLUEPRINTS:
        return
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, value in request.form.items(multi=True):
            _refuse_unstorable(key + value, "form")
    elif is_json_request(request):
        try:
            request_json()
        except json.JSONDecodeError:
            pass  # left to the view's parser, which answers `malformed_json`


class BoundedParser(FlaskParser):
    """webargs' parser reading the guard's JSON parse, and refusing unknown query parameters too."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return request_json()


def register_input_guard(app: Flask) -> None:
    """Run `check_request` before every request of `app`."""
    app.before_request(check_request)
