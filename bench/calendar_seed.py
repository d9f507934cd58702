"""Seeding for bench/calendar.py: a ministry-sized org and a year of phone punches, loaded with COPY.

The org: one root unit, up to 10 departments of 6 divisions each; the permanent secretary, department
heads and division directors; then teams of 10-20 people, each with its own supervisor who reports to
the division director. The last department works 07:30-15:30, everyone else the default 08:45-16:30.

Punches: an IN and an OUT per working day (holidays from engine/schedules/data), with ~2 % absent days,
~2 % forgotten OUTs, ~10 % late INs, ~4 % early OUTs and ~8 % work-from-home days. Each employee's rows
are chained with `engine.attendance.ledger_hash.punch_hash`, exactly as `append_punch` would chain them,
and the ledger heads are written to match, so `opsta audit verify` passes on the seeded data.
Row generation and hashing run in worker processes while the parent streams their output to COPY.
Each chunk holds ~100 employees spread over the id range, and writes its rows in time order (ids rising
with time), so on disk an employee's month is scattered over many pages, like live data.
"""
from __future__ import annotations

import multiprocessing
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import psycopg

from engine.attendance.ledger import GENESIS_HASH
from engine.attendance.ledger_hash import HASHED_FIELDS, punch_hash

BANGKOK = ZoneInfo("Asia/Bangkok")
OFFICE_BOX = (100.51145, 13.86075, 100.51355, 13.86325)  # inside the MOC-OPS outline
HOMES = (
    (13.6960, 100.4880, "แขวงบางขุนเทียน เขตจอมทอง กรุงเทพมหานคร"),
    (13.8890, 100.5670, "ตำบลบางตลาด อำเภอปากเกร็ด นนทบุรี"),
    (13.7563, 100.5018, "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร"),
    (14.0208, 100.5250, "ตำบลคลองหนึ่ง อำเภอคลองหลวง ปทุมธานี"),
    (13.7300, 100.5700, "แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร"),
)
PUNCH_COLUMNS = ("id", "employee_id", "direction", "source", "recorded_at", "client_time", "effective_at",
                 "offline", "latitude", "longitude", "accuracy_m", "is_mock", "note", "address", "place_label",
                 "location_kind", "site_id", "flags", "verification_required", "idempotency_key",
                 "request_fingerprint", "prev_hash", "content_hash")
EMPLOYEES_PER_CHUNK = 100
IDS_PER_CHUNK = 200_000  # > 100 employees x 2 punches x 366 days, so chunks never overlap


@dataclass
class Org:
    units: list[tuple[int, str, str, int | None]] = field(default_factory=list)  # id, code, name, parent
    # id, code, name_th, unit_id, supervisor_id
    employees: list[tuple[int, str, str, int, int | None]] = field(default_factory=list)
    unit_heads: dict[int, int] = field(default_factory=dict)
    teams: list[tuple[int, list[int]]] = field(default_factory=list)  # supervisor id, member ids
    early_units: set[int] = field(default_factory=set)


