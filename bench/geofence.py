"""Geofence tagging speed: SiteIndex against a naive loop over every site, in the same run.

Run from the repo root: .venv/bin/python bench/geofence.py [--points N] [--sites N] [--seed N]
1,000 random site outlines over Thailand (50-400 m across, some MultiPolygons), then:
  * batch: SiteIndex.tag_many over N random points (best of 3 runs), for two workloads -
      "uniform": points anywhere in Thailand's bounding box (almost all off-site);
      "near":    every point within ~1 km of some site (like real punches; many on-site);
  * naive: for a sample of those points, loop over all sites measuring the metric distance to each
    outline (unprepared, no index) - reported per point, then as points/s;
  * single: SiteIndex.tag one punch at a time, median and p99 in microseconds.
The naive sample must give the same sites as the batch run, or the script exits non-zero.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

# The repo root replaces the script folder, where bench/calendar.py would shadow the stdlib calendar.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from geo import NO_SITE, LocalProjection, SiteIndex, SiteShape  # noqa: E402

THAILAND = (97.4, 5.6, 105.6, 20.4)
DEFAULT_CAP_M = 30.0
BATCH_REPEATS = 3


def random_outline(rng: np.random.Generator, lon: float, lat: float) -> Polygon:
    """A star-shaped (hence simple) polygon of 6-24 corners, 50-400 m across."""
    frame = LocalProjection.around(lon=lon, lat=lat)
    corners = int(rng.integers(6, 25))
    angles = np.sort(rng.uniform(0, 2 * np.pi, corners))
    radius = rng.uniform(25, 200) * rng.uniform(0.6, 1.0, corners)
    lons, lats = frame.to_degrees(radius * np.cos(angles), radius * np.sin(angles))
    return Polygon(np.column_stack([lons, lats]))


def random_sites(rng: np.random.Generator, count: int) -> list[SiteShape]:
    sites = []
    for site_id in range(1, count + 1):
        lon = rng.uniform(THAILAND[0], THAILAND[2])
        lat = rng.uniform(THAILAND[1], THAILAND[3])
        geometry = random_outline(rng, lon, lat)
        if site_id % 20 == 0:  # an annex ~600 m away makes a two-part site
            annex = random_outline(rng, lon + 0.006, lat)
            if not annex.intersects(geometry):
                geometry = MultiPolygon([geometry, annex])
        tolerance = [None, 10.0, 20.0, 30.0, 50.0][site_id % 5]
        sites.append(SiteShape(site_id=site_id, name=f"Site {site_id}", geometry=geometry, tolerance_m=tolerance))
    return sites


def uniform_points(rng: np.random.Generator, count: int):
    return rng.uniform(THAILAND[0], THAILAND[2], count), rng.uniform(THAILAND[1], THAILAND[3], count)


def near_points(rng: np.random.Generator, sites: list[SiteShape], count: int):
    centres = np.array([(s.geometry.centroid.x, s.geometry.centroid.y) for s in sites])
    which = rng.integers(0, len(sites), count)
    spread = 0.0015  # ~165 m standard deviation: a good share lands inside or near an outline
    return centres[which, 0] + rng.normal(0, spread, count), centres[which, 1] + rng.normal(0, spread, count)


def naive_tag(sites, frames, outlines, caps, lon: float, lat: float, accuracy: float) -> int:
    """The obvious loop: every site, metric distance to its outline, nearest/smaller/lower id wins."""
    best = None
    for site, frame, outline, cap in zip(sites, frames, outlines, caps):
        x, y = frame.to_metres(lon, lat)
        distance = outline.distance(shapely.Point(x, y))
        if distance <= min(accuracy, cap):
            key = (distance, outline.area, site.site_id)
            best = key if best is None or key < best else best
    return NO_SITE if best is None else best[2]


def time_batch(index: SiteIndex, lons, lats, accuracies, repeats: int) -> tuple[list[float], np.ndarray]:
    index.tag_many(lons[:1000], lats[:1000], accuracies[:1000])  # warm caches
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = index.tag_many(lons, lats, accuracies)
        durations.append(time.perf_counter() - started)
    return durations, result


def time_naive(sites, sample_lons, sample_lats, sample_acc) -> tuple[float, list[int]]:
    frames = [LocalProjection.for_geometry(s.geometry) for s in sites]
    outlines = [f.project(s.geometry) for f, s in zip(frames, sites)]
    caps = [DEFAULT_CAP_M if s.tolerance_m is None else s.tolerance_m for s in sites]
    started = time.perf_counter()
    result = [
        naive_tag(sites, frames, outlines, caps, lon, lat, acc)
        for lon, lat, acc in zip(sample_lons.tolist(), sample_lats.tolist(), sample_acc.tolist())
    ]
    return time.perf_counter() - started, result


def time_single(index: SiteIndex, lons, lats, accuracies, calls: int) -> np.ndarray:
    durations = np.empty(calls)
    clock = time.perf_counter
    for i, (lon, lat, acc) in enumerate(zip(lons[:calls].tolist(), lats[:calls].tolist(), accuracies[:calls].tolist())):
        started = clock()
        index.tag(lon, lat, acc)
        durations[i] = clock() - started
    return durations * 1e6


def run_workload(name, index, sites, lons, lats, accuracies, naive_sample, single_calls) -> bool:
    batch_runs, batch = time_batch(index, lons, lats, accuracies, BATCH_REPEATS)
    batch_s = min(batch_runs)
    sample = slice(0, naive_sample)
    naive_s, naive = time_naive(sites, lons[sample], lats[sample], accuracies[sample])
    agree = int(np.sum(batch[sample] == np.array(naive)))
    single = time_single(index, lons, lats, accuracies, single_calls)
    batch_rate = lons.size / batch_s
    naive_rate = naive_sample / naive_s
    print(f"\n[{name}] {lons.size:,} points, {np.mean(batch != NO_SITE):.1%} tagged to a site")
    print(
        f"  batch  SiteIndex.tag_many : {batch_s:8.3f} s  -> {batch_rate:14,.0f} points/s "
        f"(best of {BATCH_REPEATS}; median {np.median(batch_runs):.3f} s)"
    )
    print(
        f"  naive  loop over {len(sites):,} sites : {naive_s / naive_sample * 1e3:8.3f} ms per point "
        f"(measured on a sample of {naive_sample:,} points) -> {naive_rate:10,.0f} points/s"
    )
    print(f"  ratio  batch / naive      : {batch_rate / naive_rate:14,.0f} x")
    print(f"  agree  on the naive sample: {agree:,} / {naive_sample:,}")
    print(
        f"  single SiteIndex.tag ({single_calls:,} calls): median {np.median(single):.1f} us, "
        f"p99 {np.percentile(single, 99):.1f} us, max {single.max():.1f} us"
    )
    return agree == naive_sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=1_000)
    parser.add_argument("--naive-sample", type=int, default=1_000)
    parser.add_argument("--single-calls", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    sites = random_sites(rng, args.sites)
    started = time.perf_counter()
    index = SiteIndex.build(sites, default_tolerance_m=DEFAULT_CAP_M)
    build_s = time.perf_counter() - started
    vertices = sum(shapely.get_num_coordinates(s.geometry) for s in sites)
    print(f"sites: {len(sites):,} outlines, {vertices:,} vertices; SiteIndex.build {build_s * 1e3:.1f} ms")
    print("accuracy: uniform 3-60 m; growth = min(accuracy, tolerance or 30 m default)")

    ok = True
    for name, (lons, lats) in (
        ("uniform over Thailand", uniform_points(rng, args.points)),
        ("near sites (realistic punches)", near_points(rng, sites, args.points)),
    ):
        accuracies = rng.uniform(3, 60, args.points)
        ok &= run_workload(name, index, sites, lons, lats, accuracies, args.naive_sample, args.single_calls)
    if not ok:
        print("\nMISMATCH: the index and the naive loop disagree", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
