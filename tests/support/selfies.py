"""Selfie checks through the app: punches with selfies, profile photos, waiting for a verdict.

The two fixtures are imported by the conftest of each test package that runs the real model in the app.
"""
from __future__ import annotations

import time

import pytest

from tests.support.photos import photo_bytes

PUNCH_FIELDS = {"direction": "in", "latitude": "13.8620", "longitude": "100.5125", "accuracy_m": "10"}


@pytest.fixture(scope="package", autouse=True)
def face_thread_owns_the_models():
    """Let this process's face thread load its own models for these tests.

    `face.model.face_models` binds the models to the first thread that loads them; the library
    tests (tests/face) load them in pytest's main thread, while the app runs face work on its
    face thread. Both never run at the same time, so the main thread's entry is set aside for
    the importing test package and put back afterwards.
    """
    import face.model

    kept = dict(face.model._loaded)
    face.model._loaded.clear()
    yield
    face.model._loaded.clear()
    face.model._loaded.update(kept)


def set_profile_photo(client, data: bytes, filename: str = "me.jpg"):
    return client.put("/api/me/profile-photo", files={"photo": (filename, data, "application/octet-stream")})


def selfie_punch(client, selfie: bytes, *, headers=None, **fields):
    form = {**PUNCH_FIELDS, **{key: str(value) for key, value in fields.items()}}
    return client.post("/api/punches", data=form, files={"selfie": ("selfie.jpg", selfie, "image/jpeg")},
                       headers=headers or {})


def wait_for_verdict(client, punch_id: int, timeout_s: float = 120.0) -> dict:
    """Poll the punch until its verification leaves `pending` (the worker runs the real model)."""
    deadline = time.monotonic() + timeout_s
    while True:
        verification = client.get(f"/api/punches/{punch_id}").json()["verification"]
        if verification["status"] != "pending" or time.monotonic() > deadline:
            return verification
        time.sleep(0.2)


@pytest.fixture
def obama_employee(api, demo_org):
    """employee1, signed in, with obama.jpg as the accepted profile photo."""
    client = api.login("employee1")
    reply = set_profile_photo(client, photo_bytes("obama.jpg"))
    assert reply.status_code == 200, reply.text
    return client
