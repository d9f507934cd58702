"""One SiteIndex per process, rebuilt only when the sites change."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable

from geo.index import DEFAULT_TOLERANCE_M, SiteIndex
from geo.sites import SiteShape


class SiteIndexCache:
    """Holds the current SiteIndex and rebuilds it when the sites' version token changes.

    `current_version` should be cheap (e.g. the sites' count and max(updated_at)), because it
    runs on every `index()` call unless `recheck_after_s` throttles it; `load_sites` runs only
    when the token differs from the one the index was built for. Thread-safe: callers whose
    token matches get the index without waiting; one rebuild runs at a time and callers that
    arrive during it wait for it rather than building again. `builds` counts rebuilds.
    """

    def __init__(
        self,
        *,
        current_version: Callable[[], Hashable],
        load_sites: Callable[[], Iterable[SiteShape]],
        default_tolerance_m: float = DEFAULT_TOLERANCE_M,
        recheck_after_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._current_version = current_version
        self._load_sites = load_sites
        self._default_tolerance_m = default_tolerance_m
        self._recheck_after_s = recheck_after_s
        self._clock = clock
        self._lock = threading.Lock()
        # (token, index, checked_at) swapped as one tuple so readers never see a torn state.
        self._state: tuple[Hashable, SiteIndex, float] | None = None
        self.builds = 0

    def index(self) -> SiteIndex:
        """Return an index that matches the sites' current version."""
        state = self._state
        now = self._clock()
        if state is not None and now - state[2] < self._recheck_after_s:
            return state[1]
        token = self._current_version()
        if state is not None and state[0] == token:
            if self._recheck_after_s > 0:
                with self._lock:
                    if self._state is state:  # never overwrite a newer index built meanwhile
                        self._state = (token, state[1], now)
            return state[1]
        with self._lock:
            # Re-read under the lock: another thread may have rebuilt while we waited, and the
            # token is read before loading so the sites are at least as new as the token.
            token = self._current_version()
            state = self._state
            if state is not None and state[0] == token:
                return state[1]
            index = SiteIndex.build(self._load_sites(), default_tolerance_m=self._default_tolerance_m)
            self._state = (token, index, self._clock())
            self.builds += 1
            return index

    def invalidate(self) -> None:
        """Forget the current index so the next `index()` call rebuilds it."""
        with self._lock:
            self._state = None
