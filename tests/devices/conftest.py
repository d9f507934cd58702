import pytest

from tests.support.scripted_iclock import ScriptedIclock


@pytest.fixture
def iclock():
    with ScriptedIclock() as server:
        yield server
