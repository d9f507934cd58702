"""Thai calendar wording: month and weekday names, Buddhist-era years, and `YYYY-MM` month parsing.

Dates are stored and exchanged in the Gregorian (CE) calendar; only what people read is shown in the
Buddhist era (BE = CE + 543), as the Thai government apps do: "กันยายน 2564", "5/10/2564".
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

BUDDHIST_ERA_OFFSET = 543

# Index 0 is January, so `THAI_MONTH_NAMES[month - 1]`.
THAI_MONTH_NAMES = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTH_SHORT_NAMES = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
# Index 0 is Monday, matching `date.weekday()`.
THAI_WEEKDAY_NAMES = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
THAI_WEEKDAY_SHORT_NAMES = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")

MIN_YEAR = 1900
# A four-digit year from 2400 on is a Buddhist-era year typed by mistake (2400 BE = 1857 CE).
FIRST_BUDDHIST_LOOKING_YEAR = 2400

# ASCII digits only: `\d` would also accept Thai digits (๒๕๖๔).
_MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")


class MonthInvalid(ValueError):
    """A month string that is not a valid CE `YYYY-MM`; `code` is stable for API error bodies."""

    code = "month_invalid"

    def __init__(self, message: str, *, value: object) -> None:
        super().__init__(message)
        self.value = value


@dataclass(frozen=True, order=True)
class CalendarMonth:
    """One Gregorian month, as shown on the attendance calendar."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def days(self) -> list[date]:
        """Every date of the month, in order."""
        first = self.first_day
        return [first + timedelta(days=i) for i in range(self.last_day.day)]

    @property
    def title(self) -> str:
        return thai_month_title(self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def buddhist_year(ce_year: int) -> int:
    """The Buddhist-era year for a Gregorian year (2021 → 2564)."""
    return ce_year + BUDDHIST_ERA_OFFSET


def thai_month_name(month: int, *, short: bool = False) -> str:
    """Thai name of month 1–12, full ("กันยายน") or short ("ก.ย.")."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    return (THAI_MONTH_SHORT_NAMES if short else THAI_MONTH_NAMES)[month - 1]


def thai_weekday_name(day: date, *, short: bool = False) -> str:
    """Thai weekday name of a date, full ("อังคาร") or short ("อ.")."""
    return (THAI_WEEKDAY_SHORT_NAMES if short else THAI_WEEKDAY_NAMES)[day.weekday()]


def thai_month_title(year: int, month: int) -> str:
    """Calendar heading for a CE year and month: (2021, 9) → "กันยายน 2564"."""
    return f"{thai_month_name(month)} {buddhist_year(year)}"


def thai_date_short(day: date) -> str:
    """d/m/BE without zero padding, as in "วันนี้ : 5/10/2564"."""
    return f"{day.day}/{day.month}/{buddhist_year(day.year)}"


def thai_date_long(day: date) -> str:
    """Day, full month name and BE year: 2021-10-05 → "5 ตุลาคม 2564"."""
    return f"{day.day} {thai_month_name(day.month)} {buddhist_year(day.year)}"


def parse_month(value: object) -> CalendarMonth:
    """Parse an exact CE `YYYY-MM` string, raising `MonthInvalid` with a readable reason."""
    if not isinstance(value, str):
        raise MonthInvalid(f"month must be a YYYY-MM string, got {type(value).__name__}", value=value)
    match = _MONTH_PATTERN.fullmatch(value)
    if match is None:
        raise MonthInvalid(f"month must look like YYYY-MM (e.g. 2021-09), got {value!r}", value=value)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthInvalid(f"month number must be 01-12, got {value!r}", value=value)
    if year >= FIRST_BUDDHIST_LOOKING_YEAR:
        raise MonthInvalid(
            f"{year} looks like a Buddhist-era year; use the CE year ({year - BUDDHIST_ERA_OFFSET})",
            value=value,
        )
    if year < MIN_YEAR:
        raise MonthInvalid(f"year must be {MIN_YEAR} or later, got {value!r}", value=value)
    return CalendarMonth(year, month)
