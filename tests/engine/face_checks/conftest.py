"""The face workers, with the real model in real worker processes."""
from tests.support.selfies import face_thread_owns_the_models  # noqa: F401 (fixture)
