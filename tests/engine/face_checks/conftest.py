"""The face workers and face commands, with the real model."""
from tests.support.selfies import face_thread_owns_the_models, obama_employee  # noqa: F401 (fixtures)
