"""The one thread of this process that runs face models.

DeepFace's model cache is not thread-safe and `face.model.face_models` refuses a second
thread, but web requests and the embedded worker come from many threads. So every caller
hands face work to this single thread and waits for it.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")

_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_lock = threading.Lock()


def run_on_face_thread(work: Callable[..., T], /, *args, **kwargs) -> T:
    """Run `work(*args, **kwargs)` on this process's face thread and return its result (or raise)."""
    global _executor, _executor_pid
    with _lock:
        if _executor is None or _executor_pid != os.getpid():  # a forked child has no such thread
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsta-face")
            _executor_pid = os.getpid()
        executor = _executor
    return executor.submit(work, *args, **kwargs).result()
