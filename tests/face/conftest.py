"""Real face model and real photos, loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from face.config import FaceConfig
from face.weights import prepare_deepface_home

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"


def photo_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def photo_image(name: str) -> np.ndarray:
    return cv2.imread(str(FIXTURES / name))


def jpeg(image_bgr: np.ndarray, quality: int = 90) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image_bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return encoded.tobytes()


def side_by_side(*images: np.ndarray) -> np.ndarray:
    """Photos placed next to each other on one canvas, bottoms aligned."""
    height = max(image.shape[0] for image in images)
    padded = [
        cv2.copyMakeBorder(image, height - image.shape[0], 0, 0, 0, cv2.BORDER_REPLICATE)
        for image in images
    ]
    return np.hstack(padded)


def darkened(image: np.ndarray, factor: float = 0.3) -> np.ndarray:
    return (image.astype(np.float64) * factor).astype(np.uint8)


def blurred(image: np.ndarray, sigma: float = 4.0) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma)


def rotated(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def shrunk_into_frame(image: np.ndarray, factor: float, border: int) -> np.ndarray:
    """The person far from the camera: the photo scaled down inside a wide background."""
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return cv2.copyMakeBorder(small, border, border, border, border, cv2.BORDER_REPLICATE)


@pytest.fixture(scope="session")
def face_config() -> FaceConfig:
    return FaceConfig()


@pytest.fixture(scope="session")
def deepface_home(tmp_path_factory) -> Path:
    return prepare_deepface_home(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def models(deepface_home, face_config):
    """The process's models, loaded once for the whole session (a few seconds)."""
    from face.model import face_models

    return face_models(face_config)


@pytest.fixture(scope="session")
def obama_profile(models, face_config):
    from face.profile_photo import check_profile_photo

    result = check_profile_photo(photo=photo_bytes("obama.jpg"), config=face_config, models=models)
    assert result.accepted, [check for check in result.checks if not check.passed]
    return result
