"""The face models of one worker process, loaded once and used by one thread only.

Choice: one loader per process, bound to the thread that loaded it. DeepFace keeps its
models in a module-level cache with no lock, so a per-thread instance would still share
DeepFace's objects; instead any other thread that asks for the models gets
`FaceModelsThreadError`. Run face work in processes with one thread each (Dramatiq: a
dedicated face queue with `--threads 1`). After a fork the child loads its own.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

import numpy as np

from face.config import FaceConfig
from face.detection import DetectedFace, find_faces
from face.weights import LANDMARK_WEIGHTS, WeightsMissing, weights_dir


class FaceModelsThreadError(RuntimeError):
    """Face models were used from a thread other than the one that loaded them."""


class NoFaceFound(ValueError):
    """DeepFace found no face where one was expected."""


@dataclass
class FaceModels:
    """Loaded detector, 68-point landmarker and recognition model, for one thread."""

    config: FaceConfig
    detector: object
    landmarker: object
    owner_thread: int = field(default_factory=threading.get_ident)
    owner_pid: int = field(default_factory=os.getpid)

    def _check_owner(self) -> None:
        if threading.get_ident() != self.owner_thread or os.getpid() != self.owner_pid:
            raise FaceModelsThreadError(
                "face models are bound to the thread that loaded them; run face work in "
                "one thread per process"
            )

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        """Faces with landmarks, largest first."""
        self._check_owner()
        return find_faces(image_bgr, detector=self.detector, landmarker=self.landmarker)

    def embed(self, face_image_bgr: np.ndarray) -> list[list[float]]:
        """One embedding per face DeepFace finds in the image; NoFaceFound if none."""
        self._check_owner()
        from deepface import DeepFace
        from deepface.modules.exceptions import FaceNotDetected

        try:
            found = DeepFace.represent(
                face_image_bgr,
                model_name=self.config.model_name,
                detector_backend=self.config.detector_backend,
                enforce_detection=True,
                align=True,
            )
        except FaceNotDetected as exc:  # the ValueError DeepFace raises for "no face"
            raise NoFaceFound(str(exc)) from exc
        return [list(map(float, item["embedding"])) for item in found]


_loaded: dict[tuple[str, str], FaceModels] = {}
_load_lock = threading.Lock()


def face_models(config: FaceConfig) -> FaceModels:
    """This process's models for `config`, loaded on first call (seconds), then reused.

    The first thread of the process to load models owns all of them (DeepFace shares its
    cache across configs); any other thread gets FaceModelsThreadError.
    """
    key = (config.model_name, config.detector_backend)
    with _load_lock:
        mine = {k: m for k, m in _loaded.items() if m.owner_pid == os.getpid()}
        if len(mine) != len(_loaded):  # forked: the parent's objects belong to the parent
            _loaded.clear()
            _loaded.update(mine)
        for models in _loaded.values():
            models._check_owner()
        if key not in _loaded:
            _loaded[key] = load_face_models(config)
        return _loaded[key]


def load_face_models(config: FaceConfig) -> FaceModels:
    """Load all models now (no cache); raises if weights are missing or do not load."""
    home = os.environ.get("DEEPFACE_HOME")
    if not home:
        raise WeightsMissing("DEEPFACE_HOME is not set: call prepare_deepface_home() first")
    landmark_file = weights_dir(home) / LANDMARK_WEIGHTS
    if not landmark_file.is_file():
        raise WeightsMissing(f"{landmark_file} not found")
    import dlib
    from deepface.modules import modeling

    modeling.build_model(task="facial_recognition", model_name=config.model_name)
    if config.detector_backend != "skip":
        modeling.build_model(task="face_detector", model_name=config.detector_backend)
    return FaceModels(
        config=config,
        detector=dlib.get_frontal_face_detector(),
        landmarker=dlib.shape_predictor(str(landmark_file)),
    )
