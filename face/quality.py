"""Measure a face photo: size, head pose, light, sharpness, covering; judge against limits."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from face.advice import CHECK_ADVICE
from face.config import FaceConfig
from face.covering import uncovered_share
from face.detection import DetectedFace, roll_degrees, yaw_degrees

SHARPNESS_WIDTH = 200  # the face is rescaled to this width so sharpness does not depend on size


@dataclass(frozen=True)
class Check:
    """One named rule with what was measured, the limit, and advice if it failed."""

    name: str
    passed: bool
    value: float
    limit: float
    advice_th: str
    advice_en: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "passed": self.passed,
            "value": self.value,
            "limit": self.limit,
            "advice_th": self.advice_th,
            "advice_en": self.advice_en,
        }


@dataclass(frozen=True)
class FaceMeasures:
    face_share: float  # face width / shorter image side
    roll: float  # degrees, signed
    yaw: float  # degrees, signed
    brightness: float  # mean luma 0–255
    contrast: float  # luma standard deviation
    sharpness: float  # variance of the Laplacian
    uncovered: float  # 0–1


def measure_face(image_bgr: np.ndarray, face: DetectedFace) -> FaceMeasures:
    """All measurements of one detected face."""
    box = face.box
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    patch = gray[box.y : box.y + box.h, box.x : box.x + box.w]
    return FaceMeasures(
        face_share=box.w / min(image_bgr.shape[:2]),
        roll=roll_degrees(face.landmarks),
        yaw=yaw_degrees(face.landmarks),
        brightness=float(patch.mean()),
        contrast=float(patch.std()),
        sharpness=sharpness(patch),
        uncovered=uncovered_share(image_bgr, face.landmarks),
    )


def measure_light(image_bgr: np.ndarray) -> tuple[float, float]:
    """Brightness and sharpness of the whole image, for when no single face is found."""
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    return float(gray.mean()), sharpness(gray)


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian after scaling to a fixed width: low means blurred."""
    scale = SHARPNESS_WIDTH / gray.shape[1]
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interpolation)
    return float(cv2.Laplacian(resized, cv2.CV_64F).var())


def profile_checks(
    image_bgr: np.ndarray, faces: list[DetectedFace], config: FaceConfig
) -> list[Check]:
    """Every profile-photo rule, passed or not. Face rules are skipped unless one face is found."""
    checks = [judge("one_face", len(faces) == 1, len(faces), 1)]
    if len(faces) != 1:
        brightness, _ = measure_light(image_bgr)
        checks += [
            judge("bright_enough", brightness >= config.min_brightness, brightness,
                   config.min_brightness),
            judge("not_overexposed", brightness <= config.max_brightness, brightness,
                   config.max_brightness),
        ]
        return checks
    m = measure_face(image_bgr, faces[0])
    return checks + [
        judge("face_large_enough", m.face_share >= config.min_face_share, m.face_share,
               config.min_face_share),
        judge("level_head", abs(m.roll) <= config.max_roll_degrees, m.roll,
               config.max_roll_degrees),
        judge("facing_camera", abs(m.yaw) <= config.max_yaw_degrees, m.yaw,
               config.max_yaw_degrees),
        judge("bright_enough", m.brightness >= config.min_brightness, m.brightness,
               config.min_brightness),
        judge("not_overexposed", m.brightness <= config.max_brightness, m.brightness,
               config.max_brightness),
        judge("contrast", m.contrast >= config.min_contrast, m.contrast, config.min_contrast),
        judge("sharp", m.sharpness >= config.min_sharpness, m.sharpness, config.min_sharpness),
        judge("face_uncovered", m.uncovered >= config.min_uncovered_share, m.uncovered,
               config.min_uncovered_share),
    ]


def selfie_problems(
    image_bgr: np.ndarray, faces: list[DetectedFace], config: FaceConfig
) -> list[str]:
    """Reason codes for a selfie that cannot be compared (empty when it is usable)."""
    if len(faces) > 1:
        return ["multiple_faces"]
    if not faces:
        brightness, sharp = measure_light(image_bgr)
        return ["no_face"] + _light_problems(brightness, sharp, config)
    m = measure_face(image_bgr, faces[0])
    reasons = []
    if m.face_share < config.selfie_min_face_share:
        reasons.append("face_too_small")
    if abs(m.roll) > config.max_roll_degrees or abs(m.yaw) > config.max_yaw_degrees:
        reasons.append("not_frontal")
    return reasons + _light_problems(m.brightness, m.sharpness, config)


def _light_problems(brightness: float, sharp: float, config: FaceConfig) -> list[str]:
    reasons = []
    if brightness < config.min_brightness:
        reasons.append("too_dark")
    elif brightness > config.max_brightness:
        reasons.append("too_bright")
    if sharp < config.min_sharpness:
        reasons.append("blurred")
    return reasons


def judge(name: str, passed: bool, value: float, limit: float) -> Check:
    """A Check for rule `name`, with its advice when it failed."""
    advice = CHECK_ADVICE[name]
    return Check(
        name=name,
        passed=bool(passed),
        value=round(float(value), 3),
        limit=float(limit),
        advice_th="" if passed else advice.th,
        advice_en="" if passed else advice.en,
    )
