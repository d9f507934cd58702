"""A local metric frame around one site, so that distances are in metres, not degrees.

The frame is a tangent-plane (equirectangular) projection at the site's centroid, scaled by the
WGS84 ellipsoid's radii of curvature there. It is affine in lon/lat, which keeps it exact for
bounding-box arithmetic and cheap for numpy; over a few kilometres its distance error stays far
below GPS accuracy (about 0.02 % at 1 km in Thailand), so pyproj is not needed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from geo.geometry import SiteGeometry

_WGS84_A = 6_378_137.0
_WGS84_E2 = 6.694_379_990_14e-3


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Metres east (x) and north (y) of an origin, from lon/lat degrees."""

    origin_lon: float
    origin_lat: float
    metres_per_degree_lon: float
    metres_per_degree_lat: float

    @classmethod
    def around(cls, *, lon: float, lat: float) -> "LocalProjection":
        """Return the frame whose origin is (lon, lat)."""
        phi = math.radians(lat)
        w = 1.0 - _WGS84_E2 * math.sin(phi) ** 2
        prime_vertical = _WGS84_A / math.sqrt(w)
        meridional = _WGS84_A * (1.0 - _WGS84_E2) / w**1.5
        return cls(
            origin_lon=lon,
            origin_lat=lat,
            metres_per_degree_lon=math.radians(1.0) * prime_vertical * math.cos(phi),
            metres_per_degree_lat=math.radians(1.0) * meridional,
        )

    @classmethod
    def for_geometry(cls, geometry: SiteGeometry) -> "LocalProjection":
        """Return the frame centred on a geometry's centroid."""
        centroid = geometry.centroid
        return cls.around(lon=centroid.x, lat=centroid.y)

    def to_metres(self, lon, lat):
        """Project lon/lat (floats or numpy arrays) to (x, y) metres in this frame."""
        return (
            (lon - self.origin_lon) * self.metres_per_degree_lon,
            (lat - self.origin_lat) * self.metres_per_degree_lat,
        )

    def to_degrees(self, x, y):
        """Inverse of to_metres: (x, y) metres to (lon, lat)."""
        return (
            self.origin_lon + x / self.metres_per_degree_lon,
            self.origin_lat + y / self.metres_per_degree_lat,
        )

    def project(self, geometry: SiteGeometry) -> SiteGeometry:
        """Return the geometry with its coordinates in metres in this frame."""
        scale = np.array([self.metres_per_degree_lon, self.metres_per_degree_lat])
        origin = np.array([self.origin_lon, self.origin_lat])
        return shapely.transform(geometry, lambda coords: (coords - origin) * scale)

    def degrees_for(self, metres: float) -> tuple[float, float]:
        """Return the (lon, lat) degree spans that `metres` covers in this frame."""
        return metres / self.metres_per_degree_lon, metres / self.metres_per_degree_lat
