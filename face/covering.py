"""Best-effort check that the nose and mouth are not covered (mask, scarf, a card).

How: dlib's landmark model still places nose and mouth points on a covered face, so we
compare the colour of the nose-and-mouth area with the skin of the nose bridge between the
eyes (above where masks sit). The value is the share of nose-and-mouth pixels whose chroma
(Cr, Cb) is close to that skin; a mask, scarf or grey/coloured card drives it near zero.

What it catches: surgical and cloth masks, scarves, paper or objects of a colour that is
not skin, in colour photos, when the detector still finds the face (a heavily covered face
is often not found at all, which fails the one-face check instead).
What it does not catch: a hand or skin-coloured cover (same chroma as skin); black-and-white
photos (no chroma to compare); a cover that also hides the nose bridge with a skin-like
colour. A full dark beard lowers the value and may be flagged; the threshold is set low for
that reason. Sunglasses and ordinary glasses are not measured, on purpose.
"""
from __future__ import annotations

import cv2
import numpy as np

NOSE_BRIDGE = (27, 28, 29)
INNER_EYE_CORNERS = (39, 42)
NOSE_AND_MOUTH = list(range(31, 36)) + list(range(48, 60))
CHROMA_TOLERANCE = 24.0  # Cr/Cb units on 0–255; measured skin spread on real photos fits
MIN_LUMA = 35  # chroma of near-black pixels is noise (nostrils, an open mouth)


def uncovered_share(image_bgr: np.ndarray, landmarks: np.ndarray) -> float:
    """Share (0–1) of the nose-and-mouth area that has the colour of the face's skin."""
    ycrcb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2YCrCb)
    reference = _bridge_pixels(ycrcb, landmarks)
    target = _region_pixels(ycrcb, landmarks[NOSE_AND_MOUTH], margin=0.1)
    if len(reference) == 0 or len(target) == 0:
        return 0.0
    skin = np.median(reference[:, 1:], axis=0)
    close = np.linalg.norm(target[:, 1:] - skin, axis=1) <= CHROMA_TOLERANCE
    lit = target[:, 0] >= MIN_LUMA
    return float(np.mean(close & lit))


def _bridge_pixels(ycrcb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    left = landmarks[INNER_EYE_CORNERS[0], 0]
    right = landmarks[INNER_EYE_CORNERS[1], 0]
    gap = right - left
    xs = (left + 0.25 * gap, right - 0.25 * gap)
    ys = (landmarks[NOSE_BRIDGE[0], 1], landmarks[NOSE_BRIDGE[-1], 1])
    return _box_pixels(ycrcb, xs, ys)


def _region_pixels(ycrcb: np.ndarray, points: np.ndarray, *, margin: float) -> np.ndarray:
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return _box_pixels(ycrcb, (x0 - dx, x1 + dx), (y0 - dy, y1 + dy))


def _box_pixels(ycrcb: np.ndarray, xs, ys) -> np.ndarray:
    height, width = ycrcb.shape[:2]
    x0, x1 = (int(np.clip(round(v), 0, width)) for v in xs)
    y0, y1 = (int(np.clip(round(v), 0, height)) for v in ys)
    return ycrcb[y0:y1, x0:x1].reshape(-1, 3).astype(np.float64)
