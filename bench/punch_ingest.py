"""Phone punch ingestion over real HTTP: POST /api/punches against a bare insert endpoint, same run.

Run from the repo root:  .venv/bin/python bench/punch_ingest.py [--employees 200] [--connections 32]
                                                               [--seconds 10] [--rounds 5]
                                                               [--workers 2] [--threads 8]
What it does:
  * creates a scratch PostgreSQL database (127.0.0.1:5432, like the tests), runs the migrations, seeds the
    demo org plus `--employees` extra people with local accounts, and the MOC-OPS site;
  * starts the real app (`api.wsgi:app`, settings from OPSTA_* variables) and the bare Flask + SQLAlchemy
    insert app (bench/bare_insert_app.py) under the same gunicorn settings (gthread workers) and the
    same connection pool (one connection per thread);
  * signs every employee in through POST /api/auth/token;
  * drives both with `--connections` keep-alive clients (asyncio, raw HTTP/1.1), alternating bare and
    real for `--rounds` rounds of `--seconds` each after a warm-up. Each client owns its own employees,
    like phones do, sends a fresh Idempotency-Key per punch and a realistic body: ~65 % inside the
    geofence, ~10 % just outside it within GPS accuracy, ~22 % off-site ("check in WFH" with the phone's
    address), ~3 % low accuracy, ~1 % mock location;
  * prints punches/s, p50/p99 latency for both, the ratio (the median of the rounds' ratios: each round
    measures both apps back to back), the client's own CPU use, and CPU ms per
    request of the client, the gunicorn processes and PostgreSQL (read from /proc over the measured window);
  * checks: every timed reply was 201, a retry with a used key returns 200 and the same punch, and
    `verify_chains` finds every ledger chain intact. Exits 1 when a check fails.
Everything it started is stopped and the scratch database dropped, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Replace the script's own folder (sys.path[0]) by the repo root: bench/calendar.py would shadow the stdlib.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import requests  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.bare_insert_app import BareBase  # noqa: E402
from bench.gunicorn_server import GunicornServer, cpu_seconds, processes_named  # noqa: E402
from bench.http_load import LoadResult, drive  # noqa: E402
from engine.accounts.service import hash_password  # noqa: E402
from engine.attendance.ledger_audit import verify_chains  # noqa: E402
from engine.config import Settings  # noqa: E402
from engine.db import make_engine, make_session_factory  # noqa: E402
from engine.demo.organisation import seed_demo  # noqa: E402
from engine.migrate import upgrade_database  # noqa: E402
from engine.models import Employee, LocalAccount, OrgUnit, Punch  # noqa: E402
from engine.sites.service import create_site  # noqa: E402
from geo import load_demo_site_geojson  # noqa: E402
from tests.support.database import ScratchDatabase  # noqa: E402

SECRET_KEY = "bench-secret-key-0123456789abcdef"
PASSWORD = "bench-password"
BANGKOK = timezone(timedelta(hours=7))
# Inside the MOC-OPS outline (geo/data/moc_ops.geojson), and a strip ~15-25 m east of its east edge.
OFFICE_BOX = (100.51145, 13.86075, 100.51355, 13.86325)
EAST_EDGE_LON = 100.51368
WFH_PLACES = (
    (13.6960, 100.4880, "แขวงบางขุนเทียน เขตจอมทอง กรุงเทพมหานคร"),
    (13.8890, 100.5670, "ตำบลบางตลาด อำเภอปากเกร็ด นนทบุรี"),
    (13.7563, 100.5018, "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร"),
    (14.0208, 100.5250, "ตำบลคลองหนึ่ง อำเภอคลองหลวง ปทุมธานี"),
)


def seed(database_url: str, settings: Settings, extra_employees: int) -> list[str]:
    """The demo org, `extra_employees` more in the ICT unit, the MOC-OPS site; returns the usernames."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        seed_demo(session=session, settings=settings, attendance=False)
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "ICT"))
        supervisor = session.scalar(select(Employee).where(Employee.code == "10151"))
        # One argon2 hash shared by every bench account: hashing 200 passwords would only slow the seeding.
        shared_hash = hash_password(PASSWORD)
        for n in range(extra_employees):
            employee = Employee(code=f"9{n:07d}", name_th=f"พนักงานทดสอบ {n}", name_en=f"Bench Employee {n}",
                                email=f"bench{n}@ops-bench.example", unit_id=unit.id, supervisor_id=supervisor.id)
            session.add(employee)
            session.flush()
            session.add(LocalAccount(employee_id=employee.id, username=f"bench{n}", password_hash=shared_hash))
        feature = load_demo_site_geojson()
        create_site(session=session, name=feature["properties"]["name"], geometry=feature["geometry"],
                    tolerance_m=feature["properties"].get("tolerance_m"))
        session.commit()
    BareBase.metadata.create_all(engine)
    engine.dispose()
    return [f"bench{n}" for n in range(extra_employees)]


