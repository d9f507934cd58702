"""Upload intake: accept JPEG, PNG and WebP photos safely and decode them for analysis."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

from face.config import FaceConfig

ACCEPTED_TYPES = ("jpeg", "png", "webp")


class PhotoRejected(ValueError):
    """An upload that cannot be used as a photo. `code` is stable; the API maps it to a 4xx."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def sniff_photo_type(data: bytes) -> str | None:
    """The real image type from the magic bytes (the file name and client's type are ignored)."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def read_photo(data: bytes, *, config: FaceConfig, max_side: int | None = None) -> np.ndarray:
    """Check and decode an uploaded photo into an upright BGR uint8 array.

    Size, type and pixel count are checked before the pixels are decoded, so a
    decompression bomb costs only its header; no more than `config.max_decoded_pixels` are ever
    decoded (a large JPEG is decoded at a reduced scale, a large PNG or WebP is refused). With `max_side`, the photo is shrunk so that
    its longest side is at most that (JPEGs are decoded at a reduced scale directly).
    Raises PhotoRejected with code photo_too_large, photo_type_unsupported,
    photo_too_many_pixels or photo_unreadable.
    """
    if len(data) > config.max_upload_bytes:
        raise PhotoRejected(
            "photo_too_large", f"{len(data)} bytes, the limit is {config.max_upload_bytes}"
        )
    kind = sniff_photo_type(data)
    if kind is None:
        raise PhotoRejected("photo_type_unsupported", "only JPEG, PNG and WebP are accepted")
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise PhotoRejected("photo_too_many_pixels", str(exc)) from exc
    except Exception as exc:  # Pillow raises several types for corrupt headers
        raise PhotoRejected("photo_unreadable", str(exc)) from exc
    if (image.format or "").lower() != kind:
        raise PhotoRejected("photo_unreadable", f"{kind} magic bytes but {image.format} content")
    width, height = image.size
    if width * height > config.max_pixels:
        raise PhotoRejected(
            "photo_too_many_pixels", f"{width}×{height}, the limit is {config.max_pixels} pixels"
        )
    if max_side and kind == "jpeg":
        image.draft("RGB", (max_side, max_side))  # DCT-domain downscale: far less work
    # What is decoded at full size costs time and memory by its pixels, not by its bytes: a 6 KB PNG of
    # 7,200 × 7,200 decodes to 150 MB. Only a JPEG can be decoded smaller (draft); PNG and WebP cannot.
    decoded = image.size[0] * image.size[1]
    if decoded > config.max_decoded_pixels:
        raise PhotoRejected(
            "photo_too_many_pixels",
            f"{width}×{height} {kind.upper()} would be decoded at {image.size[0]}×{image.size[1]}; at most "
            f"{config.max_decoded_pixels} pixels are decoded (send a JPEG, or a smaller photo)",
        )
    try:
        image = ImageOps.exif_transpose(image)  # phones store selfies sideways + a tag
        image = image.convert("RGB")
        if max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        rgb = np.asarray(image)
    except Exception as exc:
        raise PhotoRejected("photo_unreadable", str(exc)) from exc
    if rgb.ndim != 3 or min(rgb.shape[:2]) < 16:
        raise PhotoRejected("photo_unreadable", "the image is empty or too small")
    return np.ascontiguousarray(rgb[:, :, ::-1])
