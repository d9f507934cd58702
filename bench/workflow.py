"""Workflow speed: one overtime request (start -> supervisor approves -> finished), in memory and through the service.

Run from the repo root: .venv/bin/python bench/workflow.py [--requests N] [--workers W] [--processes P]
Measured in the same run:
  * bare:    SpiffWorkflow alone - parsed spec object, plain eval/exec script engine;
  * runtime: engine.workflow.runtime on a LoadedSpec (cached per hash, as the host should) with the
             RestrictedPython sandbox and events;
  * blob:    the same, but deserializing the stored spec blob for every request (no spec cache);
  * stored:  runtime plus what the host does per HTTP call - serialize after start, restore,
             approve, serialize again (no database).
  * service: through the engine host on a real database (PostgreSQL by default): submit the request
             (row + instance + inbox + audit + outbox) in one transaction, then the supervisor's approval
             (row lock, restore, complete, save, notifications) in another - what the two HTTP calls do.
             One client, one process.
  * service xW: W threads in one process (a threaded server in one process: one GIL).
  * service PpxW: P worker processes (as production runs: processes = cores), each with its own
             connection pool and W threads, all started together; aggregate requests/s over the wall time
             from the common start to the last finish. The database server runs on the same machine and
             shares its cores.
The service lines do not include HTTP parsing, token checks or JSON serialization (the flows are
called directly, as the blueprints do after validating), but do include loading the caller the way
authentication does, every SQL statement of both operations and both durable (synchronous) commits. Prints requests/s and the ratio of each to bare. Every request must end "approved", or exit 1.

The service half needs a database: `--database-url`, else a scratch database is created on
OPSTA_TEST_PG_ADMIN_URL (as the tests do) and dropped afterwards; `--no-service` skips it.
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

# bench/ itself must not shadow the standard library (bench/calendar.py would hide `calendar`).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.spiff.specs.defaults import UserTask  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine.workflow.parsing import build_spec, load_sources, load_spec, make_parser  # noqa: E402
from engine.workflow.runtime import (  # noqa: E402
    complete_user_task, outcome, ready_user_tasks, restore, serialize, start_workflow)
from engine.workflow.sandbox import SandboxClock, make_script_engine  # noqa: E402

BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"
PROCESS = "overtime_request"
DATA = {"request_id": "OT-1", "request_type": "overtime", "requester_id": 1, "hours": 2,
        "is_weekend_or_holiday": False}


def bare(spec, subprocess_specs, engine) -> str:
    wf = BpmnWorkflow(spec, subprocess_specs, script_engine=engine)
    wf.task_tree.data.update(DATA)
    wf.do_engine_steps()
    task = wf.get_tasks(state=TaskState.READY, spec_class=UserTask)[0]
    task.task_spec.add_data_from_form(task, {"decision": "approve", "comment": None})
    task.run()
    wf.do_engine_steps()
    return wf.data.get("outcome")


def runtime(spec, engine) -> str:
    wf, _ = start_workflow(spec, DATA, script_engine=engine)
    complete_user_task(wf, ready_user_tasks(wf)[0].task_id, {"decision": "approve"})
    return outcome(wf)


def stored(spec, engine) -> str:
    wf, _ = start_workflow(spec, DATA, script_engine=engine)
    _, state = serialize(wf)
    wf = restore(spec, state, script_engine=engine)
    complete_user_task(wf, ready_user_tasks(wf)[0].task_id, {"decision": "approve"})
    serialize(wf)
    return outcome(wf)


class ServiceRun:
    """Submit -> supervisor approves through engine.requests.flows, one session per call like HTTP."""

    def __init__(self, database_url: str, *, seed: bool = True):
        from sqlalchemy import select

        from engine.config import Settings
        from engine.db import make_engine, make_session_factory
        from engine.demo.organisation import seed_demo
        from engine.migrate import upgrade_database
        from engine.models import Employee

        if seed:
            upgrade_database(database_url)
        self.settings = Settings.from_env(environ={}, database_url=database_url)
        self.engine = make_engine(database_url)
        self.factory = make_session_factory(self.engine)
        with self.factory() as session:
            if session.scalar(select(Employee.id).limit(1)) is None:
                seed_demo(session=session, settings=self.settings)
            self.employee_id = session.scalar(select(Employee.id).where(Employee.code == "100059150"))
            self.supervisor_id = session.scalar(select(Employee.id).where(Employee.code == "10151"))
        self.made = itertools.count()  # next() on a count is atomic: threads never get the same number
        with self.factory() as session:  # the next working day: a weekend or holiday would add the director
            from datetime import date, timedelta

            from engine.models import Holiday

            self.day = date.today() + timedelta(days=1)
            while self.day.weekday() >= 5 or session.scalar(select(Holiday.id).where(Holiday.day == self.day)):
                self.day += timedelta(days=1)

    def __call__(self) -> str:
        from datetime import time as clock_time

        from sqlalchemy import select

        from engine.models import ApprovalRequest, InboxTask
        from engine.requests import flows
        from engine.requests.forms import Submitted

        day = self.day
        # Each request asks for other times (the same overtime twice is refused): the start second from this
        # run's counter, the end second from the process, always under 4 hours on a working day,
        # so every one takes the supervisor-only chain.
        made = next(self.made)
        start, end = made % 3600, (os.getpid() + made // 3600 * 7919) % 3600
        times = {"start": clock_time(17, start // 60, start % 60), "end": clock_time(19, end // 60, end % 60)}
        with self.factory() as session:
            request = flows.submit_request(
                session=session, settings=self.settings, requester=self.caller(session, self.employee_id),
                submitted=Submitted("overtime", "bench", {"date": day, **times}))
            request_id = request.id
        with self.factory() as session:
            task_id = session.scalar(select(InboxTask.id).where(InboxTask.request_id == request_id,
                                                                InboxTask.state == "open"))
            task = flows.complete_task(session=session, settings=self.settings,
                                       employee=self.caller(session, self.supervisor_id), task_id=task_id,
                                       decision="approve")
            return session.get(ApprovalRequest, task.request_id).status

    @staticmethod
    def caller(session, employee_id: int):
        """Load the caller as api.auth.principal does for a bearer token: the employee with roles, one query."""
        from sqlalchemy import select
        from sqlalchemy.orm import joinedload

        from engine.models import Employee

        query = select(Employee).options(joinedload(Employee.role_rows)).where(Employee.id == employee_id)
        return session.execute(query).unique().scalar_one()

    def statements_per_request(self) -> int:
        """SQL statements one warm request sends (pings and BEGIN/COMMIT not included)."""
        from sqlalchemy import event

        self()  # the first request of a process also loads the spec and the current version
        sent = []

        def count(*_args):
            sent.append(1)

        event.listen(self.engine, "before_cursor_execute", count)
        try:
            self()
        finally:
            event.remove(self.engine, "before_cursor_execute", count)
        return len(sent)

    def close(self) -> None:
        self.engine.dispose()


def rate(label: str, run, count: int) -> float:
    run()  # warm caches (compiled expressions, imports)
    began = time.perf_counter()
    for _ in range(count):
        if run() != "approved":
            print(f"{label}: a request did not end approved", file=sys.stderr)
            sys.exit(1)
    return count / (time.perf_counter() - began)


def concurrent_rate(label: str, run, count: int, workers: int) -> float:
    """Like `rate`, with `workers` threads each running whole requests, as a threaded server would."""
    from concurrent.futures import ThreadPoolExecutor

    run()
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda _: run(), range(count)))
    elapsed = time.perf_counter() - began
    if any(o != "approved" for o in outcomes):
        print(f"{label}: a request did not end approved", file=sys.stderr)
        sys.exit(1)
    return count / elapsed


def _process_share(url: str, count: int, workers: int, barrier, results) -> None:
    """One worker process: own engine and pool, warm up, wait for the others, run `count` requests."""
    from concurrent.futures import ThreadPoolExecutor

    service = ServiceRun(url, seed=False)
    try:
        service()
        barrier.wait()
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(lambda _: service(), range(count)))
        results.put((began, time.monotonic(), sum(o == "approved" for o in outcomes), count))
    finally:
        service.close()


def multiprocess_rate(url: str, count: int, processes: int, workers: int) -> float:
    """Aggregate requests/s of `processes` worker processes, each with `workers` threads."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # fresh interpreters, as separate server workers are
    barrier, results = context.Barrier(processes), context.Queue()
    shares = [count // processes + (i < count % processes) for i in range(processes)]
    children = [context.Process(target=_process_share, args=(url, share, workers, barrier, results))
                for share in shares]
    for child in children:
        child.start()
    reports = [results.get(timeout=600) for _ in children]
    for child in children:
        child.join()
    if any(approved != total for _, _, approved, total in reports):
        print("service (processes): a request did not end approved", file=sys.stderr)
        sys.exit(1)
    return count / (max(end for _, end, _, _ in reports) - min(began for began, _, _, _ in reports))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="database for the service half (default: scratch PG)")
    parser.add_argument("--no-service", action="store_true", help="skip the through-the-service half")
    parser.add_argument("--workers", type=int, default=8,
                        help="concurrent clients for the 'service xN' line (requests in flight at once)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="worker processes for the 'service PpxW' line (default: cores; 1 skips it)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker process for the 'service PpxW' line")
    args = parser.parse_args()

    sources = load_sources(BPMN_DIR)
    spiff = make_parser(sources)
    spec, subprocess_specs = spiff.get_spec(PROCESS), spiff.get_subprocess_specs(PROCESS)
    blob = build_spec(sources, PROCESS).blob
    loaded = load_spec(blob)
    sandbox = make_script_engine()
    # Plain eval/exec, only the one helper the reminder timer needs.
    unrestricted = PythonScriptEngine(TaskDataEnvironment({"working_days_after": SandboxClock().working_days_after}))

    results = {
        "bare": rate("bare", lambda: bare(spec, subprocess_specs, unrestricted), args.requests),
        "runtime": rate("runtime", lambda: runtime(loaded, sandbox), args.requests),
        "blob": rate("blob", lambda: runtime(blob, sandbox), args.requests),
        "stored": rate("stored", lambda: stored(loaded, sandbox), args.requests),
    }
    scratch = None
    if not args.no_service:
        url = args.database_url
        if url is None:
            from tests.support.database import ScratchDatabase

            scratch = ScratchDatabase()
            url = scratch.create()
        service = ServiceRun(url)
        try:
            statements = service.statements_per_request()
            results["service"] = rate("service", service, args.requests)
            if args.workers > 1:
                results[f"service x{args.workers}"] = concurrent_rate("service", service, args.requests, args.workers)
            if args.processes > 1:
                results[f"service {args.processes}px{args.threads}"] = multiprocess_rate(
                    url, args.requests, args.processes, args.threads)
        finally:
            service.close()
            if scratch is not None:
                scratch.drop()
    base = results["bare"]
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"{args.requests} overtime requests each (start -> approve -> finished); {os.cpu_count()} cores, "
          f"load average {load}")
    for label, value in results.items():
        print(f"  {label:11s} {value:8.1f} requests/s   x{value / base:.3f} of bare")
    if "service" in results:
        print(f"SQL statements per request: {statements} (including what the bench does for the client: loading "
              f"the caller and their roles for each call, and finding the task id)")
        best = max(v for k, v in results.items() if k.startswith("service"))
        target = "meets" if best >= 100 else "MISSES"
        best_label = max((k for k in results if k.startswith("service")), key=results.get)
        print(f"service/bare ratio {results['service'] / base:.3f} (one client), {best / base:.3f} "
              f"(best: {best_label}); {target} the 100 requests/s target")


if __name__ == "__main__":
    main()
