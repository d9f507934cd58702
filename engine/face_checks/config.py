"""From the app's Settings to the face library's FaceConfig, and the per-process model home."""
from __future__ import annotations

from pathlib import Path

from engine.config import Settings
from face.config import FaceConfig


def face_config(settings: Settings) -> FaceConfig:
    """The FaceConfig for these settings (limits not in Settings keep the library's defaults)."""
    return FaceConfig(
        model_name=settings.face_model,
        detector_backend=settings.face_detector,
        distance_metric=settings.face_distance_metric,
        threshold=settings.face_threshold,
        max_upload_bytes=settings.face_max_upload_bytes,
        max_pixels=settings.face_max_pixels,
        max_decoded_pixels=settings.face_max_decoded_pixels,
        selfie_retention_days=settings.selfie_retention_days,
    )


def prepare_face_runtime(settings: Settings) -> Path:
    """Link the offline weights into `<data_dir>/deepface` and set DEEPFACE_HOME (app or worker start)."""
    from face.weights import prepare_deepface_home

    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    return prepare_deepface_home(settings.data_dir)
