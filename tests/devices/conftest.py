import pytest

from tests.devices.scripted_iclock import ScriptedIclock


@pytest.fixture
def iclock():
    with ScriptedIclock() as server:
        yield server
