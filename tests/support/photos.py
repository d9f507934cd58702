"""Test photos: the committed fixtures and the degraded copies built from them."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

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
