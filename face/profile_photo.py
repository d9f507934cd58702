"""Check an employee's profile photo and produce what is stored when it is accepted."""
from __future__ import annotations

from dataclasses import dataclass

from face.config import FaceConfig
from face.detection import FaceBox, face_neighbourhood
from face.device_photo import device_photo
from face.intake import read_photo
from face.model import FaceModels, NoFaceFound, face_models
from face.quality import Check, judge, profile_checks
from face.replay import Fingerprint, make_fingerprint

DEVICE_SOURCE_SIDE = 1024  # decode larger for the terminal photo than for analysis


@dataclass(frozen=True)
class ProfileCheckResult:
    """Verdict on a profile photo.

    `checks` lists every rule with its measured value (failed ones carry advice).
    When accepted: `embedding` (store it; selfies are compared with it), `device_jpeg`
    (≈300×300, for ZKTeco terminals) and `face_box` (in the analysed image, whose size is
    `analysed_size` = (width, height)). `fingerprint` is always set: store it with the
    employee's selfie fingerprints so the profile photo cannot be replayed as a selfie.
    """

    accepted: bool
    checks: list[Check]
    embedding: list[float] | None
    face_box: FaceBox | None
    analysed_size: tuple[int, int]
    device_jpeg: bytes | None
    fingerprint: Fingerprint

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


def check_profile_photo(
    *, photo: bytes, config: FaceConfig, models: FaceModels | None = None
) -> ProfileCheckResult:
    """Run every profile-photo rule on an upload; raises PhotoRejected for unusable files."""
    models = models or face_models(config)
    image = read_photo(photo, config=config, max_side=config.selfie_max_side)
    faces = models.detect(image)
    checks = profile_checks(image, faces, config)
    embedding = None
    face_box = faces[0].box if len(faces) == 1 else None
    if all(check.passed for check in checks):
        embedding, found = _single_embedding(models, face_neighbourhood(image, face_box))
        if embedding is None:  # DeepFace's own detector disagrees: no usable single face
            checks[0] = judge("one_face", False, found, 1)
    fingerprint = make_fingerprint(photo, image, embedding)
    accepted = embedding is not None and all(check.passed for check in checks)
    jpeg = None
    if accepted:
        large = read_photo(photo, config=config, max_side=DEVICE_SOURCE_SIDE)
        scale = large.shape[1] / image.shape[1]
        jpeg = device_photo(
            large,
            face_box.scaled(scale),
            side=config.device_photo_side,
            max_bytes=config.device_photo_max_bytes,
        )
    return ProfileCheckResult(
        accepted=accepted,
        checks=checks,
        embedding=embedding if accepted else None,
        face_box=face_box,
        analysed_size=(image.shape[1], image.shape[0]),
        device_jpeg=jpeg,
        fingerprint=fingerprint,
    )


def _single_embedding(models: FaceModels, image) -> tuple[list[float] | None, int]:
    try:
        embeddings = models.embed(image)
    except NoFaceFound:
        return None, 0
    return (embeddings[0] if len(embeddings) == 1 else None), len(embeddings)

