"""Cheap images stay cheap (issue 11): a tiny PNG of huge dimensions, and photo checks piling up."""
import io
import time

import pytest
from PIL import Image

from engine.face_checks.photo_gate import photo_check_turn
from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.selfies import PUNCH_FIELDS, set_profile_photo
from tests.support.settings import make_settings


def six_kb_png_of_7200_squared() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (7_200, 7_200)).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    assert len(data) < 8_000  # the attacker's upload costs nothing to send
    return data


def test_tiny_png_of_7200_by_7200_pixels_is_refused_before_it_is_decoded(api, demo_org):
    client, bomb = api.login("employee1"), six_kb_png_of_7200_squared()
    reply = set_profile_photo(client, bomb, filename="photo.png")
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "photo_too_many_pixels"
    assert "7200×7200" in reply.json()["detail"]  # refused by the check made before decoding

    selfie = client.post("/api/punches", data=PUNCH_FIELDS,
                         files={"selfie": ("selfie.png", bomb, "image/png")})
    assert selfie.status_code == 422 and selfie.json()["code"] == "photo_too_many_pixels"


def test_large_jpeg_is_still_accepted_because_it_is_decoded_small(api, demo_org):
    buffer = io.BytesIO()
    Image.new("RGB", (7_200, 7_200), (128, 128, 128)).save(buffer, format="JPEG", quality=50)
    reply = set_profile_photo(api.login("employee1"), buffer.getvalue(), filename="photo.jpg")
    # Decoded at 1/8 scale, it reaches the face rules (and fails them: there is no face), not the pixel cap.
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "profile_photo_rejected"


@pytest.fixture(scope="module")
def impatient_app(database_url):
    with serving(make_settings(database_url, face_max_concurrent_checks=1, face_check_wait_seconds=0.5)) as server:
        yield server


@pytest.mark.parametrize("path", ["/api/me/profile-photo", "/api/punches"])
def test_photo_check_beyond_the_concurrent_limit_is_refused_with_retry_after(impatient_app, demo_org, path):
    settings = impatient_app.app.extensions["opsta"].settings
    client = ApiClient(impatient_app.url).login("employee1")
    photo = {"photo" if "profile" in path else "selfie": ("p.png", six_kb_png_of_7200_squared(), "image/png")}
    send = client.put if "profile" in path else client.post
    held = [photo_check_turn(settings=settings) for _ in range(settings.face_max_concurrent_checks)]
    for turn in held:  # every turn of the app's process is taken (the test server runs in this process)
        turn.__enter__()
    try:
        started = time.perf_counter()
        reply = send(path, data=PUNCH_FIELDS if path == "/api/punches" else None, files=photo)
        assert reply.status_code == 503, reply.text
        assert reply.json()["code"] == "photo_checks_busy"
        assert int(reply.headers["Retry-After"]) >= 1
        assert time.perf_counter() - started >= settings.face_check_wait_seconds * 0.9
    finally:
        for turn in held:
            turn.__exit__(None, None, None)
    assert send(path, data=PUNCH_FIELDS if path == "/api/punches" else None,
                files=photo).json()["code"] == "photo_too_many_pixels"
