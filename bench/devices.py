"""ATTLOG ingestion throughput over real HTTP, as ZKTeco terminals push it (batches of 100 lines).

Baseline, measured in the same run: an in-process WSGI server that only decodes and parses the
body (no database). The ratio target/baseline shows what the real app costs on top of HTTP+parsing.

Without --url the bench starts the real app itself: a scratch database (PostgreSQL when the test
server answers, else SQLite; `OPSTA_TEST_DATABASE` / `OPSTA_TEST_PG_ADMIN_URL` as in the tests),
migrated, with the bench employees (codes 1000, 1001, …) and registered devices, served by gunicorn.
Every line is checked to be on the ledger afterwards.

    .venv/bin/python bench/devices.py                         # starts the app (gunicorn) itself
    .venv/bin/python bench/devices.py --devices 4 --workers 4 # four terminals pushing at once
    .venv/bin/python bench/devices.py --url http://127.0.0.1:8000 --sn BENCH01 --lines 20000
"""
from __future__ import annotations

import argparse
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where sibling benches (calendar.py…) would
# shadow standard modules; the repository root takes its place.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import requests  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from devices.attlog import parse_attlog  # noqa: E402
from devices.replies import HandshakeSettings, handshake_reply  # noqa: E402
from devices.simulator import SimulatedDevice  # noqa: E402
from devices.wire import decode_body  # noqa: E402


def parsing_only_app(environ, start_response):
    """The floor: answer like an iclock server after decoding and parsing, storing nothing."""
    request = Request(environ)
    if request.args.get("options") == "all":
        reply = handshake_reply(sn=request.args.get("SN", ""), settings=HandshakeSettings())
    else:
        if request.args.get("table") == "ATTLOG":
            parse_attlog(decode_body(request.get_data()))
        reply = "OK"
    return Response(reply, content_type="text/plain")(environ, start_response)


WARMUP_SN = "BENCH-WARMUP"


class ServedApp:
    """The real app under gunicorn on a scratch database, with bench employees and registered devices."""

    def __init__(self, *, sns: list[str], pins: int, workers: int):
        self.sns, self.pins, self.workers = sns, pins, workers
        self.url = ""
        self.backend = ""
        self._scratch = None
        self._process = None

    def _create_database(self) -> str:
        from tests.support.database import ScratchDatabase

        try:
            self._scratch = ScratchDatabase()
            url = self._scratch.create()
        except Exception as error:  # no PostgreSQL here: SQLite still measures the whole path
            print(f"PostgreSQL unavailable ({error.__class__.__name__}); using SQLite")
            os.environ["OPSTA_TEST_DATABASE"] = "sqlite"
            self._scratch = ScratchDatabase()
            url = self._scratch.create()
        self.backend = self._scratch.kind
        return url

    def _seed(self, database_url: str) -> None:
        from engine.db import make_engine, make_session_factory
        from engine.terminals.registry import create_device
        from sqlalchemy import select

        from engine.models import DeviceEnrollment, Employee, OrgUnit

        engine = make_engine(database_url)
        with make_session_factory(engine)() as session:
            unit = OrgUnit(code="BENCH", name_th="หน่วยทดสอบ", name_en="Bench")
            session.add(unit)
            session.flush()
            session.add_all(Employee(code=str(1000 + i), name_th=f"พนักงาน {i}", name_en=f"Bench {i}",
                                     unit_id=unit.id) for i in range(self.pins * len(self.sns)))
            session.commit()
            employee_ids = list(session.scalars(select(Employee.id)))
            for sn in [*self.sns, WARMUP_SN]:
                # Terminals call from loopback, and every bench employee is on every terminal (issue 11).
                device = create_device(session=session, sn=sn, name=f"BENCH-{sn}", allowed_networks=["127.0.0.0/8"])
                session.add_all(DeviceEnrollment(device_id=device.id, employee_id=employee_id, state="enrolled")
                                for employee_id in employee_ids)
                session.commit()
        engine.dispose()

    def __enter__(self) -> "ServedApp":
        try:
            return self._start()
        except BaseException:
            self.__exit__()  # never leave a scratch database or a gunicorn behind
            raise

    def _start(self) -> "ServedApp":
        from engine.migrate import upgrade_database

        self.database_url = self._create_database()
        upgrade_database(self.database_url)
        self._seed(self.database_url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        workers = self.workers if self.backend != "sqlite" else 1  # SQLite has one writer anyway
        env = {**os.environ, "OPSTA_DATABASE_URL": self.database_url, "OPSTA_BROKER_URL": "memory://",
               "OPSTA_SECRET_KEY": secrets.token_hex(32)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "api.wsgi:app"],
            cwd=Path(__file__).resolve().parent.parent, env=env)
        self.url = f"http://127.0.0.1:{port}"
        self._wait_ready()
        # Each worker compiles its SQL and fills its caches on its first requests; measure the steady state.
        push_lines(url=self.url, sn=WARMUP_SN, lines=workers * 5 * 100, batch=100, pins=self.pins,
                   start=datetime(2000, 1, 1), handshake=True)
        print(f"app: gunicorn, {workers} worker(s), {self.backend}, warmed up")
        return self

    def _wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("gunicorn exited while starting")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("the app did not become ready")

    def worker_cpu_seconds(self) -> float:
        """User + system CPU the gunicorn workers have used so far (Linux /proc; 0 elsewhere)."""
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total = 0.0
        try:
            children = Path(f"/proc/{self._process.pid}/task/{self._process.pid}/children").read_text().split()
            for pid in children:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        except (OSError, IndexError, ValueError):
            return 0.0
        return total

    def stored_punches(self) -> int:
        from sqlalchemy import func, select

        from engine.db import make_engine
        from engine.models import Device, Punch

        engine = make_engine(self.database_url)
        with engine.connect() as connection:
            count = connection.scalar(select(func.count(Punch.id)).join(Device, Device.id == Punch.device_id)
                                      .where(Device.sn.in_(self.sns)))
        engine.dispose()
        return count or 0

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
        if self._scratch is not None:
            self._scratch.drop()


