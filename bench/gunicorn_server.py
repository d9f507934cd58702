"""A gunicorn server started and stopped by a benchmark, on a free loopback port."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time so far of `pids` (processes that are gone count as 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def processes_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """`gunicorn <app>` with gthread workers; `start()` waits until `ready_path` answers 200."""

    def __init__(self, app: str, *, env: dict[str, str], workers: int, threads: int,
                 ready_path: str = "/healthz") -> None:
        self.app, self.workers, self.threads, self.ready_path = app, workers, threads, ready_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
        self._log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        self._process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60.0) -> "GunicornServer":
        self._process = subprocess.Popen(
            [str(GUNICORN), self.app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--worker-class", "gthread", "--threads", str(self.threads), "--keep-alive", "30",
             "--backlog", "2048", "--log-level", "warning"],
            cwd=REPO_ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not become ready in {timeout_s:.0f} s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self._process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self._process.pid:
                        children.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return [self._process.pid, *children]

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(Path(self._log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)  # graceful: the master stops its own workers
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)

    def __enter__(self) -> "GunicornServer":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
