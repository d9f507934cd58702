"""The site admin API takes and returns GeoJSON, and explains a bad outline."""
import copy

import pytest

from geo import load_demo_site_geojson


def feature(coordinates, name="Annex", geometry_type="Polygon"):
    return {"type": "Feature", "geometry": {"type": geometry_type, "coordinates": coordinates},
            "properties": {"name": name, "tolerance_m": 20}}


SQUARE = [[[100.50, 13.85], [100.501, 13.85], [100.501, 13.851], [100.50, 13.851], [100.50, 13.85]]]


def test_admin_creates_reads_updates_and_retires_a_site(api, demo_org):
    admin = api.login("admin")
    created = admin.post("/api/sites", json=feature(SQUARE))
    assert created.status_code == 201
    site = created.json()
    assert site["type"] == "Feature" and site["properties"]["name"] == "Annex"
    assert site["geometry"]["type"] == "Polygon"
    moved = admin.put(f"/api/sites/{site['id']}", json={"properties": {"name": "Annex B", "tolerance_m": 5}})
    assert moved.status_code == 200 and moved.json()["properties"]["tolerance_m"] == 5
    listing = admin.get("/api/sites").json()
    assert listing["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in listing["features"]] == ["Annex B"]
    assert admin.delete(f"/api/sites/{site['id']}").status_code == 204
    assert admin.get("/api/sites").json()["features"] == []


def test_a_retired_site_no_longer_tags_punches(api, moc_site):
    admin = api.login("admin")
    admin.delete(f"/api/sites/{moc_site['id']}")
    body = api.login("employee1").post("/api/punches", json={"direction": "in", "latitude": 13.862,
                                                             "longitude": 100.5125, "accuracy_m": 5}).json()
    assert body["location_kind"] == "offsite"


def test_duplicate_site_name_is_409(api, moc_site):
    again = api.login("admin").post("/api/sites", json=copy.deepcopy(load_demo_site_geojson()))
    assert again.status_code == 409 and again.json()["code"] == "site_name_taken"


@pytest.mark.parametrize("coordinates, geometry_type, code", [
    ([[[100.50, 13.85], [100.501, 13.851], [100.501, 13.85], [100.50, 13.851], [100.50, 13.85]]],
     "Polygon", "geometry_invalid"),                                     # a bow tie crosses itself
    ([[[13.85, 100.50], [13.85, 100.501], [13.851, 100.501], [13.851, 100.50], [13.85, 100.50]]],
     "Polygon", "geometry_coordinate_order"),                            # [lat, lon] instead of [lon, lat]
    ([], "Polygon", "geometry_empty"),
    ([[100.5, 13.85]], "Point", "geometry_wrong_type"),
])
def test_bad_outlines_get_a_clear_422(api, demo_org, coordinates, geometry_type, code):
    reply = api.login("admin").post("/api/sites", json=feature(coordinates, geometry_type=geometry_type))
    assert reply.status_code == 422
    body = reply.json()
    assert body["code"] == code
    assert body["detail"]


def test_only_admins_manage_sites(api, demo_org):
    reply = api.login("hr").post("/api/sites", json=feature(SQUARE))
    assert reply.status_code == 403 and reply.json()["code"] == "role_required"
    assert api.login("employee1").get("/api/sites").status_code == 403
