import threading

import cv2
import numpy as np
import pytest

from face.advice import REASON_CODES
from face.model import FaceModelsThreadError, NoFaceFound, face_models
from face.verification import verify_selfie
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


@pytest.fixture
def verify(models, face_config, obama_profile):
    def run(selfie: bytes, prior=(), profile_embedding="obama"):
        embedding = obama_profile.embedding if profile_embedding == "obama" else profile_embedding
        verdict = verify_selfie(
            selfie=selfie,
            profile_embedding=embedding,
            prior=list(prior),
            config=face_config,
            models=models,
        )
        assert set(verdict.reason_codes) <= REASON_CODES
        assert all(r.advice_th and r.advice_en for r in verdict.reasons)
        return verdict

    return run


def test_same_person_is_verified(verify, face_config):
    verdict = verify(photo_bytes("obama2.jpg"))
    assert verdict.status == "verified", verdict.reason_codes
    assert verdict.reasons == []
    assert 0 < verdict.distance < verdict.threshold == face_config.threshold
    assert len(verdict.fingerprint.embedding) == 128


def test_other_person_is_rejected_as_mismatch(verify):
    verdict = verify(photo_bytes("biden.jpg"))
    assert verdict.status == "rejected"
    assert verdict.reason_codes == ["mismatch"]
    assert verdict.distance > verdict.threshold


def test_two_people_are_refused_not_best_matched(verify):
    image = side_by_side(photo_image("obama2.jpg"), photo_image("biden.jpg"))
    verdict = verify(jpeg(image))
    assert verdict.status == "rejected"
    assert verdict.reason_codes == ["multiple_faces"]
    assert verdict.distance is None


def test_blank_image_has_no_face(verify):
    verdict = verify(jpeg(np.full((480, 360, 3), 128, np.uint8)))
    assert verdict.status == "rejected"
    assert "no_face" in verdict.reason_codes


def test_dark_selfie_is_too_dark(verify):
    verdict = verify(jpeg(darkened(photo_image("obama2.jpg"))))
    assert "too_dark" in verdict.reason_codes and verdict.status == "rejected"


def test_blurred_selfie_is_blurred(verify):
    verdict = verify(jpeg(blurred(photo_image("obama2.jpg"))))
    assert "blurred" in verdict.reason_codes and verdict.status == "rejected"


def test_tilted_selfie_is_not_frontal(verify):
    verdict = verify(jpeg(rotated(photo_image("obama2.jpg"), 30)))
    assert "not_frontal" in verdict.reason_codes


def test_distant_selfie_is_face_too_small(verify):
    verdict = verify(jpeg(shrunk_into_frame(photo_image("obama2.jpg"), 0.25, 200)))
    assert "face_too_small" in verdict.reason_codes


def test_no_profile_photo(verify):
    verdict = verify(photo_bytes("obama2.jpg"), profile_embedding=None)
    assert verdict.status == "rejected"
    assert verdict.reason_codes == ["no_profile_photo"]


def test_same_selfie_twice_is_a_replay(verify):
    first = verify(photo_bytes("obama3.jpg"))
    assert first.status == "verified"
    second = verify(photo_bytes("obama3.jpg"), prior=[first.fingerprint])
    assert second.status == "rejected"
    assert second.reason_codes == ["replayed_selfie"]
    assert second.replay_signal == "sha256"


def test_re_encoded_and_rescaled_selfie_is_a_replay(verify):
    first = verify(photo_bytes("obama2.jpg"))
    image = photo_image("obama2.jpg")
    copy = cv2.resize(image, None, fx=0.85, fy=0.85, interpolation=cv2.INTER_AREA)
    second = verify(jpeg(copy, quality=75), prior=[first.fingerprint])
    assert second.reason_codes == ["replayed_selfie"]
    assert second.replay_signal in {"phash", "embedding"}


def test_near_identical_face_is_a_replay_even_if_the_picture_differs(verify):
    # An old selfie with the background below the face painted over: bytes and pHash change,
    # the face and so its embedding do not.
    first = verify(photo_bytes("obama2.jpg"))
    edited = photo_image("obama2.jpg")
    edited[int(edited.shape[0] * 0.6) :, :] = (40, 160, 40)
    second = verify(jpeg(edited, quality=95), prior=[first.fingerprint])
    assert second.reason_codes == ["replayed_selfie"]
    assert second.replay_signal == "embedding"


def test_profile_photo_sent_as_selfie_is_a_replay(verify, obama_profile):
    verdict = verify(photo_bytes("obama.jpg"), prior=[obama_profile.fingerprint])
    assert verdict.reason_codes == ["replayed_selfie"]


def test_other_photos_of_the_same_person_are_not_replays(verify, obama_profile):
    earlier = verify(photo_bytes("obama2.jpg"))
    verdict = verify(photo_bytes("obama3.jpg"), prior=[obama_profile.fingerprint, earlier.fingerprint])
    assert verdict.status == "verified", verdict.reason_codes


def test_deepface_no_face_error_maps_to_no_face_found(models):
    with pytest.raises(NoFaceFound):
        models.embed(np.full((200, 200, 3), 128, np.uint8))


def test_models_refuse_a_second_thread(models, face_config):
    errors = []

    def use_from_other_thread():
        try:
            models.detect(np.full((64, 64, 3), 128, np.uint8))
        except FaceModelsThreadError as exc:
            errors.append(exc)
        try:
            face_models(face_config)
        except FaceModelsThreadError as exc:
            errors.append(exc)

    worker = threading.Thread(target=use_from_other_thread)
    worker.start()
    worker.join()
    assert len(errors) == 2
    assert face_models(face_config) is models  # loaded once, reused by its own thread
