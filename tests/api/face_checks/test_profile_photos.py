"""PUT /api/me/profile-photo: every quality rule, upload limits, history, the device variant and access."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from engine.models import ProfilePhoto
from face.config import FaceConfig
from face.intake import read_photo
from tests.support.photos import (blurred, darkened, jpeg, photo_bytes, photo_image, rotated, shrunk_into_frame,
                               side_by_side)
from tests.support.selfies import set_profile_photo

pytestmark = pytest.mark.slow  # the real face model

PROBLEM = "application/problem+json"


def turned_to_the_side(image):
    """One half of the face stretched: the landmarks of a head turned about 30° away."""
    half = image.shape[1] // 2
    right = cv2.resize(image[:, half:], ((image.shape[1] - half) * 2, image.shape[0]))
    return np.hstack([image[:, :half], right])


def covered_nose_and_mouth(image):
    """A grey card over the nose and mouth, placed with dlib's own 68 landmarks."""
    import os

    import dlib

    from face.weights import LANDMARK_WEIGHTS, weights_dir

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    box = dlib.get_frontal_face_detector()(gray, 1)[0]
    predictor = dlib.shape_predictor(str(weights_dir(os.environ["DEEPFACE_HOME"]) / LANDMARK_WEIGHTS))
    shape = predictor(gray, box)
    points = np.array([(shape.part(i).x, shape.part(i).y) for i in list(range(31, 36)) + list(range(48, 68))])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    covered = image.copy()
    cv2.rectangle(covered, (int(x0) - 4, int(y0) - 4), (int(x1) + 4, int(y1) + 4), (128, 128, 128), -1)
    return covered


def analysed(name):
    return read_photo(photo_bytes(name), config=FaceConfig(), max_side=480)


BAD_PHOTOS = {
    "one_face": lambda: side_by_side(photo_image("obama.jpg"), photo_image("biden.jpg")),
    "face_large_enough": lambda: shrunk_into_frame(photo_image("obama2.jpg"), 0.3, 150),
    "level_head": lambda: rotated(photo_image("obama.jpg"), 25),
    "facing_camera": lambda: turned_to_the_side(analysed("obama2.jpg")),
    "bright_enough": lambda: darkened(photo_image("obama.jpg")),
    "not_overexposed": lambda: cv2.convertScaleAbs(photo_image("obama.jpg"), alpha=1.8, beta=60),
    "contrast": lambda: cv2.convertScaleAbs(photo_image("obama.jpg"), alpha=0.25, beta=96),
    "sharp": lambda: blurred(photo_image("obama.jpg")),
    "face_uncovered": lambda: covered_nose_and_mouth(analysed("obama.jpg")),
}


@pytest.mark.parametrize("check", sorted(BAD_PHOTOS))
def test_each_check_fails_on_a_fitting_photo_with_advice(api, demo_org, check):
    client = api.login("employee1")
    reply = set_profile_photo(client, jpeg(BAD_PHOTOS[check]()))
    assert reply.status_code == 422, reply.text
    assert reply.headers["Content-Type"].startswith(PROBLEM)
    body = reply.json()
    assert body["code"] == "profile_photo_rejected"
    failed = {item["name"]: item for item in body["failed_checks"]}
    assert check in failed
    item = failed[check]
    assert item["passed"] is False and isinstance(item["value"], (int, float)) and "limit" in item
    assert item["advice_th"] and item["advice_en"]
    assert {c["name"] for c in body["checks"]} >= set(failed)
    assert client.get("/api/me/profile-photo").status_code == 404  # nothing stored


def test_accepted_photo_is_stored_with_checks_and_history(api, demo_org, session_factory):
    client = api.login("employee1")
    assert client.get("/api/me").json()["profile_photo_age_days"] is None
    first = set_profile_photo(client, photo_bytes("obama.jpg"))
    assert first.status_code == 200, first.text
    checks = first.json()["checks"]
    assert len(checks) == 9 and all(c["passed"] for c in checks)
    assert all({"name", "value", "limit", "advice_th", "advice_en"} <= set(c) for c in checks)

    second = set_profile_photo(client, photo_bytes("obama3.jpg"))
    assert second.status_code == 200
    current = client.get("/api/me/profile-photo").json()
    assert current["id"] == second.json()["id"] and current["age_days"] == 0 and current["set_at"]
    image = client.get(current["image_url"])
    assert image.status_code == 200 and image.content == photo_bytes("obama3.jpg")
    assert image.headers["Content-Type"] == "image/jpeg"
    device = client.get(current["device_image_url"])
    assert len(device.content) < 20_000 and Image.open(io.BytesIO(device.content)).size == (300, 300)
    assert client.get("/api/me").json()["profile_photo_age_days"] == 0

    with session_factory() as session:
        photos = session.scalars(select(ProfilePhoto).order_by(ProfilePhoto.id)).all()
        assert [p.current for p in photos] == [False, True]
        assert len(photos[1].embedding) == 128 and photos[1].model_name == "Dlib"
        assert photos[1].sha256 and photos[1].phash


@pytest.mark.parametrize("data, status, code", [
    (b"GIF89a" + b"\0" * 100, 422, "photo_type_unsupported"),
    (b"\xff\xd8\xff" + b"\0" * 8_000_000, 413, "photo_too_large"),
    (b"\xff\xd8\xff" + b"not really a jpeg", 422, "photo_unreadable"),
])
def test_unusable_uploads_are_refused_before_any_model_runs(api, demo_org, data, status, code):
    reply = set_profile_photo(api.login("employee1"), data, filename="photo.jpg")
    assert reply.status_code == status, reply.text
    assert reply.json()["code"] == code


def test_decompression_bomb_is_refused_from_its_header(api, demo_org):
    buffer = io.BytesIO()
    Image.new("L", (10_000, 6_000)).save(buffer, format="PNG")  # 60 MP of zeros: small file, huge image
    reply = set_profile_photo(api.login("employee1"), buffer.getvalue(), filename="photo.png")
    assert reply.status_code == 422 and reply.json()["code"] == "photo_too_many_pixels"


def test_missing_photo_field_is_422(api, demo_org):
    reply = api.login("employee1").put("/api/me/profile-photo", files={"other": ("x.jpg", b"x")})
    assert reply.status_code == 422


def test_photo_access_follows_the_punch_rules(api, demo_org):
    owner = api.login("employee1")
    assert set_profile_photo(owner, photo_bytes("obama.jpg")).status_code == 200
    code = demo_org["employee1"].code
    for viewer in ("employee1", "supervisor", "director", "hr", "admin"):
        client = api.login(viewer)
        meta = client.get(f"/api/employees/{code}/profile-photo")
        assert meta.status_code == 200, viewer
        assert client.get(meta.json()["image_url"]).content == photo_bytes("obama.jpg")
    stranger = api.login("employee2")
    for path in (f"/api/employees/{code}/profile-photo", f"/api/employees/{code}/profile-photo/image"):
        reply = stranger.get(path)
        assert reply.status_code == 404 and reply.headers["Content-Type"].startswith(PROBLEM)
    assert api.get(f"/api/employees/{code}/profile-photo/image").status_code == 401
