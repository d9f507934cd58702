from datetime import date

import pytest

from engine.attendance.thai_calendar import (
    CalendarMonth,
    MonthInvalid,
    buddhist_year,
    parse_month,
    thai_date_long,
    thai_date_short,
    thai_month_name,
    thai_month_title,
    thai_weekday_name,
)


@pytest.mark.parametrize(
    ("year", "month", "title"),
    [
        (2021, 9, "กันยายน 2564"),
        (2021, 10, "ตุลาคม 2564"),
        (2024, 1, "มกราคม 2567"),
        (2024, 2, "กุมภาพันธ์ 2567"),
        (2026, 12, "ธันวาคม 2569"),
    ],
)
def test_month_title_uses_thai_name_and_buddhist_year(year, month, title):
    assert thai_month_title(year, month) == title


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2021, 10, 5), "5/10/2564"),
        (date(2021, 9, 30), "30/9/2564"),
        (date(2024, 1, 1), "1/1/2567"),
        (date(2024, 12, 31), "31/12/2567"),
    ],
)
def test_short_date_is_day_month_be_without_padding(day, text):
    assert thai_date_short(day) == text


def test_long_date_and_buddhist_year():
    assert thai_date_long(date(2021, 10, 5)) == "5 ตุลาคม 2564"
    assert buddhist_year(2021) == 2564


def test_month_names_full_and_short():
    assert thai_month_name(1) == "มกราคม"
    assert thai_month_name(12) == "ธันวาคม"
    assert thai_month_name(9, short=True) == "ก.ย."
    with pytest.raises(ValueError):
        thai_month_name(13)


def test_weekday_names_follow_the_date():
    assert thai_weekday_name(date(2021, 10, 4)) == "จันทร์"
    assert thai_weekday_name(date(2021, 10, 5)) == "อังคาร"
    assert thai_weekday_name(date(2021, 10, 7)) == "พฤหัสบดี"
    assert thai_weekday_name(date(2021, 10, 10), short=True) == "อา."


def test_parse_month_gives_the_month_and_its_days():
    month = parse_month("2021-09")
    assert month == CalendarMonth(2021, 9)
    assert month.first_day == date(2021, 9, 1)
    assert month.last_day == date(2021, 9, 30)
    assert len(month.days()) == 30
    assert month.title == "กันยายน 2564"
    assert str(month) == "2021-09"


def test_leap_february_has_29_days():
    assert parse_month("2024-02").last_day == date(2024, 2, 29)
    assert parse_month("2023-02").last_day == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2021-13", "01-12"),
        ("2021-00", "01-12"),
        ("2021-9", "YYYY-MM"),
        ("21-09", "YYYY-MM"),
        ("2021/09", "YYYY-MM"),
        ("2021-09-01", "YYYY-MM"),
        (" 2021-09", "YYYY-MM"),
        ("", "YYYY-MM"),
        ("๒๕๖๔-๐๙", "YYYY-MM"),
        ("2564-09", "Buddhist-era"),
        ("1800-01", "1900"),
        (None, "string"),
        (202109, "string"),
    ],
)
def test_parse_month_rejects_bad_values_with_a_stable_code(value, reason):
    with pytest.raises(MonthInvalid) as caught:
        parse_month(value)
    assert caught.value.code == "month_invalid"
    assert caught.value.value == value
    assert reason in str(caught.value)
    assert isinstance(caught.value, ValueError)
