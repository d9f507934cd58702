"""What bounding analysts' scripts costs a normal request: warm worker processes vs running them in-process.

Run from the repo root: .venv/bin/python bench/script_limits.py [--requests N] [--rounds R] [--no-service]
Measured in the same run, alternating round by round so both sides see the same machine load:
  * runtime: one overtime request (start -> supervisor approves -> finished) on the shipped bpmn/
    processes in memory (engine.workflow.runtime, DMN chain, gateways, script tasks, timer
    expressions), with every expression and script in a warm worker under the limits (bounded) vs
    RestrictedPython in this process with no limit (unbounded: what ran before issue 11);
  * service: the same request through engine.requests.flows on PostgreSQL (submit, then approve, each
    in its own transaction), bounded vs unbounded.
Prints requests/s per side, the median of the rounds' bounded/unbounded ratios, and how many
evaluations one request sends to a worker. The service half needs a database: `--database-url`, else
a scratch database on OPSTA_TEST_PG_ADMIN_URL is created and dropped.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import engine.workflow.clock as workflow_clock  # noqa: E402
from engine.workflow.parsing import build_spec, load_sources, load_spec  # noqa: E402
from engine.workflow.runtime import complete_user_task, outcome, ready_user_tasks, start_workflow  # noqa: E402
from engine.workflow.sandbox import make_script_engine  # noqa: E402
from engine.workflow.script_pool import ScriptLimits, ScriptPool  # noqa: E402

BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"
PROCESS = "overtime_request"
DATA = {"request_id": "OT-1", "request_type": "overtime", "requester_id": 1, "hours": 2,
        "is_weekend_or_holiday": False}


def _service_run():
    spec = importlib.util.spec_from_file_location("bench_workflow", Path(__file__).with_name("workflow.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ServiceRun


def in_memory(spec, engine) -> str:
    wf, _ = start_workflow(spec, DATA, script_engine=engine)
    complete_user_task(wf, ready_user_tasks(wf)[0].task_id, {"decision": "approve"})
    return outcome(wf)


def timed(run, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        if run() != "approved":
            sys.exit("a request did not end approved")
    return count / (time.perf_counter() - started)


class Unbounded:
    """Swap the host's script engines for in-process, unlimited ones (the baseline) while active."""

    original = staticmethod(workflow_clock.make_script_engine)

    def __enter__(self):
        workflow_clock.make_script_engine = partial(self.original, bounded=False)

    def __exit__(self, *exc):
        workflow_clock.make_script_engine = self.original


def evaluations_per_request(spec, engine) -> int:
    sent = []
    original = ScriptPool.run

    def counting(self, *args, **kwargs):
        sent.append(1)
        return original(self, *args, **kwargs)

    ScriptPool.run = counting
    try:
        in_memory(spec, engine)
    finally:
        ScriptPool.run = original
    return len(sent)


def per_evaluation_us(engine, count: int = 2000) -> float:
    """Mean microseconds of one DMN-cell-sized expression on a request's task data."""
    environment, context = engine.environment, {**DATA, "dmninputexpr": 2}
    started = time.perf_counter()
    for _ in range(count):
        environment.evaluate("dmninputexpr > 4", context)
    return (time.perf_counter() - started) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per side per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--no-service", action="store_true")
    args = parser.parse_args()

    loaded = load_spec(build_spec(load_sources(BPMN_DIR), PROCESS).blob)
    limits = ScriptLimits()
    bounded, unbounded = make_script_engine(limits=limits), make_script_engine(limits=limits, bounded=False)
    in_memory(loaded, bounded)  # start the warm workers before measuring
    sides = {"runtime": (partial(in_memory, loaded, bounded), partial(in_memory, loaded, unbounded))}

    scratch = service = None
    if not args.no_service:
        url = args.database_url
        if url is None:
            from tests.support.database import ScratchDatabase

            scratch = ScratchDatabase()
            url = scratch.create()
        service = _service_run()(url)
        service()

        def unbounded_service():
            with Unbounded():
                return service()

        sides["service"] = (service, unbounded_service)
    try:
        rates = {name: ([], []) for name in sides}
        for _ in range(args.rounds):
            for name, (with_limits, without) in sides.items():
                count = args.requests if name == "runtime" else max(20, args.requests // 4)
                rates[name][0].append(timed(with_limits, count))
                rates[name][1].append(timed(without, count))
    finally:
        if service is not None:
            service.close()
        if scratch is not None:
            scratch.drop()

    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"{args.rounds} rounds; {os.cpu_count()} cores, load average {load}; limits {limits}")
    evaluations = evaluations_per_request(loaded, bounded)
    with_worker, in_process = per_evaluation_us(bounded), per_evaluation_us(unbounded)
    print(f"evaluations sent to a worker per request: {evaluations}; one evaluation {with_worker:.0f} µs in a worker "
          f"vs {in_process:.0f} µs in-process, so about {evaluations * (with_worker - in_process) / 1000:.2f} ms "
          f"added per request")
    for name, (with_limits, without) in rates.items():
        ratios = [a / b for a, b in zip(with_limits, without)]
        print(f"  {name:8s} bounded {statistics.median(with_limits):8.1f} req/s   unbounded "
              f"{statistics.median(without):8.1f} req/s   bounded/unbounded median x{statistics.median(ratios):.3f} "
              f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})")


if __name__ == "__main__":
    main()
