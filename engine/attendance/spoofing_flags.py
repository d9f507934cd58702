"""Spoofing flags of a phone punch. A suspicious punch is never dropped; it carries flags a supervisor sees."""
from __future__ import annotations

import math
from datetime import datetime

from engine.config import Settings

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def travel_is_impossible(*, settings: Settings, previous: tuple[float, float, datetime] | None,
                         lat: float, lon: float, at: datetime) -> bool:
    """True when moving between a neighbouring punch (before or after in time) and (lat, lon) at `at`
    needs more than the speed limit."""
    if previous is None:
        return False
    prev_lat, prev_lon, prev_at = previous
    metres = distance_m(prev_lat, prev_lon, lat, lon)
    if metres < settings.travel_min_distance_m:
        return False
    hours = abs((at - prev_at).total_seconds()) / 3600
    return hours == 0 or metres / 1000 / hours > settings.max_travel_kmh


def punch_flags(*, settings: Settings, is_mock: bool, accuracy_m: float | None, clock_skew: bool,
                impossible_travel: bool) -> list[str]:
    """The flags of a phone punch, in a stable order."""
    flags = []
    if is_mock:
        flags.append("mock_location")
    if accuracy_m is not None and accuracy_m > settings.low_accuracy_m:
        flags.append("low_accuracy")
    if impossible_travel:
        flags.append("impossible_travel")
    if clock_skew:
        flags.append("clock_skew")
    return flags
