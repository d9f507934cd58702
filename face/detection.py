"""Find faces with dlib's HOG detector and place the 68 landmarks; head-pose geometry."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# 68-point layout (iBUG 300-W): jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67.
JAW_LEFT = slice(0, 3)  # image-left side of the jaw line
JAW_RIGHT = slice(14, 17)
NOSE_TIP = 30
EYE_IMAGE_LEFT = slice(36, 42)
EYE_IMAGE_RIGHT = slice(42, 48)
NOSE_DEPTH = 1.3  # nose tip distance from the head's axis, in half face widths
HOG_UPSAMPLE = 1  # one upsampling finds faces down to ~40 px wide


@dataclass(frozen=True)
class FaceBox:
    """A face rectangle in pixels of the analysed image, clipped to the image."""

    x: int
    y: int
    w: int
    h: int

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}

    def scaled(self, factor: float) -> "FaceBox":
        """The same box in an image `factor` times larger."""
        return FaceBox(*(round(v * factor) for v in (self.x, self.y, self.w, self.h)))


@dataclass(frozen=True)
class DetectedFace:
    box: FaceBox
    landmarks: np.ndarray  # (68, 2) float x, y
    score: float


def find_faces(image_bgr: np.ndarray, *, detector, landmarker) -> list[DetectedFace]:
    """Every frontal face dlib finds, largest first, each with its 68 landmarks."""
    rgb = np.ascontiguousarray(image_bgr[:, :, ::-1])
    rects, scores, _ = detector.run(rgb, HOG_UPSAMPLE)
    height, width = image_bgr.shape[:2]
    faces = []
    for rect, score in zip(rects, scores):
        shape = landmarker(rgb, rect)
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        x0, y0 = max(0, rect.left()), max(0, rect.top())
        x1, y1 = min(width, rect.right()), min(height, rect.bottom())
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        faces.append(DetectedFace(FaceBox(x0, y0, x1 - x0, y1 - y0), points, float(score)))
    return sorted(faces, key=lambda f: f.box.w * f.box.h, reverse=True)


def roll_degrees(landmarks: np.ndarray) -> float:
    """In-plane tilt of the head: the angle of the line through both eye centres."""
    left = landmarks[EYE_IMAGE_LEFT].mean(axis=0)
    right = landmarks[EYE_IMAGE_RIGHT].mean(axis=0)
    return math.degrees(math.atan2(right[1] - left[1], right[0] - left[0]))


def yaw_degrees(landmarks: np.ndarray) -> float:
    """Left-right turn of the head, estimated from where the nose tip sits between the cheeks.

    Treats the head as a cylinder with the nose tip NOSE_DEPTH half-widths from the axis: a
    turn by θ moves the tip sideways by NOSE_DEPTH·sin θ half-widths. Rough (±5–10°), but
    enough to tell a frontal face from a turned one.
    """
    left = landmarks[JAW_LEFT, 0].mean()
    right = landmarks[JAW_RIGHT, 0].mean()
    half_width = (right - left) / 2
    if half_width <= 1:
        return 90.0
    offset = (landmarks[NOSE_TIP, 0] - (left + right) / 2) / half_width / NOSE_DEPTH
    return math.degrees(math.asin(max(-1.0, min(1.0, offset))))


def face_neighbourhood(image_bgr: np.ndarray, box: FaceBox, *, margin: float = 0.6) -> np.ndarray:
    """The face plus `margin` face-widths on every side.

    The recognition pipeline (DeepFace's detector and alignment) runs on this instead of
    the whole photo: the face is already located, and DeepFace pads its input by half on
    every side before detecting, so a small neighbourhood costs a fraction of the photo.
    """
    height, width = image_bgr.shape[:2]
    pad = round(box.w * margin)
    x0, y0 = max(0, box.x - pad), max(0, box.y - pad)
    x1, y1 = min(width, box.x + box.w + pad), min(height, box.y + box.h + pad)
    return np.ascontiguousarray(image_bgr[y0:y1, x0:x1])
