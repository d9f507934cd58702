"""Verify a punch selfie against the employee's stored profile embedding."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from face.advice import REASON_ADVICE
from face.config import FaceConfig
from face.detection import FaceBox, face_neighbourhood
from face.distance import embedding_distance
from face.intake import read_photo
from face.model import FaceModels, NoFaceFound, face_models
from face.quality import selfie_problems
from face.replay import Fingerprint, make_fingerprint, replay_match

VERIFIED = "verified"
REJECTED = "rejected"


@dataclass(frozen=True)
class Reason:
    code: str
    advice_th: str
    advice_en: str


@dataclass(frozen=True)
class SelfieVerdict:
    """Outcome of one selfie check.

    `status` is "verified" only when `reasons` is empty. `distance` is set whenever an
    embedding was compared. Store `fingerprint` with the punch whatever the status, and pass
    it back in `prior` for the same employee's later selfies. `face_box` is in the analysed
    (downscaled) image, `analysed_size` = (width, height); `replay_signal` says which
    fingerprint matched ("sha256", "phash", "embedding") for audit.
    """

    status: str
    reasons: list[Reason]
    distance: float | None
    threshold: float
    fingerprint: Fingerprint
    face_box: FaceBox | None
    analysed_size: tuple[int, int]
    replay_signal: str | None = None

    @property
    def reason_codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "reasons": [reason.__dict__ for reason in self.reasons],
            "distance": self.distance,
            "threshold": self.threshold,
            "face_box": None if self.face_box is None else self.face_box.as_dict(),
            "replay_signal": self.replay_signal,
        }


def verify_selfie(
    *,
    selfie: bytes,
    profile_embedding: Sequence[float] | None,
    prior: Sequence[Fingerprint],
    config: FaceConfig,
    models: FaceModels | None = None,
) -> SelfieVerdict:
    """Decide whether `selfie` shows the owner of `profile_embedding`, live and alone.

    One embedding is made from the downscaled selfie and compared with the stored one.
    `prior` holds the fingerprints of the employee's earlier selfies and profile photo(s).
    Pass `profile_embedding=None` when there is none, or when it was made by another model
    than `config.model_name` (store the model name with the embedding).
    Raises PhotoRejected when the upload is not a usable image file.
    """
    models = models or face_models(config)
    if models.config.model_name != config.model_name:
        raise ValueError("models were loaded for another model_name than config's")
    image = read_photo(selfie, config=config, max_side=config.selfie_max_side)
    faces = models.detect(image)
    codes = selfie_problems(image, faces, config)
    if profile_embedding is None:
        codes.insert(0, "no_profile_photo")
    embedding = None
    if not codes:
        embedding, problem = _embed_one_face(models, image, faces[0].box)
        if problem:
            codes.append(problem)
    fingerprint = make_fingerprint(selfie, image, embedding)
    replay_signal = replay_match(fingerprint, prior, config=config)
    if replay_signal:
        codes.insert(0, "replayed_selfie")
    distance = None
    if embedding is not None and profile_embedding is not None:
        distance = embedding_distance(embedding, profile_embedding, config.distance_metric)
        if distance > config.threshold:
            codes.append("mismatch")
    return SelfieVerdict(
        status=REJECTED if codes else VERIFIED,
        reasons=[Reason(code, REASON_ADVICE[code].th, REASON_ADVICE[code].en) for code in codes],
        distance=distance,
        threshold=config.threshold,
        fingerprint=fingerprint,
        face_box=faces[0].box if len(faces) == 1 else None,
        analysed_size=(image.shape[1], image.shape[0]),
        replay_signal=replay_signal,
    )


def _embed_one_face(models: FaceModels, image, box: FaceBox):
    try:
        embeddings = models.embed(face_neighbourhood(image, box))
    except NoFaceFound:
        return None, "no_face"
    if len(embeddings) > 1:
        return None, "multiple_faces"  # refuse, never pick the best-matching face
    return embeddings[0], None