def build_org(employee_count: int, seed: int = 2569) -> Org:
    """Units, the reporting lines and teams of 10-20 for `employee_count` people (ids from 1)."""
    rng = random.Random(seed)
    org = Org()
    departments = max(1, min(10, employee_count // 1000))
    org.units.append((1, "MIN", "สำนักงานปลัดกระทรวง", None))
    org.employees.append((1, "E000001", "ปลัดกระทรวง", 1, None))
    org.unit_heads[1] = 1
    divisions: list[tuple[int, int]] = []  # (unit id, director id)
    for d in range(departments):
        dept_unit, dept_head = len(org.units) + 1, len(org.employees) + 1
        org.units.append((dept_unit, f"D{d + 1:02d}", f"กรมที่ {d + 1}", 1))
        org.employees.append((dept_head, f"E{dept_head:06d}", f"อธิบดีกรมที่ {d + 1}", dept_unit, 1))
        org.unit_heads[dept_unit] = dept_head
        for v in range(6):
            unit, director = len(org.units) + 1, len(org.employees) + 1
            org.units.append((unit, f"D{d + 1:02d}V{v + 1}", f"กองที่ {v + 1} กรมที่ {d + 1}", dept_unit))
            org.employees.append((director, f"E{director:06d}", f"ผู้อำนวยการกองที่ {v + 1}", unit, dept_head))
            org.unit_heads[unit] = director
            divisions.append((unit, director))
            if d == departments - 1 and departments > 1:
                org.early_units.add(unit)
        if d == departments - 1 and departments > 1:
            org.early_units.add(dept_unit)
    turn = 0
    while len(org.employees) < employee_count:
        unit, director = divisions[turn % len(divisions)]
        turn += 1
        supervisor = len(org.employees) + 1
        org.employees.append((supervisor, f"E{supervisor:06d}", f"หัวหน้ากลุ่มงาน {turn}", unit, director))
        members = []
        for _ in range(rng.randint(10, 20)):
            if len(org.employees) >= employee_count:
                break
            member = len(org.employees) + 1
            org.employees.append((member, f"E{member:06d}", f"เจ้าหน้าที่ {member}", unit, supervisor))
            members.append(member)
        if members:
            org.teams.append((supervisor, members))
    return org


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _line(values) -> str:
    return "\t".join(_copy_text(v) for v in values) + "\n"


def copy_org(conn: psycopg.Connection, org: Org) -> None:
    """Units and employees in one go; FK checks are off for the session (the rows are consistent)."""
    now = datetime.now(timezone.utc)
    with conn.cursor() as cur:
        with cur.copy("COPY org_units (id, code, name_th, name_en, parent_id) FROM STDIN") as copy:
            copy.write("".join(_line((i, code, name, code, parent)) for i, code, name, parent in org.units))
        columns = "id, code, name_th, name_en, email, position_title, unit_id, supervisor_id, active, created_at, updated_at"
        with cur.copy(f"COPY employees ({columns}) FROM STDIN") as copy:
            copy.write("".join(_line((i, code, name, code, f"{code.lower()}@ministry-bench.example", "", unit,
                                      sup, True, now, now)) for i, code, name, unit, sup in org.employees))
        cur.executemany("UPDATE org_units SET head_employee_id = %s WHERE id = %s",
                        [(head, unit) for unit, head in org.unit_heads.items()])
        for table in ("org_units", "employees"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


# --- punches, generated in worker processes ---------------------------------------------------------

_WORK: dict = {}


def _workdays(first: date, last: date, holidays: set[date], start: time, end: time) -> list[tuple[date, datetime, datetime]]:
    days, day = [], first
    while day <= last:
        if day.isoweekday() <= 5 and day not in holidays:
            days.append((day, datetime.combine(day, start, BANGKOK), datetime.combine(day, end, BANGKOK)))
        day += timedelta(days=1)
    return days


def _punch(rng: random.Random, employee_id: int, direction: str, local: datetime,
           home: tuple[float, float, str] | None, site_id: int, prev_hash: str) -> dict:
    recorded = local.astimezone(timezone.utc).replace(microsecond=rng.randrange(1_000_000))
    client = recorded - timedelta(milliseconds=rng.randrange(300, 3000))
    if home is None:
        lon, lat = rng.uniform(OFFICE_BOX[0], OFFICE_BOX[2]), rng.uniform(OFFICE_BOX[1], OFFICE_BOX[3])
        where = dict(note="", address="", place_label="MOC-OPS", location_kind="office", site_id=site_id)
    else:
        lat, lon = home[0] + rng.uniform(-0.0002, 0.0002), home[1] + rng.uniform(-0.0002, 0.0002)
        where = dict(note=f"check {direction} WFH", address=home[2], place_label=home[2], location_kind="offsite",
                     site_id=None)
    values = dict(employee_id=employee_id, direction=direction, source="gps", recorded_at=recorded,
                  client_time=client, effective_at=recorded, offline=False, latitude=lat, longitude=lon,
                  accuracy_m=round(rng.uniform(4, 25), 1), is_mock=False, flags=[], verification_required=False,
                  idempotency_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                  request_fingerprint=f"{rng.getrandbits(256):064x}", prev_hash=prev_hash, **where)
    values["content_hash"] = punch_hash(SimpleNamespace(**{f: values.get(f) for f in HASHED_FIELDS}), prev_hash)
    values["flags"] = "[]"
    return values


def _employee_punches(rng: random.Random, employee_id: int, early: bool) -> list[dict]:
    """One employee's punches over the seeded days, chained in time order."""
    home = HOMES[employee_id % len(HOMES)]
    punches, prev = [], GENESIS_HASH
    for _day, start, end in _WORK["early" if early else "default"]:
        roll = rng.random()
        if roll < 0.02:
            continue  # absent
        at_home = home if rng.random() < 0.08 else None
        late = rng.random() < 0.10
        arrive = start + timedelta(minutes=rng.uniform(1, 45) if late else -rng.uniform(5, 50))
        punches.append(_punch(rng, employee_id, "in", arrive, at_home, _WORK["site_id"], prev))
        prev = punches[-1]["content_hash"]
        if roll < 0.04:
            continue  # forgot to punch out
        early_out = rng.random() < 0.04
        leave = end + timedelta(minutes=-rng.uniform(5, 60) if early_out else rng.uniform(0, 75))
        punches.append(_punch(rng, employee_id, "out", leave, at_home, _WORK["site_id"], prev))
        prev = punches[-1]["content_hash"]
    return punches


def _chunk(task: tuple[int, list[tuple[int, bool]]]) -> tuple[bytes, list[tuple[int, int, str]], int]:
    """COPY text for one chunk of employees, their ledger heads (employee, last id, last hash), row count.

    Rows go out in time order across the chunk's employees, as they would arrive in production, so an
    employee's month is spread over many heap pages instead of sitting together (which would flatter reads).
    """
    number, employees = task
    rng = random.Random(number)
    rows = [punch for employee_id, early in employees for punch in _employee_punches(rng, employee_id, early)]
    rows.sort(key=lambda punch: punch["effective_at"])
    heads: dict[int, tuple[int, int, str]] = {}
    lines = []
    for punch_id, punch in enumerate(rows, start=number * IDS_PER_CHUNK + 1):
        punch["id"] = punch_id
        lines.append(_line(punch[c] for c in PUNCH_COLUMNS))
        heads[punch["employee_id"]] = (punch["employee_id"], punch_id, punch["content_hash"])
    return "".join(lines).encode(), list(heads.values()), len(lines)


def copy_punches(conn: psycopg.Connection, org: Org, *, first_day: date, last_day: date, holidays: set[date],
                 site_id: int, processes: int = 2, progress=print) -> int:
    """Generate, hash and COPY every employee's punches and ledger head; returns the number of punches."""
    _WORK.update(site_id=site_id,
                 default=_workdays(first_day, last_day, holidays, time(8, 45), time(16, 30)),
                 early=_workdays(first_day, last_day, holidays, time(7, 30), time(15, 30)))
    if 2 * EMPLOYEES_PER_CHUNK * len(_WORK["default"]) >= IDS_PER_CHUNK:
        raise ValueError("too many days for the id ranges of one chunk; raise IDS_PER_CHUNK")
    unit_of = {e[0]: e[3] for e in org.employees}
    people = [(e[0], unit_of[e[0]] in org.early_units) for e in org.employees]
    # Every chunk takes employees from across the whole id range (n, n + chunks, ...): rows of neighbouring
    # ids must not sit together on disk, or the planner sees employee_id as clustered, which live data is not.
    chunks = -(-len(people) // EMPLOYEES_PER_CHUNK)
    tasks = [(n, people[n::chunks]) for n in range(chunks)]
    total, heads = 0, []
    context = multiprocessing.get_context("fork")  # workers inherit _WORK without pickling it
    with context.Pool(processes) as pool, conn.cursor() as cur:
        with cur.copy(f"COPY punches ({', '.join(PUNCH_COLUMNS)}) FROM STDIN") as copy:
            for done, (text, chunk_heads, count) in enumerate(pool.imap(_chunk, tasks), start=1):
                copy.write(text)
                heads += chunk_heads
                total += count
                if done % 10 == 0 or done == len(tasks):
                    progress(f"  punches: {done}/{len(tasks)} chunks, {total:,} rows")
        with cur.copy("COPY ledger_heads (employee_id, last_punch_id, last_hash) FROM STDIN") as copy:
            copy.write("".join(_line(h) for h in heads))
        cur.execute("SELECT setval(pg_get_serial_sequence('punches', 'id'), (SELECT max(id) FROM punches))")
    return total
