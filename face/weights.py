"""Offline model weights: link dlib's files into a project-managed DEEPFACE_HOME."""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

# DeepFace looks for these names in <DEEPFACE_HOME>/.deepface/weights/ before downloading.
RECOGNITION_WEIGHTS = "dlib_face_recognition_resnet_model_v1.dat"  # model_name="Dlib"
ALIGNMENT_WEIGHTS = "shape_predictor_5_face_landmarks.dat"  # detector_backend="dlib"
# Ours, for the frontal and covered-face checks.
LANDMARK_WEIGHTS = "shape_predictor_68_face_landmarks.dat"
DLIB_WEIGHT_FILES = (RECOGNITION_WEIGHTS, ALIGNMENT_WEIGHTS, LANDMARK_WEIGHTS)


class WeightsMissing(RuntimeError):
    """The offline weights are not where they should be."""


def packaged_weights_dir() -> Path:
    """Folder of the weights shipped by the `face-recognition-models` package."""
    # Located without importing: that package imports pkg_resources, absent on new setuptools.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise WeightsMissing("package face-recognition-models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def weights_dir(deepface_home: Path) -> Path:
    """Where DeepFace reads and writes weights for a given DEEPFACE_HOME."""
    return Path(deepface_home) / ".deepface" / "weights"


def prepare_deepface_home(data_dir: str | Path) -> Path:
    """Link dlib's weights into `<data_dir>/deepface` and point DEEPFACE_HOME at it.

    Call at process start, before deepface is imported. Symlinks are used; where the file
    system refuses them the files are copied. Returns the DEEPFACE_HOME path.
    """
    home = Path(data_dir).resolve() / "deepface"
    target = weights_dir(home)
    target.mkdir(parents=True, exist_ok=True)
    source = packaged_weights_dir()
    for name in DLIB_WEIGHT_FILES:
        _link_or_copy(source / name, target / name)
    os.environ["DEEPFACE_HOME"] = str(home)
    return home


def _link_or_copy(source: Path, link: Path) -> None:
    if not source.is_file():
        raise WeightsMissing(f"{source} not found")
    if link.is_symlink() and link.resolve() == source.resolve():
        return
    if link.exists() or link.is_symlink():
        if not link.is_symlink() and link.stat().st_size == source.stat().st_size:
            return  # an earlier copy (or an admin-provided file)
        link.unlink()
    try:
        link.symlink_to(source)
    except FileExistsError:
        if link.resolve() != source.resolve():  # not just another worker winning the race
            raise
    except OSError:  # file systems or Windows accounts without symlink rights
        tmp = link.with_name(f"{link.name}.{os.getpid()}.part")
        shutil.copyfile(source, tmp)
        tmp.replace(link)  # atomic, so a concurrent worker never reads half a file
