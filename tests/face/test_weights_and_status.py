import os
from pathlib import Path

import pytest

from face.config import FaceConfig
from face.status import face_status
from face.weights import DLIB_WEIGHT_FILES, packaged_weights_dir, prepare_deepface_home, weights_dir


def test_prepare_links_dlib_weights_into_project_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DEEPFACE_HOME", raising=False)
    home = prepare_deepface_home(tmp_path)
    assert home == tmp_path.resolve() / "deepface"
    assert os.environ["DEEPFACE_HOME"] == str(home)
    for name in DLIB_WEIGHT_FILES:
        link = weights_dir(home) / name
        assert link.is_symlink()
        assert link.resolve() == (packaged_weights_dir() / name).resolve()
    assert prepare_deepface_home(tmp_path) == home  # idempotent


def test_prepare_copies_when_symlinks_are_refused(tmp_path, monkeypatch):
    def refuse(self, target):
        raise OSError("symlinks not permitted here")

    monkeypatch.setattr(Path, "symlink_to", refuse)
    monkeypatch.delenv("DEEPFACE_HOME", raising=False)
    home = prepare_deepface_home(tmp_path)
    copied = weights_dir(home) / "shape_predictor_5_face_landmarks.dat"
    assert copied.is_file() and not copied.is_symlink()
    assert copied.stat().st_size == (packaged_weights_dir() / copied.name).stat().st_size


@pytest.mark.slow
def test_status_loads_the_configured_model(models, deepface_home):
    report = face_status(FaceConfig())
    assert report["model"] == "Dlib" and report["detector"] == "dlib"
    assert report["loads"] is True and report["error"] is None
    assert report["weights_dir"] == str(weights_dir(deepface_home))
    files = {w["file"]: w for w in report["weights"]}
    assert all(files[name]["present"] for name in DLIB_WEIGHT_FILES)


def test_status_reports_a_missing_home(monkeypatch):
    monkeypatch.delenv("DEEPFACE_HOME", raising=False)
    report = face_status(FaceConfig())
    assert report["loads"] is False and "prepare_deepface_home" in report["error"]


def test_status_reports_missing_weights(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFACE_HOME", str(tmp_path))
    report = face_status(FaceConfig())
    assert report["loads"] is False
    assert "shape_predictor_68_face_landmarks.dat" in report["error"]
    assert not any(w["present"] for w in report["weights"])
