"""Dates as people read them: Buddhist era in Thai (`14/9/2564 16:17:24`, `ตุลาคม 2564`), common era in English."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from engine.attendance.thai_calendar import CalendarMonth
from web import i18n


@pytest.fixture
def in_language(live_app):
    def enter(language: str):
        cookie = {"Cookie": f"opsta_lang={language}"} if language else {}
        return live_app.app.test_request_context("/", headers=cookie)

    return enter


MOMENT = datetime(2021, 9, 14, 9, 17, 24, tzinfo=timezone.utc)  # 16:17:24 in Bangkok


def test_thai_dates_use_the_buddhist_era(in_language):
    with in_language("th"):
        assert i18n.page_language() == "th"
        assert i18n.date_time(MOMENT) == "14/9/2564 16:17:24"
        assert i18n.short_date(date(2021, 10, 5)) == "5/10/2564"
        assert i18n.long_date(date(2021, 10, 5)) == "5 ตุลาคม 2564"
        assert i18n.month_title(CalendarMonth(2021, 10)) == "ตุลาคม 2564"
        assert i18n.weekday_headers() == ["อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส."]
        assert i18n.clock_time(MOMENT) == "16:17"


def test_english_dates_use_the_common_era(in_language):
    with in_language("en"):
        assert i18n.date_time(MOMENT) == "14/9/2021 16:17:24"
        assert i18n.short_date(date(2021, 10, 5)) == "5/10/2021"
        assert i18n.month_title(CalendarMonth(2021, 10)) == "October 2021"
        assert i18n.weekday_headers() == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]


def test_thai_is_the_default_and_an_unknown_setting_is_ignored(in_language):
    for setting in ("", "fr"):
        with in_language(setting):
            assert i18n.page_language() == "th"
            assert i18n.month_title(CalendarMonth(2026, 1)) == "มกราคม 2569"


def test_templates_get_the_filters(in_language, live_app):
    with in_language("th"):
        template = live_app.app.jinja_env.from_string("{{ moment | date_time }} · {{ _('Calendar') }}")
        assert template.render(moment=MOMENT) == "14/9/2564 16:17:24 · ปฏิทิน"
    with in_language("en"):
        assert template.render(moment=MOMENT) == "14/9/2021 16:17:24 · Calendar"
