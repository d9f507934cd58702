"""The input fields every request schema is built from: strict and bounded.

- Numbers are numbers: in a JSON body `"latitude": "13.8"` is refused, not coerced (and `true` is
  not 1). Query strings and form fields are text by nature, so there a number's digits are read.
- Integers fit a database integer (32 bits; every id column is one) unless a narrower range is given.
- Dates and times lie between `FIRST_DAY` and `LAST_DAY` (a Buddhist-era year typed as CE, or
  9999-12-31, is a 422, not an overflow further down).
- Text is limited in length (`MAX_TEXT_CHARS` unless the schema gives its own limit).

`tests/api/test_bounded_input.py` checks that every request schema of the API uses only these.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime

import marshmallow as ma
from webargs.multidictproxy import MultiDictProxy

# Every id and count column is a 32-bit INTEGER in the database.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
MAX_TEXT_CHARS = 10_000
_INTEGER_TEXT = re.compile(r"[+-]?\d{1,30}")
_NUMBER_TEXT = re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})([eE][+-]?\d{1,3})?")


def _from_text(data) -> bool:
    """Query strings and forms reach the schema as webargs' MultiDictProxy; a JSON body as a dict or list."""
    return isinstance(data, MultiDictProxy)


class Int(ma.fields.Integer):
    """An integer that fits a database integer (32 bits) unless a Range validator narrows it."""

    default_error_messages = {"invalid": "Not a valid integer.", "range": "Must be a whole number from -2147483648 to 2147483647."}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _from_text(data) and _INTEGER_TEXT.fullmatch(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        if not INT_MIN <= value <= INT_MAX:
            raise self.make_error("range")
        return super()._deserialize(value, attr, data, **kwargs)


class Number(ma.fields.Float):
    """A finite number (an integer is a number too)."""

    default_error_messages = {"invalid": "Not a valid number.", "special": "Must be a finite number."}

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _from_text(data) and _NUMBER_TEXT.fullmatch(value.strip()):
            value = float(value.strip())
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if not math.isfinite(float(value)):
            raise self.make_error("special")
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(ma.fields.Boolean):
    """true or false; in a query string or form also the usual spellings (1, yes, on, …)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool) and not (isinstance(value, str) and _from_text(data)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


class Day(ma.fields.Date):
    """A calendar date (YYYY-MM-DD) between FIRST_DAY and LAST_DAY."""

    default_error_messages = {"range": f"Must be a date from {FIRST_DAY} to {LAST_DAY}."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        day = super()._deserialize(value, attr, data, **kwargs)
        if not _in_range(day):
            raise self.make_error("range")
        return day


class Moment(ma.fields.AwareDateTime):
    """An instant with its UTC offset (ISO 8601) between FIRST_DAY and LAST_DAY."""

    default_error_messages = {"range": f"Must be a time from {FIRST_DAY} to {LAST_DAY}."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        moment: datetime = super()._deserialize(value, attr, data, **kwargs)
        if not _in_range(moment.date()):
            raise self.make_error("range")
        return moment


class Text(ma.fields.String):
    """Text of at most MAX_TEXT_CHARS characters, unless a Length validator says otherwise."""

    def __init__(self, **kwargs):
        validators = kwargs.get("validate") or []
        validators = list(validators) if isinstance(validators, (list, tuple)) else [validators]
        if not any(isinstance(v, ma.validate.Length) for v in validators):
            validators.append(ma.validate.Length(max=MAX_TEXT_CHARS))
        kwargs["validate"] = validators
        super().__init__(**kwargs)


def date_range_in_order(data: dict) -> None:
    """For a schema's `validates_schema`: a `from`–`to` range that ends before it starts is a 422 on `to`."""
    if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
        raise ma.ValidationError({"to": ["The range ends before it starts ('to' is before 'from')."]})
