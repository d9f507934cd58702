"""The monthly calendar: every day status, Thai titles, and who may open whose calendar."""
from datetime import date, datetime

import pytest

from engine.models import Holiday
from tests.support.punches import add_punch

EMP1 = "100059150"


@pytest.fixture
def september_2026(demo_org, session_factory):
    """A past month of employee1 punches that shows every kind of day (1 Sep 2026 is a Tuesday)."""
    with session_factory() as s:
        s.add(Holiday(day=date(2026, 9, 15), name_th="วันหยุดทดสอบ", name_en="Test holiday"))
        s.commit()
        plan = [
            ((9, 1, 8, 40), "in"), ((9, 1, 16, 35), "out"),     # normal
            ((9, 2, 9, 10), "in"), ((9, 2, 16, 40), "out"),     # late
            ((9, 3, 8, 30), "in"), ((9, 3, 15, 0), "out"),      # left early
            # 9/4 nothing: absent; 9/5-6 weekend
            ((9, 7, 8, 40), "in"),                              # forgot the OUT: incomplete
            ((9, 8, 8, 30), "in"), ((9, 8, 16, 45), "out"),     # next day starts fresh: normal
            ((9, 9, 8, 40), "in"), ((9, 10, 1, 30), "out"),     # OUT after midnight closes 9/9
            ((9, 15, 10, 0), "in"), ((9, 15, 12, 0), "out"),    # punches on a holiday
        ]
        for (month, day, hour, minute), direction in plan:
            add_punch(s, EMP1, datetime(2026, month, day, hour, minute), direction)


def days_by_date(calendar):
    return {d["date"]: d for d in calendar["days"]}


def test_every_day_status(api, september_2026):
    calendar = api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json()
    assert calendar["month"] == "2026-09"
    assert calendar["title_th"] == "กันยายน 2569"
    assert calendar["title_en"] == "September 2026"
    assert len(calendar["days"]) == 30
    days = days_by_date(calendar)
    expected = {
        "2026-09-01": "normal", "2026-09-02": "late", "2026-09-03": "left_early", "2026-09-04": "absent",
        "2026-09-05": "weekend", "2026-09-06": "weekend", "2026-09-07": "incomplete", "2026-09-08": "normal",
        "2026-09-09": "normal", "2026-09-15": "holiday",
    }
    assert {d: days[d]["status"] for d in expected} == expected
    assert days["2026-09-01"]["hours"] == "08:45–16:30"
    assert days["2026-09-15"]["holiday_name_th"] == "วันหยุดทดสอบ"
    assert days["2026-09-05"]["hours"] is None
    assert days["2026-09-02"]["late_minutes"] == 25


def test_forgotten_out_does_not_turn_the_next_morning_into_an_out(api, september_2026):
    days = days_by_date(api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json())
    assert [p["direction"] for p in days["2026-09-07"]["punches"]] == ["in"]
    assert days["2026-09-07"]["missing"] == ["out"]
    assert [p["direction"] for p in days["2026-09-08"]["punches"]] == ["in", "out"]
    assert [p["time"] for p in days["2026-09-09"]["punches"]] == ["08:40", "01:30"]
    assert days["2026-09-10"]["punches"] == []


def test_calendar_punch_fields(api, september_2026):
    days = days_by_date(api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json())
    first = days["2026-09-01"]["punches"][0]
    assert set(first) >= {"id", "time", "direction", "place_label", "location_kind", "source", "flags"}
    assert (first["time"], first["direction"], first["place_label"]) == ("08:40", "in", "MOC-OPS")


def test_future_days(api, demo_org):
    next_year = date.today().year + 1
    calendar = api.login("employee1").get("/api/me/calendar", params={"month": f"{next_year}-03"}).json()
    statuses = {d["status"] for d in calendar["days"]}
    assert statuses <= {"future", "weekend", "holiday"} and "future" in statuses


def test_today_is_given_in_thai_and_iso(api, demo_org):
    calendar = api.login("employee1").get("/api/me/calendar").json()
    today = date.fromisoformat(calendar["today"])
    assert calendar["today_th"] == f"{today.day}/{today.month}/{today.year + 543}"
    assert calendar["month"] == f"{today:%Y-%m}"


@pytest.mark.parametrize("month", ["2026-13", "26-09", "2569-09", "september", ""])
def test_bad_month_is_a_clear_422(api, demo_org, month):
    reply = api.login("employee1").get("/api/me/calendar", params={"month": month})
    assert reply.status_code == 422
    assert reply.json()["code"] == "month_invalid"


@pytest.mark.parametrize("viewer, status", [
    ("supervisor", 200), ("director", 200), ("hr", 200), ("admin", 200),
    ("employee2", 404), ("analyst", 404),
])
def test_supervisor_view_of_a_subordinates_calendar(api, september_2026, viewer, status):
    reply = api.login(viewer).get(f"/api/employees/{EMP1}/calendar", params={"month": "2026-09"})
    assert reply.status_code == status
    if status == 200:
        body = reply.json()
        assert body["employee"]["code"] == EMP1
        assert days_by_date(body)["2026-09-02"]["status"] == "late"


def test_supervisor_calendar_matches_the_employees_own(api, september_2026):
    own = api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json()
    seen = api.login("supervisor").get(f"/api/employees/{EMP1}/calendar", params={"month": "2026-09"}).json()
    assert own["days"] == seen["days"]
