"""`opsta face status`: which model is configured, where its weights are, whether they load."""
from __future__ import annotations

import os
import time
from pathlib import Path

from face.config import FaceConfig
from face.weights import DLIB_WEIGHT_FILES, LANDMARK_WEIGHTS, weights_dir


def face_status(config: FaceConfig) -> dict:
    """Report the configured face models and actually try to load them (may take seconds).

    Reads DEEPFACE_HOME, so call prepare_deepface_home() first, as the app does at start.
    A model whose weights are missing makes DeepFace try to download them; offline that
    fails after its network timeout and is reported in `error`.
    """
    home = os.environ.get("DEEPFACE_HOME")
    report: dict = {
        "model": config.model_name,
        "detector": config.detector_backend,
        "distance_metric": config.distance_metric,
        "threshold": config.threshold,
        "deepface_home": home,
        "weights_dir": None,
        "weights": [],
        "loads": False,
        "load_seconds": None,
        "error": None,
    }
    if not home:
        report["error"] = "DEEPFACE_HOME is not set (prepare_deepface_home was not called)"
        return report
    folder = weights_dir(home)
    report["weights_dir"] = str(folder)
    report["weights"] = _describe_weights(folder, config)
    started = time.perf_counter()
    try:
        from face.model import load_face_models

        load_face_models(config)
    except Exception as exc:  # reported, not raised: this is a diagnostic
        report["error"] = f"{type(exc).__name__}: {exc}"
    else:
        report["loads"] = True
    report["load_seconds"] = round(time.perf_counter() - started, 3)
    return report


def _describe_weights(folder: Path, config: FaceConfig) -> list[dict]:
    names = set(DLIB_WEIGHT_FILES) if config.model_name == "Dlib" else {LANDMARK_WEIGHTS}
    if folder.is_dir():
        names |= {entry.name for entry in folder.iterdir()}
    described = []
    for name in sorted(names):
        path = folder / name
        described.append(
            {
                "file": name,
                "present": path.is_file(),
                "bytes": path.stat().st_size if path.is_file() else None,
                "links_to": str(path.resolve()) if path.is_symlink() else None,
            }
        )
    return described