def sign_in(url: str, usernames: list[str]) -> list[str]:
    """A bearer token per username, through POST /api/auth/token (argon2 checks run on the server)."""
    def token(username: str) -> str:
        reply = requests.post(f"{url}/api/auth/token", json={"username": username, "password": PASSWORD}, timeout=60)
        reply.raise_for_status()
        return reply.json()["access_token"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(token, usernames))


def punch_body(rng: random.Random, direction: str) -> dict:
    """A phone's punch: mostly in the office, some just outside within accuracy, some from home."""
    roll = rng.random()
    body: dict = {"direction": direction, "accuracy_m": round(rng.uniform(4, 25), 1),
                  "client_time": datetime.now(BANGKOK).isoformat(timespec="seconds"), "is_mock": roll < 0.01}
    if roll < 0.65:
        body["longitude"] = rng.uniform(OFFICE_BOX[0], OFFICE_BOX[2])
        body["latitude"] = rng.uniform(OFFICE_BOX[1], OFFICE_BOX[3])
    elif roll < 0.75:
        body["longitude"] = EAST_EDGE_LON + rng.uniform(0.00014, 0.00023)
        body["latitude"] = rng.uniform(13.8608, 13.8628)
        body["accuracy_m"] = 30.0
    else:
        lat, lon, address = rng.choice(WFH_PLACES)
        body.update(latitude=lat + rng.uniform(-0.003, 0.003), longitude=lon + rng.uniform(-0.003, 0.003),
                    address=address, note=f"check {direction} WFH")
        if roll > 0.97:
            body["accuracy_m"] = round(rng.uniform(150, 400), 1)
    return body


