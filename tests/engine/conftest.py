"""Fixtures for domain tests: a small org tree (ministry → department → division) and an employee factory."""
from __future__ import annotations

import pytest

from engine.models import Employee, OrgUnit


@pytest.fixture
def units(db_session):
    ministry = OrgUnit(code="MIN", name_th="กระทรวง", name_en="Ministry")
    db_session.add(ministry)
    db_session.flush()
    department = OrgUnit(code="DEP", name_th="กรม", name_en="Department", parent_id=ministry.id)
    db_session.add(department)
    db_session.flush()
    division = OrgUnit(code="DIV", name_th="กอง", name_en="Division", parent_id=department.id)
    db_session.add(division)
    db_session.flush()
    return {"MIN": ministry, "DEP": department, "DIV": division}


@pytest.fixture
def add_employee(db_session):
    """Create and flush one employee; `supervisor` is an Employee or None."""

    def add(code: str, *, unit: OrgUnit | None = None, supervisor: Employee | None = None,
            email: str | None = None, active: bool = True) -> Employee:
        employee = Employee(code=code, name_th=f"พนักงาน {code}", name_en=f"Employee {code}", email=email,
                            unit_id=unit.id if unit else None,
                            supervisor_id=supervisor.id if supervisor else None, active=active)
        db_session.add(employee)
        db_session.flush()
        return employee

    return add
