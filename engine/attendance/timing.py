"""When a phone punch counts: the server clock is authoritative, the phone's clock is checked.

- A `client_time` more than `clock_skew_seconds` ahead of the server is refused (`client_time_in_future`).
- A `client_time` older than `offline_window_hours` is refused (`client_time_too_old`).
- A punch is *offline* (queued on the phone and synced later) when the phone says so, or, when the
  phone does not say, when its `client_time` is more than `clock_skew_seconds` behind the server.
  An offline punch counts at its `client_time`.
- A punch the phone says was made online, whose clock is more than `clock_skew_seconds` off, counts
  at the server time and is flagged `clock_skew`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.config import Settings
from engine.errors import InvalidInput


@dataclass(frozen=True)
class PunchTiming:
    effective_at: datetime
    offline: bool
    clock_skew: bool


def punch_timing(*, settings: Settings, recorded_at: datetime, client_time: datetime | None,
                 offline_claimed: bool | None) -> PunchTiming:
    """Decide the effective time and offline/skew status of a punch, or refuse its client time."""
    if client_time is None:
        if offline_claimed:
            raise InvalidInput("An offline punch needs the client_time at which it was made.",
                               code="client_time_required")
        return PunchTiming(recorded_at, offline=False, clock_skew=False)
    skew = timedelta(seconds=settings.clock_skew_seconds)
    behind = recorded_at - client_time
    if behind < -skew:
        raise InvalidInput("client_time is in the future. Check the phone's date and time settings.",
                           code="client_time_in_future")
    if behind > timedelta(hours=settings.offline_window_hours):
        raise InvalidInput(
            f"This punch was made more than {settings.offline_window_hours} hours ago and can no longer be "
            "synced. Ask for a missed-punch request instead.", code="client_time_too_old")
    offline = offline_claimed if offline_claimed is not None else behind > skew
    if offline:
        return PunchTiming(client_time, offline=True, clock_skew=False)
    return PunchTiming(recorded_at, offline=False, clock_skew=abs(behind) > skew)