def push_lines(*, url: str, sn: str, lines: int, batch: int, pins: int, start: datetime,
               handshake: bool, first_pin: int = 1000) -> float:
    """Push `lines` punches from one device in batches; return elapsed seconds of the uploads."""
    device = SimulatedDevice(base_url=url, sn=sn, upload_tries=3)
    if handshake:
        device.handshake()
    elapsed = 0.0
    for first in range(0, lines, batch):
        for index in range(first, min(first + batch, lines)):
            # Distinct (pin, second) pairs so idempotent servers store every line.
            device.punch(pin=str(first_pin + index % pins), state=(index // pins) % 2,
                         at=start + timedelta(seconds=index // pins))
        began = time.perf_counter()
        device.upload_punches()
        elapsed += time.perf_counter() - began
    return elapsed


def measure(*, url: str, sns: list[str], lines: int, batch: int, pins: int, start: datetime,
            handshake: bool) -> float:
    """Lines per second over all devices pushing concurrently (wall clock)."""
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sns)) as pool:
        # Each terminal has its own people (an office each), as with terminals at several sites.
        futures = [pool.submit(push_lines, url=url, sn=sn, lines=lines, batch=batch, pins=pins,
                               start=start, handshake=handshake, first_pin=1000 + number * pins)
                   for number, sn in enumerate(sns)]
        for future in futures:
            future.result()
    return lines * len(sns) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running OPS-TA server (its devices and employees registered); "
                                      "omit to start the app under gunicorn on a scratch database")
    parser.add_argument("--sn", default="BENCH01", help="serial number (suffixed -1, -2… with --devices > 1)")
    parser.add_argument("--devices", type=int, default=1, help="devices pushing concurrently")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers when the bench starts the app")
    parser.add_argument("--lines", type=int, default=5000, help="ATTLOG lines per device")
    parser.add_argument("--batch", type=int, default=100, help="lines per POST")
    parser.add_argument("--pins", type=int, default=50, help="distinct PINs per device (1000, 1001, …; the next device continues)")
    parser.add_argument("--start", default=None,
                        help="device-local time of the first punch, 'YYYY-MM-DD HH:MM:SS' (default: now - 30 days)")
    parser.add_argument("--no-handshake", action="store_true", help="skip the handshake before pushing")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per POST drowns the result

    start = (datetime.strptime(args.start, "%Y-%m-%d %H:%M:%S") if args.start
             else datetime.now().replace(microsecond=0) - timedelta(days=30))
    sns = [args.sn] if args.devices == 1 else [f"{args.sn}-{i}" for i in range(1, args.devices + 1)]
    common = dict(sns=sns, lines=args.lines, batch=args.batch, pins=args.pins, start=start,
                  handshake=not args.no_handshake)

    server = make_server("127.0.0.1", 0, parsing_only_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        baseline = measure(url=f"http://127.0.0.1:{server.server_port}", **common)
    finally:
        server.shutdown()
    print(f"baseline (HTTP + decode + parse, no DB): {baseline:,.0f} lines/s "
          f"({len(sns)} device(s) × {args.lines} lines, batches of {args.batch})")
    if args.url:
        target = measure(url=args.url, **common)
        print(f"target {args.url}: {target:,.0f} lines/s")
        print(f"ratio target/baseline: {target / baseline:.3f}")
        return
    with ServedApp(sns=sns, pins=args.pins, workers=args.workers) as app:
        cpu_before = app.worker_cpu_seconds()
        target = measure(url=app.url, **common)
        cpu_used = app.worker_cpu_seconds() - cpu_before
        stored = app.stored_punches()
        resent = measure(url=app.url, **common)  # the same batches again: all duplicates, nothing stored
        stored_after_resend = app.stored_punches()
        backend = app.backend
    expected = args.lines * len(sns)
    print(f"app end to end (HTTP + parse + ledger + commit): {target:,.0f} lines/s; "
          f"stored {stored}/{expected}")
    print(f"app, the same batches resent (all duplicates): {resent:,.0f} lines/s; "
          f"stored after resend {stored_after_resend}/{expected}")
    print(f"ratio app/baseline: {target / baseline:.3f}")
    if cpu_used:
        # On a shared machine lines/s moves with the load; the app's own CPU per batch does not.
        per_batch_ms = cpu_used / (expected / args.batch) * 1000
        not_counted = ", PostgreSQL's own CPU not counted" if backend == "postgresql" else ""
        print(f"app workers' CPU: {per_batch_ms:.1f} ms per {args.batch}-line batch "
              f"(≈ {expected / cpu_used:,.0f} lines/s per free core{not_counted}); "
              f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    if stored != expected or stored_after_resend != expected:
        raise SystemExit("stored punch count is wrong")


if __name__ == "__main__":
    main()
