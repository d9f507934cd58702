"""Warm worker processes that run analysts' scripts under a time and a memory limit.

A published script such as `while True: pass` or `10**10**10` must not hang a request thread with
an open transaction, get a gunicorn worker killed, or stall the scheduler while it holds an instance
lock. So no analyst's code runs in the app's process: each evaluation goes to a worker
(`script_worker`) whose address space is capped, and a worker that misses the deadline is killed
and replaced. Workers stay warm between evaluations; each process keeps at most `workers` of them,
and a thread waits for a free one.
"""
from __future__ import annotations

import atexit
import builtins
import io
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from engine.config import PROJECT_ROOT, Settings

STARTUP_TIMEOUT_S = 60.0  # a cold interpreter on a loaded machine; not the script's time
WAIT_FOR_WORKER_S = 60.0
MAX_WORKING_DAYS = 366


@dataclass(frozen=True)
class ScriptLimits:
    """How long and how much memory one evaluation may take, and how many engine tasks one run may complete."""

    timeout_s: float = 2.0
    memory_mb: int = 256
    workers: int = 2
    max_steps: int = 1000


def script_limits(settings: Settings) -> ScriptLimits:
    """The limits of `settings` (OPSTA_WORKFLOW_SCRIPT_TIMEOUT_S, …_MEMORY_MB, …_WORKERS, OPSTA_WORKFLOW_MAX_STEPS)."""
    return ScriptLimits(timeout_s=settings.workflow_script_timeout_s, memory_mb=settings.workflow_script_memory_mb,
                        workers=settings.workflow_script_workers, max_steps=settings.workflow_max_steps)


class ScriptLimitExceeded(Exception):
    """A script or expression ran past its time or memory limit (or the run past its step limit)."""


class ScriptError(Exception):
    """A script failed with an exception that is not a plain builtin one (its type name is kept)."""


_SAFE_CLASSES = {
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("decimal", "Decimal"), ("zoneinfo", "ZoneInfo._unpickle"),
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"), ("builtins", "bytearray"),
    ("builtins", "range"), ("builtins", "slice"), ("copyreg", "_reconstructor"), ("builtins", "object"),
}


class _DataOnly(pickle.Unpickler):
    # What comes back was built by the analyst's code: only plain data may be rebuilt from it.
    def find_class(self, module, name):
        if (module, name) in _SAFE_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a script result may not hold {module}.{name}")


