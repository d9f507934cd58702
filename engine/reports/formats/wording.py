"""The words and numbers of a rendered report in one language: headings translated, dates as people read them.

Headings and titles are English message ids; their Thai lives in the web app's catalogues
(web/translations), so one catalogue serves the screens and the files. The catalogues are read here with
Babel alone, without Flask, because a background job renders files outside any request.

Thai shows Buddhist-era years (`5/10/2564`, `ตุลาคม 2564`), English the common era (`5/10/2021`).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations

from engine.attendance.calendar import EN_MONTHS
from engine.attendance.thai_calendar import buddhist_year, thai_date_long, thai_date_short, thai_month_title
from engine.reports.messages import N_
from engine.reports.table import Cell, Column, Filters

TRANSLATIONS = Path(__file__).resolve().parents[3] / "web" / "translations"
LANGUAGES = ("th", "en")
# Decimal places shown (CSV, PDF, screen) and used in XLSX number formats, by column kind.
DECIMAL_PLACES = {"decimal": 2, "hours": 2, "money": 2}
# The renderers' own words.
PAGE, LEGEND, SIGNATURE, DATE, PRINTED = N_("Page"), N_("Legend"), N_("Signature"), N_("Date"), N_("Printed")
NOTHING, YES, NO = N_("Nothing to show."), N_("Yes"), N_("No")


@lru_cache(maxsize=None)
def _translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language])


@dataclass(frozen=True)
class Wording:
    """How a report reads in `language` (`th` or `en`); datetimes are shown in `timezone`."""

    language: str = "th"
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            object.__setattr__(self, "language", "th")

    @property
    def thai(self) -> bool:
        return self.language == "th"

    def text(self, message_id: str) -> str:
        """A message id in this language (the id itself when the catalogue has no translation)."""
        return _translations(self.language).gettext(message_id) if message_id else ""

    def headings(self, columns: list[Column]) -> list[str]:
        return [self.text(column.heading) for column in columns]

    def short_date(self, day: date) -> str:
        return thai_date_short(day) if self.thai else f"{day.day}/{day.month}/{day.year}"

    def long_date(self, day: date) -> str:
        return thai_date_long(day) if self.thai else f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"

    def month_title(self, year: int, month: int) -> str:
        return thai_month_title(year, month) if self.thai else f"{EN_MONTHS[month - 1]} {year}"

    def year(self, day: date) -> int:
        return buddhist_year(day.year) if self.thai else day.year

    def period(self, filters: Filters) -> str:
        """`ตุลาคม 2564` for a whole month, `5 ตุลาคม 2564` for a day, else `from – to` in long dates."""
        start, end = filters.start, filters.end
        whole_month = (start.day == 1 and end.year == start.year and end.month == start.month
                       and end.day == calendar.monthrange(start.year, start.month)[1])
        if whole_month:
            return self.month_title(start.year, start.month)
        if start == end:
            return self.long_date(start)
        return f"{self.long_date(start)} – {self.long_date(end)}"

    def local(self, moment: datetime) -> datetime:
        """A naive local datetime: aware ones are moved to the organisation's zone first."""
        if moment.tzinfo is not None and self.timezone:
            moment = moment.astimezone(ZoneInfo(self.timezone))
        return moment.replace(tzinfo=None)

    def cell(self, value: Cell, kind: str, *, grouped: bool = False) -> str:
        """A cell as text (CSV, PDF, screen): dates in this language's era, numbers with their places
        (`grouped`: with thousands separators, for people rather than spreadsheets)."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            local = self.local(value)
            return f"{self.short_date(local.date())} {local:%H:%M}"
        if isinstance(value, date):
            return self.short_date(value)
        if isinstance(value, time):
            return f"{value:%H:%M}"
        if isinstance(value, bool):
            return self.text(YES if value else NO)
        if isinstance(value, (int, float, Decimal)):
            separator = "," if grouped else ""
            places = DECIMAL_PLACES.get(kind)
            if places is not None:
                return f"{Decimal(str(value)):{separator}.{places}f}"
            if value == int(value):
                return f"{int(value):{separator}d}"
            return str(value)
        return str(value)
