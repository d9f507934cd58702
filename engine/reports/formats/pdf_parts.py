"""A function run on several arguments at once, the first in this process and the others in worker
processes, and the PDFs that come back joined into one file (the PDF renderer's parts, pdf_format.py).

The workers fork from a forkserver that imported the PDF renderer once (WeasyPrint, its stylesheets and
fonts), and they are kept for the life of the process: a part starts in milliseconds, not in the second an
import takes. A forkserver is a clean process of its own, so forking from it is safe in a multi-threaded
web server or Dramatiq worker, where forking the process itself is not.
"""
from __future__ import annotations

import io
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, TypeVar

from pypdf import PdfReader, PdfWriter

Argument = TypeVar("Argument")
Result = TypeVar("Result")
PRELOADED = ["engine.reports.formats.pdf_format"]
# A worker is replaced after this many parts, so that what WeasyPrint keeps of large reports (caches, a
# fragmented heap) is given back; a new one forks from the forkserver in milliseconds.
PARTS_PER_WORKER = 10

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_workers = 0


class PartFailed(Exception):
    """A worker process could not be started or did not return its part."""


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_workers
    with _lock:
        if _pool is None or _pool_workers != workers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOADED)
            _pool, _pool_workers = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                      max_tasks_per_child=PARTS_PER_WORKER), workers
        return _pool


def _discard() -> None:
    """Forget a pool whose worker died: the next call starts a new one."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


def run(function: Callable[[Argument], Result], arguments: list[Argument]) -> list[Result]:
    """`function(argument)` for every argument, in order; `PartFailed` when a worker fails, whatever the
    cause, so that the caller can do the work in one process instead."""
    if len(arguments) <= 1:
        return [function(argument) for argument in arguments]
    try:
        futures = [_executor(len(arguments) - 1).submit(function, argument) for argument in arguments[1:]]
    except Exception as error:  # no processes here (a sandbox, a limit): say so, do the work in one
        _discard()
        raise PartFailed(f"could not start worker processes: {error!r}") from error
    first = function(arguments[0])
    try:
        return [first, *(future.result() for future in futures)]
    except Exception as error:
        _discard()
        raise PartFailed(f"a worker process failed: {error!r}") from error


def merged(bodies: list[bytes]) -> bytes:
    """The PDFs one after another as one file, with the first one's catalogue (language) and metadata."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bodies[0])))
    for body in bodies[1:]:
        writer.append(PdfReader(io.BytesIO(body)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
