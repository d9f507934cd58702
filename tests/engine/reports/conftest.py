"""The demo organisation with June 2026 (tests/support/report_month.py) written through the engine."""
import pytest
from sqlalchemy import select

from engine.models import Employee
from tests.support.report_month import seed_june


@pytest.fixture
def june(demo_org, session_factory, settings):
    with session_factory() as session:
        return seed_june(session, settings)


@pytest.fixture
def people(session_factory, demo_org):
    """Employees by username, loaded in a session the test may use."""
    session = session_factory()
    found = {username: session.scalar(select(Employee).where(Employee.code == person.code))
             for username, person in demo_org.items()}
    found["session"] = session
    yield found
    session.close()
