"""A month of known days for the web app's tests: last month (relative to today in Bangkok), so the
calendar is always reached with one `<` from the current month, whatever the date the tests run on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine.attendance.thai_calendar import CalendarMonth
from engine.models import Holiday
from tests.support.punches import add_punch

BANGKOK = ZoneInfo("Asia/Bangkok")
EMPLOYEE1 = "100059150"
LONG_PLACE = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร อาคาร 2"


def today_in_bangkok() -> date:
    return datetime.now(BANGKOK).date()


@dataclass(frozen=True)
class KnownMonth:
    month: CalendarMonth
    normal: date      # 08:40 IN, 16:35 OUT at MOC-OPS
    late: date        # 09:10 IN, 16:40 OUT
    left_early: date  # 08:30 IN at LONG_PLACE, 15:00 OUT
    absent: date      # nothing on a workday
    holiday: date     # วันหยุดทดสอบ / Test holiday
    incomplete: date  # 08:45 IN only


def last_month() -> CalendarMonth:
    first = today_in_bangkok().replace(day=1) - timedelta(days=1)
    return CalendarMonth(first.year, first.month)


def seed_known_month(session_factory, code: str = EMPLOYEE1) -> KnownMonth:
    """Employee `code`'s punches on the first full working week of last month, and a holiday in it."""
    month = last_month()
    monday = month.first_day + timedelta(days=(7 - month.first_day.weekday()) % 7)
    known = KnownMonth(month, monday, monday + timedelta(1), monday + timedelta(2), monday + timedelta(3),
                       monday + timedelta(4), monday + timedelta(7))
    plan = [(known.normal, time(8, 40), "in", "MOC-OPS"), (known.normal, time(16, 35), "out", "MOC-OPS"),
            (known.late, time(9, 10), "in", "MOC-OPS"), (known.late, time(16, 40), "out", "MOC-OPS"),
            (known.left_early, time(8, 30), "in", LONG_PLACE), (known.left_early, time(15, 0), "out", "MOC-OPS"),
            (known.incomplete, time(8, 45), "in", "MOC-OPS")]
    with session_factory() as session:
        session.add(Holiday(day=known.holiday, name_th="วันหยุดทดสอบ", name_en="Test holiday"))
        session.commit()
        for day, at, direction, place in plan:
            add_punch(session, code, datetime.combine(day, at), direction, place=place)
    return known
