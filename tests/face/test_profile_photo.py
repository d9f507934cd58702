import io

import cv2
import pytest
from PIL import Image

from face.config import FaceConfig
from face.profile_photo import check_profile_photo
from tests.support.photos import (
    blurred,
    darkened,
    jpeg,
    photo_bytes,
    photo_image,
    rotated,
    shrunk_into_frame,
    side_by_side,
)

pytestmark = pytest.mark.slow  # loads the real face model (once per session)


def failed_names(result) -> set[str]:
    return {check.name for check in result.checks if not check.passed}


def test_good_photo_is_accepted_with_embedding_and_device_variant(obama_profile):
    result = obama_profile
    assert result.accepted
    assert failed_names(result) == set()
    assert {c.name for c in result.checks} == {
        "one_face", "face_large_enough", "level_head", "facing_camera", "bright_enough",
        "not_overexposed", "contrast", "sharp", "face_uncovered",
    }
    assert len(result.embedding) == 128 and all(isinstance(v, float) for v in result.embedding)
    assert result.fingerprint.embedding == result.embedding
    box = result.face_box
    assert 0 < box.x < box.x + box.w <= result.analysed_size[0]


def test_device_variant_is_small_square_jpeg(obama_profile):
    data = obama_profile.device_jpeg
    assert len(data) < 20_000
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert picture.size == (300, 300)


def check(models, config, image, **overrides):
    config = FaceConfig(**{**config.__dict__, **overrides}) if overrides else config
    return check_profile_photo(photo=jpeg(image), config=config, models=models)


def test_each_failed_check_has_value_limit_and_advice_in_both_languages(models, face_config):
    result = check(models, face_config, darkened(photo_image("obama.jpg")))
    dark = next(c for c in result.checks if c.name == "bright_enough")
    assert not dark.passed
    assert dark.value < dark.limit == face_config.min_brightness
    assert "dark" in dark.advice_en
    assert "มืด" in dark.advice_th


def test_small_face_share_fails(models, face_config):
    result = check(models, face_config, shrunk_into_frame(photo_image("obama2.jpg"), 0.3, 150))
    assert not result.accepted
    assert failed_names(result) >= {"face_large_enough"}
    assert result.embedding is None and result.device_jpeg is None


def test_tilted_head_fails_roll(models, face_config):
    result = check(models, face_config, rotated(photo_image("obama.jpg"), 25))
    assert "level_head" in failed_names(result)
    roll = next(c for c in result.checks if c.name == "level_head")
    assert 20 < abs(roll.value) < 30


def test_turned_head_fails_yaw(models, face_config):
    # obama2.jpg is turned roughly 20° to the side; obama.jpg looks straight at the camera.
    strict = {"max_yaw_degrees": 10.0}
    assert "facing_camera" in failed_names(check(models, face_config, photo_image("obama2.jpg"), **strict))
    assert "facing_camera" not in failed_names(check(models, face_config, photo_image("obama.jpg"), **strict))


def test_dark_photo_fails(models, face_config):
    assert "bright_enough" in failed_names(check(models, face_config, darkened(photo_image("obama.jpg"))))


def test_overexposed_photo_fails(models, face_config):
    image = cv2.convertScaleAbs(photo_image("obama.jpg"), alpha=1.8, beta=60)
    assert "not_overexposed" in failed_names(check(models, face_config, image))


def test_low_contrast_photo_fails(models, face_config):
    image = cv2.convertScaleAbs(photo_image("obama.jpg"), alpha=0.25, beta=96)
    assert "contrast" in failed_names(check(models, face_config, image))


def test_blurred_photo_fails(models, face_config):
    assert "sharp" in failed_names(check(models, face_config, blurred(photo_image("obama.jpg"))))


def test_two_faces_fail(models, face_config):
    image = side_by_side(photo_image("obama.jpg"), photo_image("biden.jpg"))
    result = check(models, face_config, image)
    one_face = result.checks[0]
    assert one_face.name == "one_face" and not one_face.passed and one_face.value == 2
    assert not result.accepted


def test_blank_image_has_no_face(models, face_config):
    result = check(models, face_config, photo_image("obama.jpg") * 0 + 128)
    assert result.checks[0].value == 0 and not result.accepted


def covered_nose_and_mouth(models, image, colour):
    points = models.detect(image)[0].landmarks[list(range(31, 36)) + list(range(48, 68))]
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    covered = image.copy()
    cv2.rectangle(covered, (int(x0) - 4, int(y0) - 4), (int(x1) + 4, int(y1) + 4), colour, -1)
    return covered


@pytest.mark.parametrize("colour", [(128, 128, 128), (235, 215, 180)])  # grey card, blue mask
def test_covered_nose_and_mouth_fails(models, face_config, colour):
    from face.intake import read_photo

    analysed = read_photo(photo_bytes("obama.jpg"), config=face_config, max_side=480)
    result = check(models, face_config, covered_nose_and_mouth(models, analysed, colour))
    assert "face_uncovered" in failed_names(result)
    assert failed_names(result) == {"face_uncovered"}


@pytest.mark.parametrize("name", ["obama2.jpg", "obama3.jpg", "biden.jpg"])
def test_other_real_photos_are_not_flagged_as_covered(models, face_config, name):
    result = check_profile_photo(photo=photo_bytes(name), config=face_config, models=models)
    assert "face_uncovered" not in failed_names(result)
