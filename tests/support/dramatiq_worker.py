"""A real `dramatiq` worker in its own process group, so a test can SIGKILL it mid-job."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class DramatiqWorker:
    """`dramatiq <module> --queues <queues> --processes 1 --threads 1` with `env` over a clean environment."""

    def __init__(self, module: str, *, queues: str, env: dict[str, str], log_path: Path) -> None:
        executable = Path(sys.executable).parent / "dramatiq"
        full_env = {key: value for key, value in os.environ.items() if not key.startswith("OPSTA_")}
        full_env.update(env)
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [str(executable), module, "--queues", queues, "--processes", "1", "--threads", "1"],
            cwd=PROJECT_ROOT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the worker and its child processes, and wait for it to end."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def settings_env(settings, names, **overrides) -> dict[str, str]:
    """The `OPSTA_*` environment that gives a worker process these fields of `settings` (and `overrides`)."""
    values = {**{name: getattr(settings, name) for name in names}, **overrides}
    return {f"OPSTA_{key.upper()}": str(value) for key, value in values.items()}


@contextmanager
def worker_starter(module: str, *, queues: str, env: Callable[..., dict[str, str]], log_dir: Path,
                   log_name: str) -> Iterator[Callable[..., DramatiqWorker]]:
    """`start(**overrides)` starts one more worker of `module` with `env(**overrides)`; all end (SIGTERM) on exit."""
    workers: list[DramatiqWorker] = []

    def start(**overrides) -> DramatiqWorker:
        worker = DramatiqWorker(module, queues=queues, env=env(**overrides),
                                log_path=log_dir / f"{log_name}{len(workers)}.log")
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill(signal.SIGTERM)
