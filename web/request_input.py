"""The request forms' fields as people type them, read into what `engine.requests.flows` takes.

Dates are typed as `d/m/yyyy` (a year above 2400 is the Buddhist era, as Thai people write it; the
page shows BE in Thai and CE in English) or picked (the native picker fills the same text field, and
an ISO `yyyy-mm-dd` is taken too). Every message is in the page's language and belongs to one field;
the server's own refusals (an end before the start, a missed punch too far back, the same overtime
twice) are placed beside their field through `FIELD_OF_CODE`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import lazy_gettext as _l

from engine.errors import DomainError
from engine.models import MISSED_PUNCH_REASONS
from engine.requests.forms import Submitted
from web.i18n import short_date

KINDS = ("overtime", "offsite", "missed_punch")
FIELDS = {
    "overtime": ("date", "start", "end", "reason"),
    "offsite": ("start_date", "end_date", "place", "reason"),
    "missed_punch": ("date", "time", "direction", "reason_code", "reason"),
}
DATE_FIELDS = ("date", "start_date", "end_date")
TIME_FIELDS = ("start", "end", "time")
BE_OFFSET = 543
MAX_TEXT = {"reason": 2000, "place": 500, "comment": 2000}

KIND_TITLES = {
    "overtime": _l("Request overtime"),
    "offsite": _l("Request off-site work"),
    "missed_punch": _l("Request a missed punch"),
}
REASON_CODE_LABELS = {
    "forgot": _l("Forgot to punch"),
    "device_down": _l("The punch terminal was out of order"),
    "phone_broken": _l("My phone did not work"),
    "other": _l("Other"),
}
assert set(REASON_CODE_LABELS) == set(MISSED_PUNCH_REASONS)

REQUIRED = _l("Please fill in this field.")
BAD_DATE = _l("Type the date as day/month/year, e.g. 5/10/2021, or pick it.")
BAD_TIME = _l("Type the time as HH:MM (24-hour), e.g. 17:30.")
BAD_CHOICE = _l("Choose one of the options.")
TOO_LONG = _l("This is too long.")

# The engine's refusals at submit, shown beside the field they are about.
FIELD_OF_CODE = {
    "overtime_times_invalid": ("end", _l("The overtime must end after it starts (on the same day).")),
    "overtime_duplicate": ("date", _l("You already asked for this overtime (same day and times).")),
    "offsite_dates_invalid": ("end_date", _l("The last day is before the first day.")),
    "offsite_too_long": ("end_date", _l("An off-site request covers at most 60 days.")),
    "missed_punch_too_old": ("date", _l("This day is too far back for a missed-punch request.")),
    "missed_punch_in_future": ("time", _l("A missed punch cannot be in the future.")),
    "request_type_fixed": ("reason", _l("The kind of a request cannot change.")),
}


@dataclass
class FormState:
    """What the form shows again: the text as typed, and a message per field."""

    kind: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def place(self, error: DomainError) -> bool:
        """Put an engine refusal beside its field; False when it belongs to no field."""
        placed = FIELD_OF_CODE.get(error.code)
        if placed is None:
            return False
        name, message = placed
        self.errors[name] = str(message)
        return True


def parse_day(text: str) -> date | None:
    """`5/10/2564` (BE), `5/10/2021` (CE) or `2021-10-05`; None when it is no date."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", text)
        if match is None:
            return None
        day, month, year = (int(part) for part in match.groups())
        if year > 2400:
            year -= BE_OFFSET
        if not 1900 <= year <= 2199:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def read_form(kind: str, form) -> tuple[Submitted | None, FormState]:
    """The submitted request, or None with the messages to show beside each field."""
    values = {name: (form.get(name) or "").strip() for name in (*FIELDS[kind], "comment")}
    state = FormState(kind, values)
    fields: dict = {}
    for name in FIELDS[kind]:
        text = values[name]
        if not text:
            state.errors[name] = str(REQUIRED)
        elif name in DATE_FIELDS:
            fields[name] = parse_day(text)
            if fields[name] is None:
                state.errors[name] = str(BAD_DATE)
        elif name in TIME_FIELDS:
            fields[name] = parse_time(text)
            if fields[name] is None:
                state.errors[name] = str(BAD_TIME)
        elif name == "direction" and text not in ("in", "out"):
            state.errors[name] = str(BAD_CHOICE)
        elif name == "reason_code" and text not in MISSED_PUNCH_REASONS:
            state.errors[name] = str(BAD_CHOICE)
        elif len(text) > MAX_TEXT.get(name, 2000):
            state.errors[name] = str(TOO_LONG)
        else:
            fields[name] = text
    if len(values["comment"]) > MAX_TEXT["comment"]:
        state.errors["comment"] = str(TOO_LONG)
    if state.errors:
        return None, state
    reason = fields.pop("reason")
    return Submitted(type=kind, reason=reason, fields=fields), state


def values_of(view: dict) -> dict[str, str]:
    """A stored request (as `request_view` shows it) as the form's text, dates in the page's era."""
    values = {name: str(view.get(name) or "") for name in FIELDS[view["type"]]}
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = short_date(date.fromisoformat(values[name]))
    return values


def planned_hours(values: dict[str, str]) -> float | None:
    """Hours between the typed start and end (None until both are times and the end is later)."""
    start, end = parse_time(values.get("start", "")), parse_time(values.get("end", ""))
    if start is None or end is None or end <= start:
        return None
    return round(((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) / 60, 2)
