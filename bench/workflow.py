"""Workflow core speed: one overtime request (start -> supervisor approves -> finished), in memory.

Run from the repo root: .venv/bin/python bench/workflow.py [--requests N]
Three ways, measured in the same run:
  * bare:    SpiffWorkflow alone - parsed spec object, plain eval/exec script engine;
  * runtime: engine.workflow.runtime on a LoadedSpec (cached per hash, as the host should) with the
             RestrictedPython sandbox and events;
  * blob:    the same, but deserializing the stored spec blob for every request (no spec cache);
  * stored:  runtime plus what the host does per HTTP call - serialize after start, restore,
             approve, serialize again (no database).
Prints requests/s and the ratio of each to bare. Every request must end "approved", or exit 1.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

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


def rate(label: str, run, count: int) -> float:
    run()  # warm caches (compiled expressions, imports)
    began = time.perf_counter()
    for _ in range(count):
        if run() != "approved":
            print(f"{label}: a request did not end approved", file=sys.stderr)
            sys.exit(1)
    return count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
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
    base = results["bare"]
    print(f"{args.requests} overtime requests each (start -> approve -> finished)")
    for label, value in results.items():
        print(f"  {label:8s} {value:8.1f} requests/s   x{value / base:.2f} of bare")


if __name__ == "__main__":
    main()
