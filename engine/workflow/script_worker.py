"""A warm worker process that runs analysts' scripts and expressions under the sandbox, bounded.

`engine.workflow.script_pool` starts it as `python -m engine.workflow.script_worker MEMORY_MB`.
Its address space is capped (RLIMIT_AS), so `10**10**10` or a huge list ends as MemoryError;
the parent kills it at the deadline, so `while True: pass` ends too. It speaks length-prefixed
pickles over stdin/stdout:

  parent → worker  {"op": "eval" | "exec", "source", "context", "now", "timezone"}
  worker → parent  ("ready",) once; then per request ("call", name, args)* and one of
                   ("ok", value) · ("fail", "limit" | "error", exception type, message, line)
  parent → worker  ("ret", value) · ("raise", exception type, message) after each "call"

After a limit failure the worker exits: the parent starts a fresh one.
"""
from __future__ import annotations

import os
import pickle
import resource
import sys
import threading
import time
import traceback

MAX_REPLY_BYTES = 4_000_000  # task data is ids and decisions; a reply this big is a script gone wrong


def read_frame(stream) -> object | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    size = int.from_bytes(header, "big")
    return pickle.loads(stream.read(size))


def write_frame(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > MAX_REPLY_BYTES:
        data = pickle.dumps(("fail", "limit", "MemoryError",
                             f"the result is larger than {MAX_REPLY_BYTES} bytes", None))
    stream.write(len(data).to_bytes(4, "big") + data)
    stream.flush()


def _orphan_watch(parent: int) -> None:
    # A worker whose app process died without closing its pipe must not spin on forever.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _script_line(exc: BaseException) -> int | None:
    if isinstance(exc, SyntaxError):
        return exc.lineno
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.startswith("<")]
    return frames[-1].lineno if frames else None


def main() -> None:
    memory_mb = int(sys.argv[1])
    from engine.workflow.sandbox import SandboxClock, run_restricted

    requests_in, replies_out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames goes down the reply pipe
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    write_frame(replies_out, ("ready",))

    def ask_parent(name: str, *args):
        write_frame(replies_out, ("call", name, args))
        answer = read_frame(requests_in)
        if answer is None:
            os._exit(0)
        if answer[0] == "raise":
            raise ValueError(answer[2])
        return answer[1]

    while True:
        request = read_frame(requests_in)
        if request is None:
            return
        now = request["now"]
        clock = SandboxClock(now=lambda: now, timezone=request["timezone"])
        helpers = {"working_days_after": lambda days, start=None: ask_parent("working_days_after", days, start)}
        try:
            value = run_restricted(request["op"], request["source"], request["context"], clock=clock,
                                   helpers=helpers)
            write_frame(replies_out, ("ok", value))
        except MemoryError:
            request = None  # let go of what the script built before answering
            write_frame(replies_out, ("fail", "limit", "MemoryError", f"it used more than {memory_mb} MB", None))
            return
        except RecursionError as exc:
            write_frame(replies_out, ("fail", "limit", "RecursionError", str(exc), None))
            return
        except Exception as exc:  # noqa: BLE001 - every failure of the analyst's code goes back to the host
            try:
                write_frame(replies_out, ("fail", "error", type(exc).__name__, str(exc), _script_line(exc)))
            except MemoryError:
                return


if __name__ == "__main__":
    main()
