"""Parsing site outlines from GeoJSON: what is accepted, and the error code for each mistake."""
import json

import pytest
from shapely.geometry import MultiPolygon, Polygon

from geo import THAILAND_BOUNDS, GeometryError, geometry_to_geojson, parse_site_geometry

SQUARE = [[100.51, 13.86], [100.52, 13.86], [100.52, 13.87], [100.51, 13.87], [100.51, 13.86]]
OTHER_SQUARE = [[100.60, 13.90], [100.61, 13.90], [100.61, 13.91], [100.60, 13.91], [100.60, 13.90]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def error_of(data, **kwargs) -> GeometryError:
    with pytest.raises(GeometryError) as caught:
        parse_site_geometry(data, **kwargs)
    return caught.value


def test_polygon_is_read_in_lon_lat_order():
    shape = parse_site_geometry(polygon(SQUARE))
    assert isinstance(shape, Polygon)
    assert shape.bounds == (100.51, 13.86, 100.52, 13.87)


def test_feature_feature_collection_and_json_text_are_accepted():
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": polygon(SQUARE)}
    collection = {"type": "FeatureCollection", "features": [feature]}
    for data in (feature, collection, json.dumps(feature)):
        assert parse_site_geometry(data).equals(Polygon(SQUARE))


def test_multipolygon_and_holes_survive_a_round_trip():
    hole = [[100.513, 13.863], [100.513, 13.865], [100.515, 13.865], [100.515, 13.863], [100.513, 13.863]]
    data = {"type": "MultiPolygon", "coordinates": [[SQUARE, hole], [OTHER_SQUARE]]}
    shape = parse_site_geometry(data)
    assert isinstance(shape, MultiPolygon)
    assert len(shape.geoms) == 2 and len(shape.geoms[0].interiors) == 1
    back = geometry_to_geojson(shape)
    assert back["type"] == "MultiPolygon"
    assert back["coordinates"][1][0][0] == [100.60, 13.90]
    assert parse_site_geometry(back).equals(shape)
    json.dumps(back)  # plain lists and floats only


def test_third_coordinate_is_dropped():
    ring = [[x, y, 4.0] for x, y in SQUARE]
    assert not parse_site_geometry(polygon(ring)).has_z


@pytest.mark.parametrize(
    "data, words",
    [
        ("{not json", "not valid JSON"),
        ([1, 2], "expected a GeoJSON object"),
        ({"coordinates": [SQUARE]}, "no \"type\""),
        ({"type": "Point", "coordinates": [100.5, 13.8]}, "'Point'"),
        ({"type": "LineString", "coordinates": SQUARE}, "'LineString'"),
        ({"type": "FeatureCollection", "features": []}, "exactly one Feature"),
        (polygon([[100.5, 13.8], "corner", [100.6, 13.9], [100.5, 13.8]]), "coordinates[0][1]"),
        ({"type": "Polygon", "coordinates": "nope"}, "must be a list"),
    ],
)
def test_not_geojson_or_wrong_type(data, words):
    error = error_of(data)
    assert error.code == "geometry_wrong_type"
    assert words in error.message


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Feature", "properties": {}, "geometry": None},
    ],
)
def test_empty_geometry(data):
    assert error_of(data).code == "geometry_empty"


def test_self_intersection_reports_reason_and_location():
    bowtie = [[100.51, 13.86], [100.52, 13.87], [100.52, 13.86], [100.51, 13.87], [100.51, 13.86]]
    error = error_of(polygon(bowtie))
    assert error.code == "geometry_invalid"
    assert "Self-intersection" in error.message
    assert error.location == pytest.approx((100.515, 13.865))
    assert "lon 100.515000, lat 13.865000" in error.message


def test_overlapping_multipolygon_parts_are_invalid():
    error = error_of({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]})
    assert error.code == "geometry_invalid"


def test_lat_lon_order_is_recognised():
    swapped = [[lat, lon] for lon, lat in SQUARE]
    error = error_of(polygon(swapped))
    assert error.code == "geometry_coordinate_order"
    assert "[lon, lat]" in error.message
    assert error.location == (100.51, 13.86)


def test_lat_lon_order_is_recognised_by_expected_bounds():
    # In central Europe both orders are legal world coordinates; only the expected area tells.
    europe = (10.0, 40.0, 20.0, 50.0)
    lat_lon = [[45.0, 15.0], [45.0, 15.01], [45.01, 15.01], [45.01, 15.0], [45.0, 15.0]]
    assert parse_site_geometry(polygon(lat_lon))  # accepted when no area is expected
    error = error_of(polygon(lat_lon), expected_bounds=europe)
    assert error.code == "geometry_coordinate_order"
    assert error.location == (15.0, 45.0)


def test_site_outside_expected_bounds():
    far = [[20.0, 10.0], [20.01, 10.0], [20.01, 10.01], [20.0, 10.01], [20.0, 10.0]]
    error = error_of(polygon(far), expected_bounds=THAILAND_BOUNDS)
    assert error.code == "geometry_outside_region"


def test_coordinates_out_of_range():
    ring = [[100.0, 13.0], [200.0, 13.0], [200.0, 14.0], [100.0, 14.0], [100.0, 13.0]]
    error = error_of(polygon(ring))
    assert error.code == "geometry_out_of_range"
    assert "[200.0, 13.0]" in error.message


def test_non_finite_coordinates_are_out_of_range():
    ring = [[100.0, 13.0], [float("nan"), 13.0], [101.0, 14.0], [100.0, 13.0]]
    assert error_of(polygon(ring)).code == "geometry_out_of_range"


def test_unclosed_ring():
    error = error_of(polygon(SQUARE[:-1]))
    assert error.code == "geometry_unclosed_ring"
    assert error.path == "coordinates[0]"
    assert "[100.51, 13.86]" in error.message and "[100.51, 13.87]" in error.message


@pytest.mark.parametrize(
    "ring", [[[100.51, 13.86], [100.52, 13.86]], [[100.51, 13.86], [100.52, 13.86], [100.51, 13.86]]]
)
def test_too_few_points(ring):
    error = error_of(polygon(ring))
    assert error.code == "geometry_too_few_points"
    assert "at least 4 positions" in error.message


def test_error_in_a_later_multipolygon_part_names_its_path():
    data = {"type": "MultiPolygon", "coordinates": [[SQUARE], [OTHER_SQUARE[:-1]]]}
    assert error_of(data).path == "coordinates[1][0]"


def test_site_inside_expected_bounds_passes():
    assert parse_site_geometry(polygon(SQUARE), expected_bounds=THAILAND_BOUNDS).is_valid
