"""Domain errors with stable codes. The API turns each into RFC 9457 problem+json."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure the caller can understand and act on.

    `code` is stable and documented; `status` is the HTTP status the API answers with.
    """

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None, status: int | None = None,
                 **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        if status:
            self.status = status
        self.extensions = extensions


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidInput(DomainError):
    status = 422
    code = "validation_failed"
    title = "Invalid input"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many attempts"


class DatabaseUnavailable(DomainError):
    """The database went away mid-request (a restart, a failover, a killed connection): try again shortly."""

    status = 503
    code = "database_unavailable"
    title = "Database unavailable"
    RETRY_AFTER_SECONDS = 2

    def __init__(self, detail: str = "The database is unavailable for a moment; nothing was stored. Send the same "
                                     "request again shortly.", **extensions):
        extensions.setdefault("headers", {"Retry-After": str(self.RETRY_AFTER_SECONDS)})
        super().__init__(detail, **extensions)
