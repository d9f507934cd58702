"""A sparse lon/lat grid that pairs many points with the sites whose reach box holds them.

Batch tagging uses it instead of an STRtree query because it works on plain coordinate arrays:
an STRtree needs a Shapely Point per punch, and creating a million of those alone costs more
than this whole lookup (measured for 1,000,000 punches near 1,000 sites: ~0.45 s vs ~0.1 s).
"""
from __future__ import annotations

import numpy as np

# Total (cell, site) entries allowed before the cells are made coarser; bounds memory to ~100 MB
# even for province-sized sites.
_MAX_ENTRIES = 4_000_000


class ReachGrid:
    """Cells about one typical reach box wide, each listing the sites whose reach box touches it."""

    def __init__(self, reach: np.ndarray) -> None:
        """`reach` is an (n, 4) array of (min_lon, min_lat, max_lon, max_lat) per site."""
        self._reach = reach
        self._x0 = float(reach[:, 0].min())
        self._y0 = float(reach[:, 1].min())
        extent = np.maximum(reach[:, 2] - reach[:, 0], reach[:, 3] - reach[:, 1])
        self._cell = max(float(np.median(extent)), 1e-7)
        while True:
            ix0, iy0, ix1, iy1 = self._cell_ranges(reach)
            if int(((ix1 - ix0 + 1) * (iy1 - iy0 + 1)).sum()) <= _MAX_ENTRIES:
                break
            self._cell *= 2
        self._nx = int(ix1.max()) + 1
        self._ny = int(iy1.max()) + 1
        keys, sites = [], []
        for site, (a, b, c, d) in enumerate(zip(ix0.tolist(), iy0.tolist(), ix1.tolist(), iy1.tolist())):
            cols, rows = np.meshgrid(np.arange(a, c + 1), np.arange(b, d + 1), indexing="ij")
            keys.append((cols * self._ny + rows).ravel())
            sites.append(np.full(cols.size, site, dtype=np.int64))
        keys = np.concatenate(keys)
        sites = np.concatenate(sites)
        order = np.argsort(keys, kind="stable")
        self._cell_keys, self._cell_starts, self._cell_counts = np.unique(
            keys[order], return_index=True, return_counts=True
        )
        self._cell_sites = sites[order]

    def _cell_ranges(self, boxes: np.ndarray):
        return tuple(
            np.floor((boxes[:, k] - origin) / self._cell).astype(np.int64)
            for k, origin in ((0, self._x0), (1, self._y0), (2, self._x0), (3, self._y0))
        )

    def pairs(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (point positions, site positions) for every point inside a site's reach box."""
        fx = (lons - self._x0) / self._cell
        fy = (lats - self._y0) / self._cell
        # NaN fails every comparison, so unusable coordinates drop out here.
        points = np.flatnonzero((fx >= 0) & (fx < self._nx) & (fy >= 0) & (fy < self._ny))
        keys = fx[points].astype(np.int64) * self._ny + fy[points].astype(np.int64)
        slot = np.minimum(np.searchsorted(self._cell_keys, keys), self._cell_keys.size - 1)
        found = self._cell_keys[slot] == keys
        points, slot = points[found], slot[found]
        counts = self._cell_counts[slot]
        point_pos = np.repeat(points, counts)
        first_of_group = np.repeat(np.cumsum(counts) - counts, counts)
        entry = np.repeat(self._cell_starts[slot], counts) + (np.arange(point_pos.size) - first_of_group)
        site_pos = self._cell_sites[entry]
        box = self._reach[site_pos]
        px, py = lons[point_pos], lats[point_pos]
        inside_box = (px >= box[:, 0]) & (px <= box[:, 2]) & (py >= box[:, 1]) & (py <= box[:, 3])
        return point_pos[inside_box], site_pos[inside_box]
