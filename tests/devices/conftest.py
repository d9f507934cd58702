"""The protocol adapter's tests: the simulator talks to a scripted iclock server."""
from tests.support.scripted_iclock import iclock  # noqa: F401 (fixture)
