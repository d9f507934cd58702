"""Where a phone is, before it punches: the office site its position falls in, or off-site.

The punch screen asks this while the employee looks at it, so they know how the punch will be tagged
before they send it. It is the same geofence test that recording a punch makes
(engine/attendance/recording.py), on the same index, so the answer cannot disagree with the punch.
"""
from __future__ import annotations

from engine.attendance.queries import SiteRef
from engine.attendance.recording import Geofence


def site_at(*, geofence: Geofence, latitude: float, longitude: float, accuracy_m: float | None) -> SiteRef | None:
    """The site a punch at this position would be tagged to, or None when it would be off-site."""
    match = geofence.sites.index().tag(longitude, latitude, accuracy_m)
    return SiteRef(match.site_id, match.name) if match else None
