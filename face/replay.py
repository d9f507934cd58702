"""Replay defence: recognise a selfie that is an earlier selfie or the profile photo again.

Three fingerprints, from strict to loose: the exact bytes (sha256), the picture after
re-encoding or rescaling (64-bit perceptual hash), and the face itself (an embedding far
closer than two different photos of one person ever are: same photo ≈ 0.001 cosine,
different photos of one person ≈ 0.013–0.05). Not caught: a new photo of a screen or print
showing the person — that needs liveness detection, which is not available offline.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import cv2
import numpy as np

from face.config import FaceConfig
from face.distance import embedding_distance


@dataclass(frozen=True)
class Fingerprint:
    """What the caller stores per selfie (and per profile photo) to detect replays."""

    sha256: str
    phash: str  # 16 hex digits
    embedding: Sequence[float] | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        embedding = None if self.embedding is None else [float(v) for v in self.embedding]
        return {"sha256": self.sha256, "phash": self.phash, "embedding": embedding}

    @classmethod
    def from_dict(cls, data: dict) -> "Fingerprint":
        return cls(sha256=data["sha256"], phash=data["phash"], embedding=data.get("embedding"))


def perceptual_hash(image_bgr: np.ndarray) -> str:
    """64-bit DCT perceptual hash (OpenCV img_hash pHash) as 16 hex digits."""
    return cv2.img_hash.pHash(image_bgr).tobytes().hex()


def make_fingerprint(
    data: bytes, image_bgr: np.ndarray, embedding: Sequence[float] | None
) -> Fingerprint:
    """Fingerprint of an uploaded photo; `image_bgr` is the analysed (downscaled) image."""
    return Fingerprint(
        sha256=hashlib.sha256(data).hexdigest(),
        phash=perceptual_hash(image_bgr),
        embedding=embedding,
    )


def phash_bits_apart(a: str, b: str) -> int:
    """Hamming distance between two hex perceptual hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def replay_match(
    new: Fingerprint, prior: Iterable[Fingerprint], *, config: FaceConfig
) -> str | None:
    """Which fingerprint ('sha256', 'phash', 'embedding') matches a prior photo, or None."""
    for old in prior:
        if new.sha256 == old.sha256:
            return "sha256"
        if old.phash and phash_bits_apart(new.phash, old.phash) <= config.replay_phash_max_bits:
            return "phash"
        if new.embedding is not None and old.embedding is not None:
            if len(new.embedding) == len(old.embedding):  # skip ones from another model
                distance = embedding_distance(new.embedding, old.embedding, config.distance_metric)
                if distance <= config.replay_embedding_distance:
                    return "embedding"
    return None
