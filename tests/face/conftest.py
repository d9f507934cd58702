"""Real face model and real photos, loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from face.config import FaceConfig
from face.weights import prepare_deepface_home
from tests.support.photos import photo_bytes


@pytest.fixture(scope="session")
def face_config() -> FaceConfig:
    return FaceConfig()


@pytest.fixture(scope="session")
def deepface_home(tmp_path_factory) -> Path:
    return prepare_deepface_home(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def models(deepface_home, face_config):
    """The process's models, loaded once for the whole session (a few seconds)."""
    from face.model import face_models

    return face_models(face_config)


@pytest.fixture(scope="session")
def obama_profile(models, face_config):
    from face.profile_photo import check_profile_photo

    result = check_profile_photo(photo=photo_bytes("obama.jpg"), config=face_config, models=models)
    assert result.accepted, [check for check in result.checks if not check.passed]
    return result
