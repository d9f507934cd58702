"""The fake camera: Chromium's getUserMedia shows a test face photo, fed from a .y4m made with Pillow,
and the project's face detector finds that face, where the photo has it, in the captured frame."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from playwright.sync_api import Error as PlaywrightError

from face.detection import find_faces
from face.weights import LANDMARK_WEIGHTS, packaged_weights_dir
from tests.support.browser import SCREENSHOTS
from tests.support.fake_camera import FACES, camera_frame, fake_camera_video, grab_camera_frame

WIDTH, HEIGHT = 480, 640


@pytest.fixture(scope="module")
def detect():
    """dlib's HOG detector and 68 landmarks, through face.detection as the face worker uses them."""
    import dlib

    detector = dlib.get_frontal_face_detector()
    landmarker = dlib.shape_predictor(str(packaged_weights_dir() / LANDMARK_WEIGHTS))
    return lambda image_bgr: find_faces(image_bgr, detector=detector, landmarker=landmarker)


def _decode(png: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_COLOR)


def test_the_y4m_holds_seconds_of_i420_frames_of_the_photo():
    video = fake_camera_video("obama.jpg", width=WIDTH, height=HEIGHT, fps=15, seconds=3)
    data = video.read_bytes()
    header, _, rest = data.partition(b"\n")
    assert header == f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F15:1 Ip A1:1 C420jpeg".encode()
    frame_size = len(b"FRAME\n") + WIDTH * HEIGHT * 3 // 2
    assert len(rest) == 45 * frame_size
    assert rest[:6] == b"FRAME\n" and rest[frame_size:frame_size + 6] == b"FRAME\n"


def test_get_user_media_shows_the_face_photo(camera_browser, new_context, app_url, detect):
    phone = new_context("phone", browser=camera_browser("obama.jpg"))
    png = grab_camera_frame(phone.new_page(), app_url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "test_fake_camera-captured-frame.png").write_bytes(png)
    frame = _decode(png)
    assert frame.shape[:2] == (HEIGHT, WIDTH)
    seen = detect(frame)
    assert len(seen) == 1, f"{len(seen)} faces in the camera frame"
    expected = detect(np.asarray(camera_frame(FACES / "obama.jpg", width=WIDTH, height=HEIGHT))[:, :, ::-1].copy())
    assert len(expected) == 1
    got, want = seen[0].box, expected[0].box
    # The same face at the same place: the video path (I420, scaling) moves the box by a few pixels only.
    assert abs(got.x - want.x) <= 12 and abs(got.y - want.y) <= 12
    assert abs(got.w - want.w) <= 12 and abs(got.h - want.h) <= 12


def test_chromiums_own_test_pattern_has_no_face(camera_browser, new_context, app_url, detect):
    """The check above can fail: without our video Chromium shows its synthetic pattern."""
    phone = new_context("phone", browser=camera_browser(None))
    frame = _decode(grab_camera_frame(phone.new_page(), app_url))
    assert frame.shape[0] > 0 and detect(frame) == []


def test_without_a_fake_camera_get_user_media_finds_no_camera(phone, app_url):
    with pytest.raises(PlaywrightError, match="NotFoundError"):
        grab_camera_frame(phone.new_page(), app_url)
