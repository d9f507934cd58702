"""Thai first, English as a setting: the page language, its catalogues, and dates as people read them.

The language is a per-browser setting kept in the `opsta_lang` cookie (the settings page changes it):
it needs no account, so the sign-in page follows it too, and it outlives a sign-out on that phone.
Without the cookie every page is Thai. Message ids are English (see README, "Web app"); the Thai
catalogue holds the training material's words.

Dates: Thai shows the Buddhist-era year (`14/9/2564 16:17:24`, `ตุลาคม 2564`), English the common era
(`14/9/2021 16:17:24`, `October 2021`). Times are shown in the organisation's time zone.
"""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, Response, request
from flask_babel import Babel, get_locale

from api.context import opsta
from engine.attendance.calendar import EN_MONTHS
from engine.attendance.thai_calendar import (THAI_WEEKDAY_SHORT_NAMES, CalendarMonth, buddhist_year,
                                             thai_date_long, thai_date_short, thai_month_title)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = {"th": "ไทย", "en": "English"}
DEFAULT_LANGUAGE = "th"
LANGUAGE_COOKIE = "opsta_lang"
EN_WEEKDAY_SHORT_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def chosen_language() -> str:
    """The page language of this request: the browser's setting, else Thai."""
    wanted = request.cookies.get(LANGUAGE_COOKIE, "")
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """Keep the setting for a year on this browser."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=secure, path="/")


def page_language() -> str:
    """The language this page is rendered in (`th` or `en`)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def _thai() -> bool:
    return page_language() == "th"


def short_date(day: date) -> str:
    """`5/10/2564` in Thai, `5/10/2021` in English."""
    return thai_date_short(day) if _thai() else f"{day.day}/{day.month}/{day.year}"


def long_date(day: date) -> str:
    """`5 ตุลาคม 2564` in Thai, `5 October 2021` in English."""
    return thai_date_long(day) if _thai() else f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(opsta().settings.timezone))


def date_time(moment: datetime) -> str:
    """`14/9/2564 16:17:24` in Thai (Buddhist era), `14/9/2021 16:17:24` in English, in the organisation's zone."""
    local = _local(moment)
    return f"{short_date(local.date())} {local:%H:%M:%S}"


def clock_time(moment: datetime | time) -> str:
    """`08:45` (a datetime in the organisation's zone)."""
    return f"{_local(moment) if isinstance(moment, datetime) else moment:%H:%M}"


def month_title(month: CalendarMonth) -> str:
    """`ตุลาคม 2564` in Thai, `October 2021` in English."""
    return thai_month_title(month.year, month.month) if _thai() else f"{EN_MONTHS[month.month - 1]} {month.year}"


def weekday_headers() -> list[str]:
    """Sunday first: `อา. จ. อ. พ. พฤ. ศ. ส.` in Thai, `Sun Mon …` in English."""
    names = THAI_WEEKDAY_SHORT_NAMES if _thai() else EN_WEEKDAY_SHORT_NAMES
    return [names[6], *names[:6]]


def year_of(day: date) -> int:
    """The year as the page shows it: Buddhist era in Thai."""
    return buddhist_year(day.year) if _thai() else day.year


def display_name(person) -> str:
    """An employee's name in the page's language (the Thai name when there is no English one)."""
    return person.name_th if _thai() or not person.name_en else person.name_en


def setup_i18n(app: Flask) -> None:
    """Flask-Babel with the web app's catalogues and the page-language setting; the date filters."""
    Babel(app, locale_selector=chosen_language, default_locale=DEFAULT_LANGUAGE,
          default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.filters.update(short_date=short_date, long_date=long_date, date_time=date_time, clock_time=clock_time,
                                 month_title=month_title, year_of=year_of,
                                 display_name=display_name)
    app.jinja_env.globals.update(page_language=page_language, weekday_headers=weekday_headers,
                                 languages=LANGUAGES)
