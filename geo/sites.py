"""The site records the geofence index is built from, and what tagging returns."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shapely.geometry import MultiPolygon, Polygon

from geo.geometry import GeometryError, SiteGeometry, parse_site_geometry


@dataclass(frozen=True, slots=True)
class SiteShape:
    """One office site: its id, display name, lon/lat outline and optional tolerance in metres.

    `tolerance_m` caps how far a punch's GPS accuracy may grow the outline; None means the
    index's default cap applies.
    """

    site_id: int
    name: str
    geometry: SiteGeometry
    tolerance_m: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, (Polygon, MultiPolygon)):
            raise GeometryError(
                "geometry_wrong_type",
                f"site {self.site_id}: a site needs a Polygon or MultiPolygon, "
                f"got {type(self.geometry).__name__}",
            )
        if self.geometry.is_empty:
            raise GeometryError("geometry_empty", f"site {self.site_id}: the geometry is empty")
        if self.tolerance_m is not None and not (
            math.isfinite(self.tolerance_m) and self.tolerance_m >= 0
        ):
            raise GeometryError(
                "tolerance_invalid",
                f"site {self.site_id}: tolerance_m must be a finite number of metres >= 0, "
                f"got {self.tolerance_m!r}",
            )

    @classmethod
    def from_geojson(
        cls, *, site_id: int, name: str, geojson: dict[str, Any] | str, tolerance_m: float | None = None
    ) -> "SiteShape":
        """Build a site from its stored GeoJSON; raises GeometryError if the outline is bad."""
        return cls(site_id=site_id, name=name, geometry=parse_site_geometry(geojson), tolerance_m=tolerance_m)


@dataclass(frozen=True, slots=True)
class SiteMatch:
    """The site a punch was tagged to; `distance_m` is 0 inside the outline, else the gap in metres."""

    site_id: int
    name: str
    distance_m: float
