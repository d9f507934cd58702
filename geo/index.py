"""Tagging punches to office sites: a spatial index over site outlines, in metres.

Rule: a punch is at a site when its point lies within `growth` metres of the site's outline
(inside counts as 0 m), where growth = min(GPS accuracy, site tolerance or the default cap).
Unknown, negative or NaN accuracy counts as 0 m: the point must then be on or inside the outline.
When several sites match, the nearest outline wins (so a containing site beats one merely in
reach); at equal distance (e.g. a building inside a campus) the smaller site wins, then the
lower site_id.

Each site is measured in its own LocalProjection, which is affine in lon/lat, so its degree
bounding box grown by (cap / metres-per-degree) holds every point the metric test can accept.
Those boxes feed an STRtree (candidates for one punch) and a sparse cell grid (candidates for a
batch, from coordinate arrays without creating Shapely points); the exact test runs on prepared
metric outlines with shapely's vectorised contains_xy / dwithin.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely

from geo.cells import ReachGrid
from geo.projection import LocalProjection
from geo.sites import SiteMatch, SiteShape

NO_SITE = -1
DEFAULT_TOLERANCE_M = 30.0


class SiteIndex:
    """An immutable spatial index over a set of sites; safe to share between threads."""

    def __init__(self, sites: tuple[SiteShape, ...], default_tolerance_m: float) -> None:
        ids = [s.site_id for s in sites]
        if len(set(ids)) != len(ids):
            raise ValueError("site ids must be unique")
        if not (math.isfinite(default_tolerance_m) and default_tolerance_m >= 0):
            raise ValueError(f"default_tolerance_m must be >= 0, got {default_tolerance_m!r}")
        self.sites = sites
        self.default_tolerance_m = float(default_tolerance_m)
        self._by_id = {s.site_id: s for s in sites}
        projections = [LocalProjection.for_geometry(s.geometry) for s in sites]
        self._ids = np.array(ids, dtype=np.int64)
        self._names = [s.name for s in sites]
        self._origin_lon = np.array([p.origin_lon for p in projections], dtype=float)
        self._origin_lat = np.array([p.origin_lat for p in projections], dtype=float)
        self._kx = np.array([p.metres_per_degree_lon for p in projections], dtype=float)
        self._ky = np.array([p.metres_per_degree_lat for p in projections], dtype=float)
        self._cap = np.array(
            [self.default_tolerance_m if s.tolerance_m is None else float(s.tolerance_m) for s in sites],
            dtype=float,
        )
        self._outline = np.array([p.project(s.geometry) for p, s in zip(projections, sites)], dtype=object)
        shapely.prepare(self._outline)
        self._area = shapely.area(self._outline) if sites else np.zeros(0)
        self._reach = self._reach_boxes(sites)
        self._tree = shapely.STRtree(shapely.box(*self._reach.T) if sites else [])
        self._grid = ReachGrid(self._reach) if sites else None
        self._outline_bounds = shapely.bounds(self._outline) if sites else np.zeros((0, 4))
        # Plain lists for the single-punch path: Python floats index faster than numpy scalars.
        self._scalars = list(
            zip(
                self._ids.tolist(), self._names, self._origin_lon.tolist(), self._origin_lat.tolist(),
                self._kx.tolist(), self._ky.tolist(), self._cap.tolist(), self._area.tolist(), self._outline,
            )
        )

    @classmethod
    def build(cls, sites: Iterable[SiteShape], *, default_tolerance_m: float = DEFAULT_TOLERANCE_M) -> "SiteIndex":
        """Build the index; `default_tolerance_m` caps growth for sites without a tolerance."""
        return cls(tuple(sites), default_tolerance_m)

    def __len__(self) -> int:
        return len(self.sites)

    def site(self, site_id: int) -> SiteShape:
        """Return the indexed site with this id (KeyError if absent)."""
        return self._by_id[site_id]

    def tag(self, lon: float, lat: float, accuracy_m: float | None) -> SiteMatch | None:
        """Return the site a single punch belongs to, or None when it is off-site."""
        if not self.sites or not (math.isfinite(lon) and math.isfinite(lat)):
            return None
        accuracy = _clean_accuracy(accuracy_m)
        best: tuple | None = None
        for j in self._tree.query(shapely.Point(lon, lat)).tolist():
            site_id, name, olon, olat, kx, ky, cap, area, outline = self._scalars[j]
            x, y = (lon - olon) * kx, (lat - olat) * ky
            if shapely.contains_xy(outline, x, y):
                distance = 0.0
            else:
                distance = float(shapely.distance(outline, shapely.Point(x, y)))
                if distance > min(accuracy, cap):
                    continue
            key = (distance, area, site_id)
            if best is None or key < best[0]:
                best = (key, name)
        if best is None:
            return None
        (distance, _, site_id), name = best
        return SiteMatch(site_id=site_id, name=name, distance_m=distance)

    def tag_many(self, lons, lats, accuracies) -> np.ndarray:
        """Tag many punches at once; returns an int64 array of site ids, NO_SITE (-1) when off-site.

        `accuracies` may be an array or one number for all; NaN/None-like values count as 0 m.
        """
        lons = np.asarray(lons, dtype=float).ravel()
        lats = np.asarray(lats, dtype=float).ravel()
        if lons.shape != lats.shape:
            raise ValueError("lons and lats must have the same length")
        accuracy = np.broadcast_to(np.asarray(accuracies, dtype=float), lons.shape)
        accuracy = np.where(np.isfinite(accuracy) & (accuracy > 0), accuracy, 0.0)
        result = np.full(lons.shape, NO_SITE, dtype=np.int64)
        if not self.sites or lons.size == 0:
            return result
        point_pos, site_pos = self._grid.pairs(lons, lats)
        x = (lons[point_pos] - self._origin_lon[site_pos]) * self._kx[site_pos]
        y = (lats[point_pos] - self._origin_lat[site_pos]) * self._ky[site_pos]
        outlines = self._outline[site_pos]
        inside = shapely.contains_xy(outlines, x, y)
        growth = np.minimum(accuracy[point_pos], self._cap[site_pos])
        # The gap to the outline's bounding box is a lower bound of the gap to the outline, and
        # rules out most pairs without a GEOS call.
        bounds = self._outline_bounds[site_pos]
        gap_x = np.maximum(np.maximum(bounds[:, 0] - x, x - bounds[:, 2]), 0.0)
        gap_y = np.maximum(np.maximum(bounds[:, 1] - y, y - bounds[:, 3]), 0.0)
        hit = inside.copy()
        edge = np.flatnonzero(~inside & (np.hypot(gap_x, gap_y) <= growth + 1e-9))
        if edge.size:
            hit[edge] = shapely.dwithin(outlines[edge], shapely.points(x[edge], y[edge]), growth[edge])
        self._pick_best(result, point_pos[hit], site_pos[hit], inside[hit], x[hit], y[hit])
        return result

    def _pick_best(self, result, point_pos, site_pos, inside, x, y) -> None:
        if point_pos.size == 0:
            return
        # Distances only matter for points that reached more than one site.
        _, inverse, counts = np.unique(point_pos, return_inverse=True, return_counts=True)
        contested = counts[inverse] > 1
        distance = np.zeros(point_pos.size)
        need = np.flatnonzero(contested & ~inside)
        if need.size:
            distance[need] = shapely.distance(
                self._outline[site_pos[need]], shapely.points(x[need], y[need])
            )
        order = np.lexsort((self._ids[site_pos], self._area[site_pos], distance, point_pos))
        ordered_points = point_pos[order]
        winner = np.ones(order.size, dtype=bool)
        winner[1:] = ordered_points[1:] != ordered_points[:-1]
        result[ordered_points[winner]] = self._ids[site_pos[order[winner]]]

    def _reach_boxes(self, sites: tuple[SiteShape, ...]) -> np.ndarray:
        """Each site's lon/lat bounding box grown by its cap, as an (n, 4) array."""
        if not sites:
            return np.zeros((0, 4))
        bounds = shapely.bounds(np.array([s.geometry for s in sites], dtype=object))
        # A hair of slack so float rounding never drops a point the metric test would accept.
        dlon = self._cap * (1 + 1e-6) / self._kx + 1e-12
        dlat = self._cap * (1 + 1e-6) / self._ky + 1e-12
        return bounds + np.column_stack([-dlon, -dlat, dlon, dlat])


def _clean_accuracy(accuracy_m: float | None) -> float:
    if accuracy_m is None or not math.isfinite(accuracy_m) or accuracy_m < 0:
        return 0.0
    return float(accuracy_m)
