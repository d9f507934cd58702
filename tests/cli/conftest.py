"""The `opsta` commands, run with click's test runner on the test database."""
from tests.support.scripted_iclock import iclock  # noqa: F401 (fixture)
from tests.support.selfies import face_thread_owns_the_models, obama_employee  # noqa: F401 (fixtures)
