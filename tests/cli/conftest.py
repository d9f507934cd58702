"""The `opsta` commands, run with click's test runner on the test database."""
import pytest

from tests.support.scripted_iclock import ScriptedIclock
from tests.support.selfies import face_thread_owns_the_models, obama_employee  # noqa: F401 (fixtures)


@pytest.fixture
def iclock():
    """A scripted iclock server for the terminal simulator."""
    with ScriptedIclock() as server:
        yield server
