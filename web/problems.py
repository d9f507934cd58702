"""Domain errors as a person reads them: the problem code's message in the page's language.

The API answers a `DomainError` with problem+json; a page shows the same failure as a message. Each
code a screen can meet gets a line in `MESSAGES` (an English message id, translated in the catalogues);
a code without one falls back to the message of its HTTP status, with the code shown for support.
Field errors (`errors` on validation problems) are passed on for forms to show beside their fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine.errors import DomainError

MESSAGES = {
    "invalid_credentials": _l("Sign-in failed. Please enter the correct password."),
    "rate_limited": _l("Too many attempts. Please wait a moment, then try again."),
    "csrf_failed": _l("This page has expired or the form came from another site. Reload the page and try again."),
    "month_invalid": _l("That month does not exist. Choose a month from the calendar."),
    "day_invalid": _l("That day is not in this month. Choose a day from the calendar."),
    "validation_failed": _l("Some fields are missing or invalid."),
    "language_invalid": _l("Choose Thai or English."),
    "page_invalid": _l("That page does not exist. Go back to the first page."),
    "link_invalid": _l("The link must be a full web address starting with http:// or https://."),
    "expiry_before_publish": _l("The expiry must come after the publish time."),
    "expiry_in_past": _l("The expiry must be in the future."),
    "date_out_of_range": _l("That date is too far from today."),
    "unit_not_found": _l("One of the chosen units no longer exists. Reload the page and choose again."),
    "unit_repeated": _l("A unit is chosen twice."),
    "push_disabled": _l("Notifications to this device are not set up on this server."),
    "no_files": _l("Choose one or more .bpmn or .dmn files."),
    "too_many_files": _l("Upload at most 50 files at once."),
    "file_too_large": _l("A file is too large (at most 2 MB)."),
    "trial_requester_unknown": _l("No employee has this code. Enter the requester's employee code."),
    # Punches (the punch screen and its offline outbox) and photos (the selfie, the profile photo).
    "client_time_too_old": _l("This punch was made too long ago to be sent. Ask for a missed-punch request instead."),
    "client_time_in_future": _l("The phone's clock is ahead. Check its date and time settings, then punch again."),
    "client_time_required": _l("The punch has no time of its own. Punch again."),
    "idempotency_key_reused": _l("This punch was already sent with different details. Punch again."),
    "note_too_long": _l("The note is too long."),
    "selfie_required": _l("A selfie is needed with every punch."),
    "selfie_missing": _l("A selfie is needed with every punch."),
    "token_invalid": _l("Please sign in again."),
    "photo_too_large": _l("The photo file is too large."),
    "photo_type_unsupported": _l("Use a JPEG, PNG or WebP photo."),
    "photo_too_many_pixels": _l("The photo has too many pixels. Use a smaller photo."),
    "photo_unreadable": _l("The photo cannot be read. Take or choose another photo."),
    "profile_photo_rejected": _l("This photo cannot be your profile photo. See the advice for each check below."),
    # Reports: the report screen's filters, and the page of a file built in the background (whose row keeps
    # only the code of a report's refusal, shown with `message_for_code`). A 404 page stays the one page for
    # unknown and forbidden alike; the 404 codes' messages show only on a failed job's page.
    "date_invalid": _l("That date cannot be read. Choose the date with the date picker."),
    "period_ambiguous": _l("Choose either a month or a date range, not both."),
    "range_reversed": _l("The end date is before the start date. Choose an end date on or after the start date."),
    "range_too_long": _l("The period is too long for this report. Choose one month, or a shorter date range."),
    "report_needs_one_day": _l("This report is for one day. Choose a single day."),
    "report_needs_month": _l("This report is for one whole month. Choose a month."),
    "status_invalid": _l("That status does not apply to this report. Choose a status from the list."),
    "report_too_large_for_pdf": _l("This report has too many rows for a PDF. Choose a unit or a shorter period, or download it as Excel or CSV."),
    "report_format_unknown": _l("Choose CSV, Excel (XLSX) or PDF."),
    "report_forbidden": _l("Reports are for supervisors, HR and admin. Ask HR for the report you need."),
    "report_not_found": _l("There is no such report. Choose one from the list of reports."),
    "employee_not_found": _l("No employee with this code is open to you. Check the employee code."),
    "report_job_not_found": _l("This file does not exist or is not open to you. Ask for the report again."),
    "report_not_ready": _l("The file is not ready yet. Wait until its page says it is ready, then download it."),
    "report_expired": _l("This file has expired; ask for it again."),
    "report_job_crashed": _l("Something went wrong while making the file. Ask for it again; if it fails again, "
                             "tell support the code below."),
}

BY_STATUS = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in again."),
    403: _l("You may not do this."),
    404: _l("This page does not exist or is not open to you."),
    405: _l("This page cannot be used that way."),
    409: _l("Someone changed this a moment ago. Reload the page and try again."),
    413: _l("The file is too large."),
    422: _l("Some fields are missing or invalid."),
    429: _l("Too many attempts. Please wait a moment, then try again."),
    500: _l("Something went wrong on our side. It has been logged; please try again later."),
    503: _l("The service is not available right now. Please try again later."),
}


@dataclass(frozen=True)
class Problem:
    """What a page shows of a failure."""

    status: int
    code: str
    message: str
    fields: dict = field(default_factory=dict)
    retry_after: str | None = None


def _status_message(status: int) -> str:
    return str(BY_STATUS.get(status) or BY_STATUS[500 if status >= 500 else 400])


def message_for_code(code: str) -> str | None:
    """The message of a problem known only by its code (a failed report job keeps the code), if it has one."""
    message = MESSAGES.get(code)
    return str(message) if message else None


def problem_of(error: DomainError) -> Problem:
    """The page's message for a domain error."""
    message = MESSAGES.get(error.code)
    headers = error.extensions.get("headers") or {}
    return Problem(error.status, error.code, str(message) if message else _status_message(error.status),
                   dict(error.extensions.get("errors") or {}), headers.get("Retry-After"))


def problem_of_http(error: HTTPException) -> Problem:
    """The page's message for an HTTP error (404, 405, 413, …)."""
    status = error.code or 500
    return Problem(status, f"http_{status}", _status_message(status))