class PhoneFleet:
    """Makes the requests: connection n plays the phones of employees n, n+C, n+2C, ... in turn."""

    def __init__(self, tokens: list[str], connections: int, path: str) -> None:
        self.path = path
        self.phones = [tokens[n::connections] for n in range(connections)]
        self.rngs = [random.Random(n) for n in range(connections)]
        self.sent: list[tuple[str, str, bytes]] = []  # (token, key, body) of a few punches, for the retry check

    def __call__(self, connection: int, number: int):
        phones = self.phones[connection]
        token = phones[number % len(phones)]
        direction = "in" if (number // len(phones)) % 2 == 0 else "out"
        body = json.dumps(punch_body(self.rngs[connection], direction), ensure_ascii=False).encode()
        key = str(uuid.uuid4())
        if len(self.sent) < 3:
            self.sent.append((token, key, body))
        return "POST", self.path, {"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                                   "Content-Type": "application/json"}, body


def merged(results: list[LoadResult]) -> LoadResult:
    total = LoadResult(seconds=sum(r.seconds for r in results))
    for r in results:
        total.latencies_ms += r.latencies_ms
        total.statuses += r.statuses
        total.client_cpu_s += r.client_cpu_s
        for name, spent in r.probe_cpu_s.items():
            total.probe_cpu_s[name] = total.probe_cpu_s.get(name, 0.0) + spent
    return total


def run_rounds(*, targets: dict[str, tuple[GunicornServer, list[str]]], connections: int, warmup_s: float, seconds: float,
               rounds: int) -> tuple[dict[str, list[LoadResult]], list[str]]:
    """Alternate the targets (bare first in odd rounds, real first in even ones) so drift hits both alike."""
    results: dict[str, list[LoadResult]] = {name: [] for name in targets}
    failures: list[str] = []
    names = list(targets)
    for round_number in range(rounds):
        for name in names if round_number % 2 == 0 else reversed(names):
            server, tokens = targets[name]
            fleet = PhoneFleet(tokens, connections, "/bare/punches" if name == "bare" else "/api/punches")
            # Listed when read (after the warm-up), so the backends the app opened while warming up count.
            result, errors = drive(server.url, fleet, connections=connections, warmup_s=warmup_s, seconds=seconds,
                                   probes={"app": lambda: cpu_seconds(server.pids()),
                                           "postgres": lambda: cpu_seconds(processes_named("postgres"))})
            failures += [f"{name}: {e}" for e in errors]
            results[name].append(result)
            print(f"  round {round_number + 1} {name:>7}: {result.per_second:7.0f} /s  "
                  f"p50 {result.percentile_ms(50):6.1f} ms  p99 {result.percentile_ms(99):6.1f} ms  "
                  f"statuses {dict(result.statuses)}", flush=True)
    return results, failures


def retry_returns_same_punch(url: str, fleet_token: str) -> bool:
    body = punch_body(random.Random(7), "in")
    headers = {"Authorization": f"Bearer {fleet_token}", "Idempotency-Key": str(uuid.uuid4())}
    first = requests.post(f"{url}/api/punches", json=body, headers=headers, timeout=30)
    again = requests.post(f"{url}/api/punches", json=body, headers=headers, timeout=30)
    return first.status_code == 201 and again.status_code == 200 and first.json()["id"] == again.json()["id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=200, help="distinct punchers (default 200)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive clients (default 32)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per round and target")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each measuring both apps back to back")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gthread worker (default 8)")
    args = parser.parse_args()
    if args.employees < args.connections:
        parser.error("--employees must be at least --connections (every client needs its own phones)")

    scratch = ScratchDatabase()
    database_url = scratch.create()
    servers: list[GunicornServer] = []
    try:
        upgrade_database(database_url)
        settings = Settings.from_env(environ={}, database_url=database_url, secret_key=SECRET_KEY,
                                     local_login="true", broker_url="memory://")
        started = time.perf_counter()
        usernames = seed(database_url, settings, args.employees)
        print(f"seeded {len(usernames)} employees + the demo org and MOC-OPS in {time.perf_counter() - started:.1f} s")
        pool = {"OPSTA_DATABASE_POOL_SIZE": str(args.threads)}
        app_env = {"OPSTA_DATABASE_URL": database_url, "OPSTA_SECRET_KEY": SECRET_KEY, "OPSTA_LOCAL_LOGIN": "true",
                   "OPSTA_BROKER_URL": "memory://", "OPSTA_GEOCODER_URL": "",
                   # The benchmark measures the JSON punch (no selfie, no face model).
                   "OPSTA_PHONE_PUNCH_SELFIE": "optional", **pool}
        real = GunicornServer("api.wsgi:app", env=app_env, workers=args.workers, threads=args.threads)
        servers.append(real.start())
        bare = GunicornServer("bench.bare_insert_app:app", env={"BENCH_DATABASE_URL": database_url, **pool},
                              workers=args.workers, threads=args.threads)
        servers.append(bare.start())
        print("load average before the run: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
        print(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread) for each app; "
              f"{args.connections} client connections; {args.rounds} rounds x {args.seconds:.0f} s "
              f"(+{args.warmup:.0f} s warm-up)")
        started = time.perf_counter()
        tokens = sign_in(real.url, usernames)
        print(f"signed in {len(tokens)} employees via POST /api/auth/token in {time.perf_counter() - started:.1f} s")

        rounds, failures = run_rounds(targets={"bare": (bare, tokens), "punches": (real, tokens)},
                                       connections=args.connections, warmup_s=args.warmup,
                                       seconds=args.seconds, rounds=args.rounds)
        retry_ok = retry_returns_same_punch(real.url, tokens[0])
        for server in servers:
            server.stop()

        engine = make_engine(database_url)
        with make_session_factory(engine)() as session:
            stored = session.scalar(select(func.count(Punch.id)))
            audit = verify_chains(session=session)
            checked, broken = audit.punches, audit.broken
        engine.dispose()

        bare_r, real_r = merged(rounds["bare"]), merged(rounds["punches"])
        # Each round measures both apps back to back, so a round's ratio sees one state of this shared
        # machine; the median of the rounds' ratios shrugs off a round that a neighbour slowed down.
        ratios = [real.per_second / bare.per_second for bare, real in zip(rounds["bare"], rounds["punches"])
                  if bare.per_second]
        ratio = statistics.median(ratios) if ratios else float("nan")
        print()
        print(f"{'':24}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'client CPU':>12}"
              f"   CPU ms per request: client / app / postgres")
        for name, r in (("bare insert (Flask+SA)", bare_r), ("POST /api/punches", real_r)):
            per = {k: v / r.completed * 1000 for k, v in r.probe_cpu_s.items()} if r.completed else {}
            print(f"{name:24}{r.per_second:7.0f}{r.percentile_ms(50):8.1f}{r.percentile_ms(99):8.1f}"
                  f"{r.client_cpu_share:11.0%}   {r.client_cpu_s / max(r.completed, 1) * 1000:5.2f} / "
                  f"{per.get('app', 0):5.2f} / {per.get('postgres', 0):5.2f}")
        print(f"ratio punches / bare: {ratio:.0%} (median of the rounds: {', '.join(f'{r:.0%}' for r in ratios)})"
              f"   targets: >= 60 % of bare, >= 500 punches/s")
        print("client CPU = the load generator's CPU time over wall time (100 % = one of the 2 cores); "
              "postgres CPU counts every postgres process on the host, other users' too")
        print(f"stored punches: {stored}; ledger chains verified: {checked} punches, {len(broken)} broken")
        print(f"retry with the same Idempotency-Key returns 200 and the same punch: {'yes' if retry_ok else 'NO'}")

        bad = [s for s in (*bare_r.statuses, *real_r.statuses) if s >= 300]
        if failures or bad or broken or not retry_ok:
            print("CHECK FAILED:", *failures[:5], *(str(b) for b in broken[:5]), sep="\n  ")
            return 1
        return 0
    finally:
        for server in servers:
            server.stop()
        scratch.drop()


if __name__ == "__main__":
    sys.exit(main())
