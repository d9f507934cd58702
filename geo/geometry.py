"""Reading site outlines from GeoJSON, with errors a site administrator can act on.

Geometries are kept in GeoJSON's own axis order: x = longitude, y = latitude (WGS84).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon

SiteGeometry = Polygon | MultiPolygon

# Rough box around Thailand (lon/lat), for callers that want to reject sites drawn elsewhere.
THAILAND_BOUNDS = (97.0, 5.4, 106.0, 20.7)

_VALIDITY_LOCATION = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\]\s*$")


class GeometryError(ValueError):
    """A site geometry was rejected.

    `code` is stable and meant for API clients; `message` says what is wrong in plain words;
    `location` is the (lon, lat) of the problem when there is one; `path` points into the
    GeoJSON (e.g. ``coordinates[0][3]``) when the problem is one position.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        location: tuple[float, float] | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location
        self.path = path

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def parse_site_geometry(
    data: dict[str, Any] | str,
    *,
    expected_bounds: tuple[float, float, float, float] | None = None,
) -> SiteGeometry:
    """Turn a GeoJSON Feature, Polygon or MultiPolygon (dict or JSON text) into a valid
    lon/lat Shapely geometry, or raise GeometryError.

    `expected_bounds` (min_lon, min_lat, max_lon, max_lat), e.g. THAILAND_BOUNDS, also rejects
    sites drawn outside that box and recognises [lat, lon] input that only fits it swapped.
    """
    geometry = _geometry_member(_as_mapping(data))
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryError(
            "geometry_wrong_type",
            f"a site needs a Polygon or MultiPolygon geometry, got {kind!r}",
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else _list_of(coordinates, "coordinates", "polygons")
    if kind == "MultiPolygon" and not polygons:
        raise GeometryError("geometry_empty", "the MultiPolygon has no polygons")
    shells = []
    for p, rings in enumerate(polygons):
        prefix = "coordinates" if kind == "Polygon" else f"coordinates[{p}]"
        shells.append(_read_polygon(rings, prefix))
    _check_ranges(shells, expected_bounds)
    built = [Polygon(rings[0], rings[1:]) for rings in shells]
    shape: SiteGeometry = built[0] if kind == "Polygon" else MultiPolygon(built)
    _check_valid(shape)
    return shape


def geometry_to_geojson(geometry: SiteGeometry) -> dict[str, Any]:
    """Return the GeoJSON geometry dict (lists, lon/lat order) for a site geometry."""
    return json.loads(shapely.to_geojson(geometry))


def _as_mapping(data: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise GeometryError("geometry_wrong_type", f"the text is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise GeometryError(
            "geometry_wrong_type", f"expected a GeoJSON object, got {type(data).__name__}"
        )
    return data


def _geometry_member(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else "no"
            raise GeometryError(
                "geometry_wrong_type",
                f"a FeatureCollection must hold exactly one Feature for a site, it has {count}",
            )
        obj = _as_mapping(features[0])
        kind = obj.get("type")
    if kind == "Feature":
        geometry = obj.get("geometry")
        if geometry is None:
            raise GeometryError("geometry_empty", "the Feature has no geometry")
        return _as_mapping(geometry)
    if not isinstance(kind, str):
        raise GeometryError("geometry_wrong_type", "not GeoJSON: the object has no \"type\"")
    return obj


def _list_of(value: Any, path: str, what: str) -> list:
    if not isinstance(value, list):
        raise GeometryError("geometry_wrong_type", f"{path} must be a list of {what}", path=path)
    return value


def _read_polygon(rings: Any, path: str) -> list[list[tuple[float, float]]]:
    rings = _list_of(rings, path, "rings")
    if not rings:
        raise GeometryError("geometry_empty", f"{path}: the polygon has no rings", path=path)
    return [_read_ring(ring, f"{path}[{r}]") for r, ring in enumerate(rings)]


def _read_ring(ring: Any, path: str) -> list[tuple[float, float]]:
    ring = _list_of(ring, path, "[lon, lat] positions")
    if not ring:
        raise GeometryError("geometry_empty", f"{path}: the ring has no positions", path=path)
    positions = [_read_position(pos, f"{path}[{i}]") for i, pos in enumerate(ring)]
    if len(positions) >= 3 and positions[0] != positions[-1]:
        first, last = positions[0], positions[-1]
        raise GeometryError(
            "geometry_unclosed_ring",
            f"{path}: the ring must end where it starts; first position {list(first)}, "
            f"last position {list(last)}",
            location=first,
            path=path,
        )
    if len(positions) < 4:
        raise GeometryError(
            "geometry_too_few_points",
            f"{path}: a ring needs at least 4 positions (3 corners and the closing repeat of "
            f"the first), got {len(positions)}",
            path=path,
        )
    return positions


def _read_position(position: Any, path: str) -> tuple[float, float]:
    if (
        not isinstance(position, (list, tuple))
        or len(position) < 2
        or not all(_is_number(v) for v in position[:2])
    ):
        raise GeometryError(
            "geometry_wrong_type", f"{path} must be a [lon, lat] pair of numbers, got {position!r}", path=path
        )
    lon, lat = float(position[0]), float(position[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeometryError("geometry_out_of_range", f"{path} is not a finite position", path=path)
    return (lon, lat)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_ranges(shells: list[list[list[tuple[float, float]]]], bounds) -> None:
    positions = [pos for rings in shells for ring in rings for pos in ring]
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    if _within(lons, lats, (-180.0, -90.0, 180.0, 90.0)):
        if bounds is None or _within(lons, lats, bounds):
            return
        if _within(lats, lons, bounds):
            _raise_swapped(lons, lats, "the site lies outside the expected area, but fits it swapped")
        raise GeometryError(
            "geometry_outside_region",
            f"the site (lon {min(lons):.5f}..{max(lons):.5f}, lat {min(lats):.5f}..{max(lats):.5f}) "
            f"lies outside the expected area {list(bounds)}",
            location=positions[0],
        )
    if _within(lats, lons, (-180.0, -90.0, 180.0, 90.0)) and (bounds is None or _within(lats, lons, bounds)):
        _raise_swapped(lons, lats, "latitude must lie in -90..90")
    bad = next(p for p in positions if not (-180.0 <= p[0] <= 180.0 and -90.0 <= p[1] <= 90.0))
    raise GeometryError(
        "geometry_out_of_range",
        f"position {list(bad)} is out of range: longitude must lie in -180..180 and latitude in -90..90",
        location=bad,
    )


def _raise_swapped(lons: list[float], lats: list[float], why: str) -> None:
    raise GeometryError(
        "geometry_coordinate_order",
        f"positions look like [lat, lon] ({why}); GeoJSON wants [lon, lat], "
        f"e.g. [{lats[0]}, {lons[0]}] instead of [{lons[0]}, {lats[0]}]",
        location=(lats[0], lons[0]),
    )


def _within(xs: list[float], ys: list[float], bounds: tuple[float, float, float, float]) -> bool:
    min_x, min_y, max_x, max_y = bounds
    return min_x <= min(xs) and max(xs) <= max_x and min_y <= min(ys) and max(ys) <= max_y


def _check_valid(shape: SiteGeometry) -> None:
    if shape.is_valid:
        return
    reason = shapely.is_valid_reason(shape)
    match = _VALIDITY_LOCATION.search(reason)
    location = (float(match.group(1)), float(match.group(2))) if match else None
    what = reason[: match.start()] if match else reason
    where = f" at lon {location[0]:.6f}, lat {location[1]:.6f}" if location else ""
    raise GeometryError(
        "geometry_invalid",
        f"the polygon is not valid: {what}{where}",
        location=location,
    )
