"""How many photo checks one process runs at once: decoding a photo costs CPU and memory by its pixels.

Request threads that upload selfies and profile photos take a turn here before a photo is decoded;
one that waits longer than `face_check_wait_seconds` gets 503 with Retry-After instead of piling up.
"""
from __future__ import annotations

import math
import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from engine.config import Settings
from engine.errors import DomainError


class PhotoChecksBusy(DomainError):
    """Every photo-check turn of this process is taken."""

    status = 503
    code = "photo_checks_busy"
    title = "Photo checks busy"


@lru_cache(maxsize=8)
def _turns(limit: int, pid: int) -> threading.BoundedSemaphore:
    # One semaphore per limit and process (a forked worker starts with turns of its own).
    return threading.BoundedSemaphore(limit)


@contextmanager
def photo_check_turn(*, settings: Settings) -> Iterator[None]:
    """Hold one of the process's `face_max_concurrent_checks` turns while a photo is checked."""
    turns = _turns(max(1, settings.face_max_concurrent_checks), os.getpid())
    if not turns.acquire(timeout=settings.face_check_wait_seconds):
        wait = max(1, math.ceil(settings.face_check_wait_seconds))
        raise PhotoChecksBusy("Too many photos are being checked right now; send it again shortly.",
                              headers={"Retry-After": str(wait)})
    try:
        yield
    finally:
        turns.release()
