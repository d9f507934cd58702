"""The largest request body the API reads, refused before a byte of it is read.

A declared `Content-Length` over the limit is answered 413 problem+json at once. A chunked body
(no length) is read here up to one byte past the limit and answered the same 413 when it goes past:
Werkzeug's own limit would hand the view the body cut at the limit, silently. So a body is either
read whole or refused, never cut. `/iclock/*` keeps its own limit:
terminals speak plain text and split their uploads (engine/terminals).
"""
from __future__ import annotations

import io

from flask import Flask, request

from engine.errors import DomainError

API_PREFIX = "/api/"


class BodyTooLarge(DomainError):
    """The request body is larger than the API accepts."""

    status = 413
    code = "payload_too_large"
    title = "Request body too large"


def _buffer_chunked_body(max_bytes: int) -> None:
    stream, body, size = request.environ["wsgi.input"], [], 0
    while size <= max_bytes:
        part = stream.read(min(65536, max_bytes + 1 - size))
        if not part:
            break
        body.append(part)
        size += len(part)
    if size > max_bytes:
        raise BodyTooLarge(f"The request body is larger than the {max_bytes} bytes the API accepts.",
                           max_bytes=max_bytes)
    # The view reads the whole body from memory, with its length now known.
    request.environ.update({"wsgi.input": io.BytesIO(b"".join(body)), "CONTENT_LENGTH": str(size)})


def register_body_limit(app: Flask, *, max_bytes: int) -> None:
    """Refuse API request bodies over `max_bytes` before they are read (register before anything reads them)."""
    def refuse_oversized_body():
        if not request.path.startswith(API_PREFIX):
            return
        if request.content_length is not None and request.content_length > max_bytes:
            raise BodyTooLarge(f"The request body has {request.content_length} bytes; the API accepts at most "
                               f"{max_bytes}.", max_bytes=max_bytes)
        if request.content_length is None and request.environ.get("wsgi.input_terminated"):
            _buffer_chunked_body(max_bytes)

    app.before_request(refuse_oversized_body)
