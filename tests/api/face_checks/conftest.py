"""Selfie punches and profile photos over HTTP, checked by the real model on the app's face thread."""
from tests.support.selfies import face_thread_owns_the_models, obama_employee  # noqa: F401 (fixtures)
