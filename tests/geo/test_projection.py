"""The local metric frame agrees with geodesic distances on the WGS84 ellipsoid."""
import math

import numpy as np
import pytest
from geopy.distance import geodesic
from shapely.geometry import Point, box

from geo import LocalProjection

MOC = (100.5125, 13.8620)  # lon, lat


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 200, 290])
@pytest.mark.parametrize("metres", [20, 300, 2000])
def test_distance_in_the_frame_matches_geodesic(bearing, metres):
    frame = LocalProjection.around(lon=MOC[0], lat=MOC[1])
    target = geodesic(meters=metres).destination((MOC[1], MOC[0]), bearing)
    x, y = frame.to_metres(target.longitude, target.latitude)
    assert math.hypot(x, y) == pytest.approx(metres, rel=2e-4)
    assert math.degrees(math.atan2(x, y)) % 360 == pytest.approx(bearing, abs=0.05)


def test_to_degrees_inverts_to_metres_on_arrays():
    frame = LocalProjection.around(lon=99.0, lat=18.8)
    lons = np.array([98.99, 99.0, 99.013])
    lats = np.array([18.79, 18.8, 18.805])
    back = frame.to_degrees(*frame.to_metres(lons, lats))
    np.testing.assert_allclose(back, (lons, lats), atol=1e-12)


def test_projected_geometry_has_metric_size():
    site = box(100.51, 13.86, 100.52, 13.87)
    metric = LocalProjection.for_geometry(site).project(site)
    width = geodesic((13.865, 100.51), (13.865, 100.52)).meters
    height = geodesic((13.86, 100.515), (13.87, 100.515)).meters
    minx, miny, maxx, maxy = metric.bounds
    assert maxx - minx == pytest.approx(width, rel=1e-4)
    assert maxy - miny == pytest.approx(height, rel=1e-4)
    assert metric.centroid.distance(Point(0, 0)) < 1e-6
