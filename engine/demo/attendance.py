"""A month of realistic demo punches, so the demo calendar shows every kind of day.

Each demo person has a habit (punctual, often late, leaves early, forgets to punch out, works
from home now and then); a fixed random seed keeps the demo the same on every machine.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.attendance.ledger import append_punch
from engine.config import Settings
from engine.models import Employee, Punch, Site
from engine.schedules.holidays import import_holidays_file
from engine.schedules.service import ensure_default_schedule, schedules_for_range
from engine.sites.service import create_site
from geo import load_demo_site_geojson

HOLIDAY_FILES = ("th_public_holidays_2025.csv", "th_public_holidays_2026.csv")
OFFICE = (13.8620, 100.5125)
WFH_PLACES = (
    ((13.6905, 100.4790), "แขวงบางขุนเทียน เขตจอมทอง กรุงเทพมหานคร"),
    ((13.8840, 100.5650), "ตำบลบางกระสอ อำเภอเมืองนนทบุรี นนทบุรี"),
)

# username → (chance late, chance leaves early, chance forgets OUT, chance absent, chance WFH)
HABITS = {
    "supervisor": (0.05, 0.0, 0.0, 0.0, 0.1),
    "employee1": (0.1, 0.05, 0.05, 0.0, 0.15),
    "employee2": (0.35, 0.0, 0.0, 0.05, 0.0),
    "employee3": (0.05, 0.3, 0.15, 0.0, 0.1),
    "employee4": (0.1, 0.1, 0.05, 0.15, 0.2),
}


def holiday_dir():
    """The folder of the holiday files shipped with the schedules package."""
    from pathlib import Path

    import engine.schedules

    return Path(engine.schedules.__file__).parent / "data"


def _punch(session: Session, employee: Employee, at: datetime, direction: str, site: Site | None,
           home: tuple, rng: random.Random) -> None:
    if site is not None:
        (lat, lon), address, note = OFFICE, "", ""
    else:
        (lat, lon), address = home
        note = "check in WFH" if direction == "in" else "check out WFH"
    jitter = rng.uniform(-0.0003, 0.0003)
    punch = Punch(employee_id=employee.id, direction=direction, source="gps", recorded_at=at, effective_at=at,
                  offline=False, latitude=lat + jitter, longitude=lon + jitter, accuracy_m=rng.choice((5, 8, 12, 20)),
                  is_mock=False, note=note, address=address, place_label=site.name if site else address,
                  location_kind="office" if site else "offsite", site_id=site.id if site else None, flags=[],
                  verification_required=False)
    append_punch(session=session, punch=punch)


def _day_plan(rng: random.Random, habit, day: date, tz: ZoneInfo):
    late, early, forget, absent, wfh = habit
    if rng.random() < absent:
        return [], False
    arrive = time(9, rng.randint(0, 50)) if rng.random() < late else time(8, rng.randint(5, 44))
    leave = time(rng.randint(14, 15), rng.randint(0, 59)) if rng.random() < early else time(16, rng.randint(31, 59))
    punches = [(datetime.combine(day, arrive, tz), "in")]
    if rng.random() >= forget:
        punches.append((datetime.combine(day, leave, tz), "out"))
    return punches, rng.random() < wfh


def seed_demo_attendance(*, session: Session, settings: Settings, people: dict[str, Employee],
                         today: date | None = None, days: int = 35) -> Site:
    """Holidays, the MOC-OPS site and `days` days of punches up to yesterday for the demo team."""
    for name in HOLIDAY_FILES:
        import_holidays_file(session=session, path_or_file=holiday_dir() / name)
    ensure_default_schedule(session=session)
    feature = load_demo_site_geojson()
    site = create_site(session=session, name=feature["properties"]["name"], geometry=feature["geometry"],
                       tolerance_m=feature["properties"].get("tolerance_m"),
                       description=feature["properties"].get("description", ""))
    tz = ZoneInfo(settings.timezone)
    today = today or datetime.now(tz).date()
    rng = random.Random(2564)
    first = today - timedelta(days=days)
    for username, habit in HABITS.items():
        employee = people[username]
        for schedule in schedules_for_range(session=session, employee=employee, start=first,
                                            end=today - timedelta(days=1)):
            if not schedule.is_workday:
                continue
            plan, from_home = _day_plan(rng, habit, schedule.day, tz)
            home = rng.choice(WFH_PLACES)
            for at, direction in plan:
                _punch(session, employee, at, direction, None if from_home else site, home, rng)
    session.commit()
    return site
