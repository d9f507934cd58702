"""The small head-and-shoulders JPEG that ZKTeco face terminals accept."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from face.detection import FaceBox

FACE_WIDTHS_PER_SIDE = 2.0  # the square spans twice the face width: hair, chin, some shoulder
QUALITIES = range(90, 9, -5)


def device_photo(
    image_bgr: np.ndarray, face_box: FaceBox, *, side: int = 300, max_bytes: int = 20_000
) -> bytes:
    """A `side`×`side` baseline JPEG centred on the face, under `max_bytes` (quality lowered
    step by step until it fits). `face_box` is in the pixels of `image_bgr`."""
    height, width = image_bgr.shape[:2]
    span = min(round(face_box.w * FACE_WIDTHS_PER_SIDE), width, height)
    cx = face_box.x + face_box.w / 2
    cy = face_box.y + face_box.h / 2
    # Shift the square back inside the image rather than padding it with false pixels.
    x0 = int(min(max(0, round(cx - span / 2)), width - span))
    y0 = int(min(max(0, round(cy - span / 2)), height - span))
    crop = image_bgr[y0 : y0 + span, x0 : x0 + span, ::-1]
    picture = Image.fromarray(np.ascontiguousarray(crop)).resize(
        (side, side), Image.Resampling.LANCZOS
    )
    encoded = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=False)
        encoded = buffer.getvalue()
        if len(encoded) <= max_bytes:
            return encoded
    raise ValueError(f"cannot fit a {side}×{side} JPEG in {max_bytes} bytes ({len(encoded)})")
