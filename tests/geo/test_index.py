"""Tagging punches to sites: the metric growth rule, the choice between sites, batch == single."""
import math

import numpy as np
import pytest
from geopy.distance import geodesic
from shapely.geometry import MultiPolygon, box

from geo import NO_SITE, GeometryError, SiteIndex, SiteMatch, SiteShape, load_demo_site_geojson, parse_site_geometry

# A square site about 220 m across in Nonthaburi; its east edge is the meridian 100.5135.
SQUARE = box(100.5115, 13.8610, 100.5135, 13.8630)
EAST_EDGE_MIDDLE = (100.5135, 13.8620)


def offset(point, *, east_m=0.0, north_m=0.0):
    """(lon, lat) moved by metres, measured on the ellipsoid independently of geo's projection."""
    lon, lat = point
    if north_m:
        moved = geodesic(meters=abs(north_m)).destination((lat, lon), 0 if north_m > 0 else 180)
        lat, lon = moved.latitude, moved.longitude
    if east_m:
        moved = geodesic(meters=abs(east_m)).destination((lat, lon), 90 if east_m > 0 else 270)
        lat, lon = moved.latitude, moved.longitude
    return lon, lat


def square_index(tolerance_m, **kwargs):
    return SiteIndex.build([SiteShape(site_id=1, name="MOC-OPS", geometry=SQUARE, tolerance_m=tolerance_m)], **kwargs)


TWENTY_M_EAST = offset(EAST_EDGE_MIDDLE, east_m=20)


def test_point_20_m_outside_with_accuracy_25_and_tolerance_30_is_office():
    match = square_index(30).tag(*TWENTY_M_EAST, 25)
    assert match == SiteMatch(site_id=1, name="MOC-OPS", distance_m=pytest.approx(20.0, abs=0.05))


def test_point_20_m_outside_with_accuracy_10_is_offsite():
    assert square_index(30).tag(*TWENTY_M_EAST, 10) is None


def test_tolerance_caps_a_large_accuracy():
    assert square_index(15).tag(*TWENTY_M_EAST, 100) is None
    assert square_index(25).tag(*TWENTY_M_EAST, 100).site_id == 1


def test_site_without_tolerance_uses_the_default_cap():
    assert square_index(None, default_tolerance_m=10).tag(*TWENTY_M_EAST, 25) is None
    assert square_index(None, default_tolerance_m=30).tag(*TWENTY_M_EAST, 25).site_id == 1
    assert square_index(None).tag(*TWENTY_M_EAST, 25).site_id == 1  # default 30 m


def test_zero_tolerance_means_only_the_outline_counts():
    index = square_index(0)
    assert index.tag(*offset(EAST_EDGE_MIDDLE, east_m=1), 50) is None
    assert index.tag(*offset(EAST_EDGE_MIDDLE, east_m=-1), 50).site_id == 1


def test_inside_is_distance_zero_whatever_the_accuracy():
    index = square_index(30)
    for accuracy in (0, 5, 500, None, float("nan"), -3):
        assert index.tag(100.5125, 13.8620, accuracy) == SiteMatch(1, "MOC-OPS", 0.0)


@pytest.mark.parametrize("accuracy", [None, float("nan"), -5])
def test_unknown_accuracy_does_not_grow_the_outline(accuracy):
    index = square_index(30)
    assert index.tag(*offset(EAST_EDGE_MIDDLE, east_m=2), accuracy) is None
    assert index.tag_many([TWENTY_M_EAST[0]], [TWENTY_M_EAST[1]], [accuracy if accuracy is not None else np.nan])[0] == NO_SITE


def test_growth_is_metric_in_every_direction():
    index = square_index(30)
    corner = (100.5135, 13.8630)
    # 20 m diagonally off the north-east corner: 14.1 m east and north.
    diagonal = offset(corner, east_m=20 / math.sqrt(2), north_m=20 / math.sqrt(2))
    assert index.tag(*diagonal, 21).distance_m == pytest.approx(20.0, abs=0.05)
    assert index.tag(*diagonal, 19) is None
    north = offset((100.5125, 13.8630), north_m=20)
    assert index.tag(*north, 21).distance_m == pytest.approx(20.0, abs=0.05)
    assert index.tag(*north, 19) is None


def test_multipolygon_site_matches_each_part_but_not_the_gap():
    far_part = box(100.5235, 13.8610, 100.5255, 13.8630)  # about 1 km east of SQUARE
    site = SiteShape(site_id=9, name="Two buildings", geometry=MultiPolygon([SQUARE, far_part]), tolerance_m=30)
    index = SiteIndex.build([site])
    assert index.tag(100.5125, 13.8620, 5).site_id == 9
    assert index.tag(100.5245, 13.8620, 5).site_id == 9
    assert index.tag(100.5185, 13.8620, 30) is None
    near_far_part = offset((100.5235, 13.8620), east_m=-20)
    assert index.tag(*near_far_part, 25).distance_m == pytest.approx(20.0, abs=0.05)
    result = index.tag_many([100.5125, 100.5245, 100.5185, near_far_part[0]], [13.862, 13.862, 13.862, near_far_part[1]], 25)
    assert result.tolist() == [9, 9, NO_SITE, 9]


def test_containing_site_beats_a_site_in_reach():
    neighbour = box(100.51352, 13.8610, 100.5150, 13.8630)  # ~2 m east of SQUARE's east edge
    index = SiteIndex.build([SiteShape(2, "Neighbour", neighbour, 30), SiteShape(1, "MOC-OPS", SQUARE, 30)])
    just_inside = offset(EAST_EDGE_MIDDLE, east_m=-1)
    assert index.tag(*just_inside, 30).site_id == 1
    just_inside_neighbour = offset(EAST_EDGE_MIDDLE, east_m=3)
    assert index.tag(*just_inside_neighbour, 30).site_id == 2