def _exception(type_name: str, message: str, line: int | None) -> Exception:
    where = f" (line {line})" if line else ""
    builtin = getattr(builtins, type_name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(f"{message}{where}")
        except TypeError:
            pass
    return ScriptError(f"{type_name}: {message}{where}")


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self, limits: ScriptLimits):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.workflow.script_worker", str(limits.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, cwd=str(PROJECT_ROOT), env=env,
            close_fds=True)
        self.limits = limits
        if self.receive(time.monotonic() + STARTUP_TIMEOUT_S) != ("ready",):
            self.kill()
            raise RuntimeError("the script worker did not start")

    def send(self, message) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(4, "big") + data)
        while view:
            written = os.write(self.process.stdin.fileno(), view)
            view = view[written:]

    def _read(self, size: int, deadline: float) -> bytes:
        fd, chunks, left = self.process.stdout.fileno(), [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def receive(self, deadline: float):
        size = int.from_bytes(self._read(4, deadline), "big")
        return _DataOnly(io.BytesIO(self._read(size, deadline))).load()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class ScriptPool:
    """The warm workers of one process for one set of limits."""

    def __init__(self, limits: ScriptLimits):
        self.limits = limits
        self._idle: list[_Worker] = []
        self._live = 0
        self._free = threading.Condition()

    def _checkout(self) -> _Worker:
        with self._free:
            if not self._free.wait_for(lambda: self._idle or self._live < self.limits.workers, WAIT_FOR_WORKER_S):
                raise ScriptLimitExceeded("every script worker stayed busy for a minute")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                self._live -= 1  # it exited while idle (its parent's limits, or killed from outside)
                worker.kill()
            self._live += 1
        try:
            return _Worker(self.limits)
        except BaseException:
            self._checkin(None)
            raise

    def _checkin(self, worker: _Worker | None) -> None:
        with self._free:
            if worker is not None and worker.alive:
                self._idle.append(worker)
            else:
                self._live -= 1
            self._free.notify()

    def run(self, op: str, source: str, context: dict, *, clock, budget_s: float | None = None,
            spent: Callable[[float], None] | None = None) -> Any:
        """Evaluate or execute `source` on `context` in a worker (see `sandbox.run_restricted`); bounded.

        Raises ScriptLimitExceeded past the time (`timeout_s`, or what is left of `budget_s`) or memory
        limit, and the script's own exception (rebuilt) when it fails. `spent` hears how long the worker
        took (waiting for a free worker is not the script's time).
        """
        timeout = self.limits.timeout_s if budget_s is None else max(0.0, min(self.limits.timeout_s, budget_s))
        over = (f"its step's scripts ran longer than {self.limits.timeout_s:g} s together"
                if timeout < self.limits.timeout_s else f"it ran longer than {timeout:g} s")
        if timeout <= 0:
            raise ScriptLimitExceeded(over)
        request = {"op": op, "source": source, "context": context, "now": clock.now(), "timezone": clock.timezone}
        worker = self._checkout()
        began = time.monotonic()
        deadline = began + timeout
        try:
            worker.send(request)
            while True:
                reply = worker.receive(deadline)
                if reply[0] == "call":
                    worker.send(self._answer(clock, reply[1], reply[2]))
                    continue
                break
            if reply[0] == "fail" and reply[1] == "limit":
                worker.kill()  # it exits after a limit: it must not go back to the idle ones
        except TimeoutError:
            worker.kill()
            raise ScriptLimitExceeded(over) from None
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            worker.kill()
            if isinstance(exc, pickle.UnpicklingError):
                raise ScriptError(str(exc)) from None
            raise ScriptLimitExceeded(f"its worker died (more than {self.limits.memory_mb} MB?)") from None
        finally:
            self._checkin(worker)
            if spent is not None:
                spent(time.monotonic() - began)
        if reply[0] == "ok":
            return reply[1]
        _, kind, type_name, message, line = reply
        if kind == "limit":
            raise ScriptLimitExceeded(message if type_name == "MemoryError" else f"{type_name}: {message}")
        raise _exception(type_name, message, line)

    @staticmethod
    def _answer(clock, name: str, args: tuple):
        # The worker asks the host for what needs the holiday calendar; the arguments are the analyst's.
        try:
            if name != "working_days_after":
                raise ValueError(f"no helper {name}")
            days, start = (tuple(args) + (None,))[:2]
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_WORKING_DAYS:
                raise ValueError(f"working_days_after takes 0 to {MAX_WORKING_DAYS} days")
            return ("ret", clock.working_days_after(days, start))
        except Exception as exc:  # noqa: BLE001 - raised in the script, where the analyst sees it
            return ("raise", type(exc).__name__, str(exc))

    def warm(self) -> None:
        """Start the missing workers now, so that the first request does not wait for an interpreter."""
        with self._free:
            missing = max(0, self.limits.workers - self._live)
            self._live += missing
        for _ in range(missing):
            try:
                worker = _Worker(self.limits)
            except Exception:  # noqa: BLE001 - a request will try again, and say why
                worker = None
            self._checkin(worker)

    def close(self) -> None:
        with self._free:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


@lru_cache(maxsize=8)
def _pool(limits: ScriptLimits, pid: int) -> ScriptPool:
    pool = ScriptPool(limits)
    atexit.register(pool.close)
    return pool


def script_pool(limits: ScriptLimits) -> ScriptPool:
    """This process's pool for `limits` (a forked child gets its own)."""
    return _pool(limits, os.getpid())
