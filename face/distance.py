"""Distance between two face embeddings, in the metric DeepFace's thresholds are given in."""
from __future__ import annotations

from typing import Sequence

import numpy as np

METRICS = ("cosine", "euclidean", "euclidean_l2")


def embedding_distance(a: Sequence[float], b: Sequence[float], metric: str) -> float:
    """cosine = 1 − cos(a, b); euclidean = ‖a − b‖; euclidean_l2 = ‖a/‖a‖ − b/‖b‖‖."""
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if va.shape != vb.shape:
        raise ValueError(f"embeddings of different sizes {va.shape} and {vb.shape} (model changed?)")
    if metric == "cosine":
        return float(1.0 - va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))
    if metric == "euclidean":
        return float(np.linalg.norm(va - vb))
    if metric == "euclidean_l2":
        return float(np.linalg.norm(va / np.linalg.norm(va) - vb / np.linalg.norm(vb)))
    raise ValueError(f"unknown distance metric {metric!r}; use one of {METRICS}")