def test_nearest_outline_wins_when_outside_both():
    west = box(100.5000, 13.8610, 100.5050, 13.8630)
    index = SiteIndex.build([SiteShape(1, "East", SQUARE, 30), SiteShape(2, "West", west, 30)])
    between = offset((100.5050, 13.8620), east_m=12)  # 12 m from West, ~1 km from East
    assert index.tag(*between, 30) == SiteMatch(2, "West", pytest.approx(12.0, abs=0.05))
    close_to_east = offset(EAST_EDGE_MIDDLE, east_m=8)
    assert index.tag(*close_to_east, 30).site_id == 1


def test_smaller_site_wins_inside_nested_sites_then_lower_id():
    campus = box(100.5100, 13.8600, 100.5150, 13.8640)
    building = box(100.5120, 13.8615, 100.5130, 13.8625)
    index = SiteIndex.build(
        [SiteShape(1, "Campus", campus, 30), SiteShape(2, "Building", building, 30), SiteShape(7, "Copy", building, 30)]
    )
    assert index.tag(100.5125, 13.8620, 5).site_id == 2
    assert index.tag(100.5105, 13.8605, 5).site_id == 1
    assert index.tag_many([100.5125, 100.5105], [13.8620, 13.8605], 5).tolist() == [2, 1]


def test_demo_site_tags_its_own_compound():
    feature = load_demo_site_geojson()
    site = SiteShape.from_geojson(
        site_id=1, name=feature["properties"]["name"], geojson=feature, tolerance_m=feature["properties"]["tolerance_m"]
    )
    index = SiteIndex.build([site])
    assert index.tag(100.5127, 13.8617, 10).name == "MOC-OPS"
    assert index.tag(100.5200, 13.8617, 10) is None


def random_sites(rng, count):
    """Sites of 50-400 m, some overlapping, a few MultiPolygons, in three far-apart towns."""
    towns = [(100.51, 13.86), (98.98, 18.79), (100.47, 7.01)]
    sites = []
    for site_id in range(count):
        lon0, lat0 = towns[site_id % 3]
        parts = []
        for _ in range(2 if site_id % 5 == 0 else 1):
            lon = lon0 + rng.uniform(-0.02, 0.02)
            lat = lat0 + rng.uniform(-0.02, 0.02)
            half = rng.uniform(0.00025, 0.002)
            parts.append(box(lon - half, lat - half * 0.8, lon + half, lat + half * 0.8))
        geometry = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        if not geometry.is_valid:
            geometry = parts[0]
        tolerance = [None, 0.0, 10.0, 30.0, 60.0][site_id % 5]
        sites.append(SiteShape(site_id=site_id + 100, name=f"S{site_id}", geometry=geometry, tolerance_m=tolerance))
    return sites


def test_batch_gives_the_same_sites_as_single_calls():
    rng = np.random.default_rng(7)
    index = SiteIndex.build(random_sites(rng, 60), default_tolerance_m=25)
    towns = np.array([(100.51, 13.86), (98.98, 18.79), (100.47, 7.01)])
    which = rng.integers(0, 3, 20_000)
    lons = towns[which, 0] + rng.uniform(-0.025, 0.025, which.size)
    lats = towns[which, 1] + rng.uniform(-0.025, 0.025, which.size)
    accuracies = rng.choice([0.0, 5.0, 20.0, 45.0, 80.0, np.nan], which.size)
    batch = index.tag_many(lons, lats, accuracies)
    single = [
        (m.site_id if (m := index.tag(lon, lat, None if np.isnan(a) else a)) else NO_SITE)
        for lon, lat, a in zip(lons.tolist(), lats.tolist(), accuracies.tolist())
    ]
    assert batch.dtype == np.int64
    assert batch.tolist() == single
    # The sample must exercise all cases: off-site, on-site, and points that reach several sites.
    assert (batch == NO_SITE).sum() > 1000 and (batch != NO_SITE).sum() > 1000
    assert len(set(batch.tolist())) > 40


def test_tag_many_edge_inputs():
    index = square_index(30)
    assert index.tag_many([], [], []).shape == (0,)
    result = index.tag_many([np.nan, 100.5125, 200.0], [13.862, np.nan, 13.862], 10)
    assert result.tolist() == [NO_SITE, NO_SITE, NO_SITE]
    assert index.tag(float("nan"), 13.862, 10) is None
    with pytest.raises(ValueError):
        index.tag_many([100.5, 100.6], [13.8], 10)


def test_empty_index_tags_nothing():
    index = SiteIndex.build([])
    assert len(index) == 0
    assert index.tag(100.5125, 13.862, 30) is None
    assert index.tag_many([100.5125], [13.862], [30]).tolist() == [NO_SITE]


def test_bad_site_records_are_rejected():
    with pytest.raises(ValueError, match="unique"):
        SiteIndex.build([SiteShape(1, "a", SQUARE), SiteShape(1, "b", SQUARE)])
    with pytest.raises(GeometryError) as caught:
        SiteShape(1, "a", SQUARE, tolerance_m=-1)
    assert caught.value.code == "tolerance_invalid"
    with pytest.raises(GeometryError) as caught:
        SiteShape(1, "a", parse_site_geometry({"type": "Polygon", "coordinates": [list(SQUARE.exterior.coords)]}).boundary)
    assert caught.value.code == "geometry_wrong_type"


def test_site_lookup_by_id():
    index = square_index(30)
    assert index.site(1).name == "MOC-OPS"
    with pytest.raises(KeyError):
        index.site(2)
