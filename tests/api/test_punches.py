"""Recording phone punches: geofence, idempotency, offline sync, spoofing flags, history and details."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

INSIDE = {"latitude": 13.8620, "longitude": 100.5125}
# The demo outline's west edge runs along longitude 100.51135; one metre of longitude is about
# 1 / 108,080 degrees at this latitude.
WEST_EDGE = 100.51135
METRE_LON = 1 / 108_080


def punch_body(**overrides):
    body = {"direction": "in", "accuracy_m": 10, **INSIDE}
    body.update(overrides)
    return body


def now_utc():
    return datetime.now(timezone.utc)


def test_punch_inside_the_office_is_tagged_to_the_site(api, moc_site):
    reply = api.login("employee1").post("/api/punches", json=punch_body(note="check in"))
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["source"] == "gps" and body["direction"] == "in"
    assert body["location_kind"] == "office"
    assert body["site"] == {"id": moc_site["id"], "name": "MOC-OPS"}
    assert body["place_label"] == "MOC-OPS"
    assert body["flags"] == [] and body["offline"] is False
    assert body["verification"] == {"status": "not_required"}


@pytest.mark.parametrize("metres_outside, accuracy, expected", [
    (20, 25, "office"),    # the outline grows by the accuracy (25 m) and reaches the point
    (20, 10, "offsite"),   # 10 m of growth does not reach 20 m out
    (45, 100, "offsite"),  # growth is capped by the site's 30 m tolerance
    (25, 100, "office"),   # ... which still reaches 25 m out
])
def test_accuracy_near_the_edge(api, moc_site, metres_outside, accuracy, expected):
    body = punch_body(longitude=WEST_EDGE - metres_outside * METRE_LON, latitude=13.8620, accuracy_m=accuracy)
    reply = api.login("employee1").post("/api/punches", json=body)
    assert reply.status_code == 201
    assert reply.json()["location_kind"] == expected


def test_offsite_punch_is_labelled_with_the_phone_address_then_coordinates(api, moc_site):
    client = api.login("employee1")
    with_address = client.post("/api/punches", json=punch_body(
        latitude=13.6900, longitude=100.4800, address="แขวงบางขุนเทียน เขตจอมทอง กรุงเทพมหานคร", note="check in WFH"))
    assert with_address.json()["location_kind"] == "offsite"
    assert with_address.json()["site"] is None
    assert with_address.json()["place_label"] == "แขวงบางขุนเทียน เขตจอมทอง กรุงเทพมหานคร"
    bare = client.post("/api/punches", json=punch_body(latitude=13.69, longitude=100.48, direction="out"))
    assert bare.json()["place_label"] == "13.69000, 100.48000"


def test_retry_with_the_same_idempotency_key_returns_the_same_punch(api, moc_site):
    client = api.login("employee1")
    key = str(uuid.uuid4())
    first = client.post("/api/punches", json=punch_body(), headers={"Idempotency-Key": key})
    again = client.post("/api/punches", json=punch_body(), headers={"Idempotency-Key": key})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert client.get("/api/me/punches").json()["total"] == 1


def test_same_key_with_a_different_body_is_409(api, moc_site):
    client = api.login("employee1")
    key = str(uuid.uuid4())
    assert client.post("/api/punches", json=punch_body(), headers={"Idempotency-Key": key}).status_code == 201
    clash = client.post("/api/punches", json=punch_body(direction="out"), headers={"Idempotency-Key": key})
    assert clash.status_code == 409
    assert clash.json()["code"] == "idempotency_key_reused"


def test_idempotency_keys_are_per_employee_and_must_be_uuids(api, moc_site):
    key = str(uuid.uuid4())
    assert api.login("employee1").post("/api/punches", json=punch_body(), headers={"Idempotency-Key": key}).status_code == 201
    assert api.login("employee2").post("/api/punches", json=punch_body(), headers={"Idempotency-Key": key}).status_code == 201
    bad = api.login("employee1").post("/api/punches", json=punch_body(), headers={"Idempotency-Key": "abc"})
    assert bad.status_code == 422 and bad.json()["code"] == "idempotency_key_invalid"


def test_offline_punch_inside_the_window_counts_at_its_client_time(api, moc_site):
    client_time = (now_utc() - timedelta(hours=5)).replace(microsecond=0)
    reply = api.login("employee1").post("/api/punches", json=punch_body(client_time=client_time.isoformat()))
    assert reply.status_code == 201
    body = reply.json()
    assert body["offline"] is True
    assert datetime.fromisoformat(body["effective_at"]) == client_time
    assert datetime.fromisoformat(body["recorded_at"]) > client_time


def test_offline_punches_are_ordered_by_client_time(api, moc_site):
    client = api.login("employee1")
    early = (now_utc() - timedelta(hours=3)).isoformat()
    client.post("/api/punches", json=punch_body(direction="in"))
    client.post("/api/punches", json=punch_body(direction="out", client_time=early))
    items = client.get("/api/me/punches").json()["items"]
    assert [i["direction"] for i in items] == ["in", "out"]  # newest first: the synced OUT is older


def test_offline_punch_outside_the_window_is_refused(api, moc_site):
    old = (now_utc() - timedelta(hours=80)).isoformat()
    reply = api.login("employee1").post("/api/punches", json=punch_body(client_time=old))
    assert reply.status_code == 422 and reply.json()["code"] == "client_time_too_old"


def test_future_client_time_is_refused(api, moc_site):
    future = (now_utc() + timedelta(hours=1)).isoformat()
    reply = api.login("employee1").post("/api/punches", json=punch_body(client_time=future))
    assert reply.status_code == 422 and reply.json()["code"] == "client_time_in_future"


def test_client_time_without_offset_is_refused(api, moc_site):
    reply = api.login("employee1").post("/api/punches", json=punch_body(client_time="2026-01-01T08:00:00"))
    assert reply.status_code == 422 and "client_time" in reply.json()["errors"]


def test_mock_location_flag(api, moc_site):
    body = api.login("employee1").post("/api/punches", json=punch_body(is_mock=True)).json()
    assert body["flags"] == ["mock_location"]


def test_low_accuracy_flag(api, moc_site):
    body = api.login("employee1").post("/api/punches", json=punch_body(accuracy_m=450)).json()
    assert "low_accuracy" in body["flags"]


def test_impossible_travel_flag(api, moc_site):
    client = api.login("employee1")
    assert client.post("/api/punches", json=punch_body()).json()["flags"] == []
    chiang_mai = client.post("/api/punches", json=punch_body(direction="out", latitude=18.7883, longitude=98.9853))
    assert chiang_mai.status_code == 201
    assert chiang_mai.json()["flags"] == ["impossible_travel"]


def test_impossible_travel_compares_by_the_time_of_the_punch_not_its_arrival(api, moc_site):
    """Offline punches synced out of order: each is compared with its neighbours in time, on both sides."""
    client = api.login("employee1")
    hours_ago = lambda hours: (now_utc() - timedelta(hours=hours)).isoformat()  # noqa: E731
    chiang_mai = dict(latitude=18.7883, longitude=98.9853)
    first = client.post("/api/punches", json=punch_body(client_time=hours_ago(30), offline=True, **chiang_mai))
    later = client.post("/api/punches", json=punch_body(direction="out", client_time=hours_ago(2), offline=True))
    assert first.json()["flags"] == later.json()["flags"] == []  # 680 km in 28 hours
    # Made an hour after the Chiang Mai punch, in Bangkok, and synced last: by arrival it would be compared
    # with the Bangkok punch just before it (no move at all); by time, with Chiang Mai an hour earlier.
    synced_late = client.post("/api/punches", json=punch_body(client_time=hours_ago(29), offline=True))
    assert synced_late.status_code == 201 and synced_late.json()["flags"] == ["impossible_travel"]
    # And a punch whose next neighbour in time is far away is flagged too (the neighbour after it).
    before_chiang_mai = client.post("/api/punches", json=punch_body(client_time=hours_ago(30.5), offline=True))
    assert before_chiang_mai.json()["flags"] == ["impossible_travel"]
    # Synced late between two Bangkok punches, in Bangkok: nothing to flag.
    quiet = client.post("/api/punches", json=punch_body(direction="out", client_time=hours_ago(1), offline=True))
    assert quiet.json()["flags"] == []


def test_short_hop_is_not_impossible_travel(api, moc_site):
    client = api.login("employee1")
    client.post("/api/punches", json=punch_body())
    nearby = client.post("/api/punches", json=punch_body(direction="out", latitude=13.8650, longitude=100.5140))
    assert "impossible_travel" not in nearby.json()["flags"]


def test_clock_skew_flag_for_an_online_punch(api, moc_site):
    skewed = (now_utc() - timedelta(minutes=20)).isoformat()
    body = api.login("employee1").post("/api/punches", json=punch_body(client_time=skewed, offline=False)).json()
    assert body["flags"] == ["clock_skew"]
    assert body["offline"] is False


def test_note_length_is_limited(api, moc_site):
    reply = api.login("employee1").post("/api/punches", json=punch_body(note="x" * 501))
    assert reply.status_code == 422 and reply.json()["code"] == "note_too_long"


def test_history_is_newest_first_and_paginated(api, moc_site):
    client = api.login("employee1")
    ids = [client.post("/api/punches", json=punch_body(direction=d)).json()["id"] for d in ("in", "out", "in")]
    page1 = client.get("/api/me/punches", params={"page_size": 2}).json()
    page2 = client.get("/api/me/punches", params={"page_size": 2, "page": 2}).json()
    assert page1["total"] == 3
    assert [i["id"] for i in page1["items"] + page2["items"]] == ids[::-1]
    today = datetime.now(timezone(timedelta(hours=7))).date()
    none_before = client.get("/api/me/punches", params={"to": str(today - timedelta(days=1))}).json()
    assert none_before["total"] == 0
    # Another employee's history does not include these punches.
    assert api.login("employee2").get("/api/me/punches").json()["total"] == 0


def test_punch_details(api, moc_site):
    punch = api.login("employee1").post("/api/punches", json=punch_body(note="ประชุม", address="ห้อง 301")).json()
    detail = api.login("employee1").get(f"/api/punches/{punch['id']}").json()
    assert detail["employee"] == {"code": "100059150", "name_th": "นายกิตติพัฒน์ สุขประเสริฐ",
                                  "name_en": "Kittipat Sukprasert"}
    assert detail["note"] == "ประชุม" and detail["address"] == "ห้อง 301"
    assert detail["latitude"] == INSIDE["latitude"] and detail["accuracy_m"] == 10
    assert detail["site"]["name"] == "MOC-OPS"
    assert len(detail["time"]) == 5 and detail["date"]


def test_punches_cannot_be_changed_or_deleted_through_the_api(api, moc_site):
    owner, admin = api.login("employee1"), api.login("admin")
    punch = owner.post("/api/punches", json=punch_body(note="first")).json()
    for client in (owner, admin):
        for method in ("put", "patch", "delete"):
            reply = getattr(client, method)(f"/api/punches/{punch['id']}", json=punch_body(note="changed"))
            assert reply.status_code == 405 and reply.json()["code"] == "method_not_allowed"
    assert owner.get(f"/api/punches/{punch['id']}").json()["note"] == "first"
    assert owner.get("/api/me/punches").json()["total"] == 1


@pytest.mark.parametrize("viewer, status", [
    ("employee1", 200), ("supervisor", 200), ("director", 200), ("hr", 200), ("admin", 200),
    ("employee2", 404), ("analyst", 404), ("device_admin", 404),
])
def test_who_may_read_a_punch(api, moc_site, viewer, status):
    punch_id = api.login("employee1").post("/api/punches", json=punch_body()).json()["id"]
    assert api.login(viewer).get(f"/api/punches/{punch_id}").status_code == status


def test_unknown_and_forbidden_punch_ids_look_the_same(api, moc_site):
    punch_id = api.login("employee1").post("/api/punches", json=punch_body()).json()["id"]
    stranger = api.login("employee2")
    forbidden, missing = stranger.get(f"/api/punches/{punch_id}"), stranger.get("/api/punches/987654")
    strip = lambda b: {k: v for k, v in b.items() if k != "instance"}  # noqa: E731
    assert strip(forbidden.json()) == strip(missing.json())
