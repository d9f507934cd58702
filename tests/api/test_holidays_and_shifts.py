"""Holidays and shifts: a year without holidays is announced to hr before it starts, a schedule can work on
holidays, and hr sets schedule overrides per unit and per employee through the API."""
from datetime import date, datetime, timezone

from engine.models import Holiday
from engine.schedules.holiday_coverage import announce_missing_holidays
from tests.support.punches import add_punch

EMP1 = "100059150"


def test_a_year_without_holidays_is_announced_to_hr_once_from_december(api, demo_org, session_factory, settings):
    with session_factory() as s:
        s.add(Holiday(day=date(2026, 12, 31), name_th="วันสิ้นปี", name_en="New Year's Eve"))
        s.commit()
        november = datetime(2026, 11, 30, 5, 0, tzinfo=timezone.utc)
        assert announce_missing_holidays(session=s, settings=settings, now=november) == []
        december = datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)
        assert announce_missing_holidays(session=s, settings=settings, now=december) == [2027]
        assert announce_missing_holidays(session=s, settings=settings, now=december) == [2027]
    hr = api.login("hr").get("/api/me/notifications").json()["items"]
    assert [(n["kind"], n["data"]) for n in hr] == [("holidays_missing", {"year": 2027})]  # told once
    assert "2570" in hr[0]["title_th"] and "2027" in hr[0]["title_en"]
    assert api.login("employee1").get("/api/me/notifications").json()["items"] == []
    with session_factory() as s:
        s.add(Holiday(day=date(2027, 1, 1), name_th="วันขึ้นปีใหม่", name_en="New Year's Day"))
        s.commit()
        assert announce_missing_holidays(session=s, settings=settings, now=december) == []


def test_hr_sets_a_shift_schedule_that_works_on_holidays_for_an_employee(api, demo_org, session_factory):
    with session_factory() as s:
        s.add(Holiday(day=date(2026, 9, 15), name_th="วันหยุดทดสอบ", name_en="Test holiday"))
        s.commit()
        add_punch(s, EMP1, datetime(2026, 9, 15, 7, 55), "in")
        add_punch(s, EMP1, datetime(2026, 9, 15, 16, 5), "out")
    hr = api.login("hr")
    put = hr.put("/api/schedules/shift-a", json={"start": "08:00", "end": "16:00", "weekdays": "1234567",
                                                "works_on_holidays": True})
    assert put.status_code == 200, put.text
    assert put.json() == {"id": put.json()["id"], "name": "shift-a", "start": "08:00", "end": "16:00",
                          "weekdays": "1234567", "works_on_holidays": True}
    added = hr.post(f"/api/employees/{EMP1}/schedule-overrides", json={"schedule": "shift-a",
                                                                       "effective_from": "2026-09-01"})
    assert added.status_code == 201, added.text
    assert added.json()["employee_code"] == EMP1 and added.json()["effective_from"] == "2026-09-01"
    assert [o["schedule"] for o in hr.get(f"/api/employees/{EMP1}/schedule-overrides").json()] == ["shift-a"]

    calendar = api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json()
    days = {d["date"]: d for d in calendar["days"]}
    holiday = days["2026-09-15"]
    assert holiday["kind"] == "workday" and holiday["hours"] == "08:00–16:00" and holiday["status"] == "normal"
    assert holiday["holiday_name_th"] == "วันหยุดทดสอบ"  # still named
    assert days["2026-09-13"]["kind"] == "workday"  # a Sunday, on a seven-day shift

    assert hr.delete(f"/api/schedule-overrides/{added.json()['id']}").status_code == 204
    calendar = api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json()
    assert {d["date"]: d for d in calendar["days"]}["2026-09-15"]["status"] == "holiday"


def test_unit_overrides_and_who_may_set_them(api, demo_org):
    hr = api.login("hr")
    hr.put("/api/schedules/early", json={"start": "07:30", "end": "15:30"})
    added = hr.post("/api/org/units/ICT/schedule-overrides", json={"schedule": "early", "effective_from": "2026-09-01"})
    assert added.status_code == 201 and added.json()["unit_code"] == "ICT"
    assert hr.get("/api/org/units/ICT/schedule-overrides").json()[0]["schedule"] == "early"
    day = api.login("employee1").get("/api/me/calendar", params={"month": "2026-09"}).json()["days"][0]
    assert day["hours"] == "07:30–15:30"
    unknown = hr.post("/api/org/units/ICT/schedule-overrides", json={"schedule": "nope", "effective_from": "2026-09-01"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "schedule_unknown"
    assert hr.get("/api/org/units/NOPE/schedule-overrides").json()["code"] == "unit_not_found"
    employee = api.login("employee1")
    assert employee.put("/api/schedules/mine", json={"start": "10:00", "end": "11:00"}).status_code == 403
    assert employee.post("/api/org/units/ICT/schedule-overrides",
                         json={"schedule": "early", "effective_from": "2026-09-01"}).status_code == 403
