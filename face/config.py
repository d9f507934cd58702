"""Every tunable of face checking, in one frozen dataclass passed down explicitly."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaceConfig:
    """Face recognition settings; the defaults work offline with dlib's weights.

    `threshold` and `replay_embedding_distance` are in the unit of `distance_metric`
    (DeepFace's published Dlib thresholds: cosine 0.07, euclidean 0.6, euclidean_l2 0.4).
    """

    # Recognition. An organisation with other weights (ArcFace, Facenet512…) switches here.
    model_name: str = "Dlib"
    detector_backend: str = "dlib"
    distance_metric: str = "cosine"  # cosine | euclidean | euclidean_l2
    threshold: float = 0.07

    # Upload intake.
    max_upload_bytes: int = 8_000_000
    # width × height, checked from the header before decoding; a 50 MP phone photo fits.
    max_pixels: int = 52_000_000
    # Pixels actually decoded: a JPEG is decoded at 1/2–1/8 scale first (draft), so a 50 MP one costs
    # about 1 MP; PNG and WebP decode at full size, so this caps them (16 MP ≈ 4,000 × 4,000).
    max_decoded_pixels: int = 16_000_000

    # Both selfies and profile photos are shrunk to this longest side before analysis, so
    # their embeddings are computed at the same scale (and the same photo gives the same one).
    selfie_max_side: int = 480

    # Profile photo quality.
    min_face_share: float = 0.15  # face width / shorter image side
    max_roll_degrees: float = 15.0
    max_yaw_degrees: float = 25.0
    min_brightness: float = 60.0  # mean luma of the face, 0–255
    max_brightness: float = 200.0
    min_contrast: float = 25.0  # standard deviation of the face's luma
    min_sharpness: float = 8.0  # variance of the Laplacian, face scaled to 200 px wide
    min_uncovered_share: float = 0.5  # share of nose+mouth pixels with skin colour

    # Selfies: a little more lenient on size, since phones are held at arm's length.
    selfie_min_face_share: float = 0.10

    # Replay defence: a selfie this close to an earlier selfie or the profile photo is a replay.
    replay_phash_max_bits: int = 4  # Hamming distance of 64-bit pHash
    replay_embedding_distance: float = 0.004  # far below `threshold`; same photo re-encoded ≈ 0.001

    # Device variant for ZKTeco face terminals.
    device_photo_side: int = 300
    device_photo_max_bytes: int = 20_000

    # How long the caller keeps selfie images (the fingerprints may outlive them).
    selfie_retention_days: int = 90
