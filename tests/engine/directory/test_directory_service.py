"""Reporting lines, unit heads, the unit tree, roles and who may view whom."""
from __future__ import annotations

import pytest

from engine.directory.service import (
    can_view_employee,
    direct_subordinates,
    employees_with_role,
    get_employee_by_code,
    is_in_reporting_line_above,
    list_units,
    supervisor_chain,
    unit_head,
)
from engine.errors import InvalidInput
from engine.models import EmployeeRole, OrgUnit


@pytest.fixture
def line(units, add_employee):
    """director → head → officer → clerk, plus a peer of the officer."""
    director = add_employee("1", unit=units["MIN"])
    head = add_employee("2", unit=units["DEP"], supervisor=director)
    officer = add_employee("3", unit=units["DIV"], supervisor=head)
    clerk = add_employee("4", unit=units["DIV"], supervisor=officer)
    peer = add_employee("5", unit=units["DIV"], supervisor=head)
    return director, head, officer, clerk, peer


def test_get_employee_by_code(db_session, line):
    assert get_employee_by_code(session=db_session, code="3") is line[2]
    assert get_employee_by_code(session=db_session, code="999") is None


def test_direct_subordinates_skip_inactive_unless_asked(db_session, line, add_employee, units):
    director, head, officer, clerk, peer = line
    gone = add_employee("6", unit=units["DIV"], supervisor=head, active=False)

    assert direct_subordinates(session=db_session, employee_id=head.id) == [officer, peer]
    assert direct_subordinates(session=db_session, employee_id=head.id, include_inactive=True) == [officer, peer, gone]


def test_supervisor_chain_is_nearest_first(db_session, line):
    director, head, officer, clerk, _ = line
    assert supervisor_chain(session=db_session, employee_id=clerk.id) == [officer, head, director]
    assert supervisor_chain(session=db_session, employee_id=director.id) == []


def test_supervisor_chain_stops_at_a_loop(db_session, line):
    director, head, officer, clerk, _ = line
    director.supervisor_id = clerk.id  # bad data: clerk → officer → head → director → clerk
    db_session.flush()

    assert supervisor_chain(session=db_session, employee_id=officer.id) == [head, director, clerk]
    assert not is_in_reporting_line_above(session=db_session, viewer_id=line[4].id, employee_id=officer.id)


def test_reporting_line_above(db_session, line):
    director, head, officer, clerk, peer = line
    assert is_in_reporting_line_above(session=db_session, viewer_id=director.id, employee_id=clerk.id)
    assert not is_in_reporting_line_above(session=db_session, viewer_id=peer.id, employee_id=clerk.id)
    assert not is_in_reporting_line_above(session=db_session, viewer_id=clerk.id, employee_id=officer.id)
    assert not is_in_reporting_line_above(session=db_session, viewer_id=clerk.id, employee_id=clerk.id)


def test_unit_head_walks_up_past_headless_units_and_self(db_session, line, units):
    director, head, officer, clerk, _ = line
    units["MIN"].head_employee_id = director.id
    units["DEP"].head_employee_id = head.id
    db_session.flush()

    assert unit_head(session=db_session, employee=clerk) is head  # DIV has no head
    assert unit_head(session=db_session, employee=head) is director  # a head answers to the unit above
    assert unit_head(session=db_session, employee=director) is None

    units["DIV"].head_employee_id = officer.id
    db_session.flush()
    assert unit_head(session=db_session, employee=clerk) is officer


def test_unit_head_skips_an_inactive_head(db_session, line, units):
    director, head, officer, clerk, _ = line
    units["MIN"].head_employee_id = director.id
    units["DIV"].head_employee_id = officer.id
    officer.active = False
    db_session.flush()

    assert unit_head(session=db_session, employee=clerk) is director


def test_list_units_puts_parents_before_children(db_session, units):
    db_session.add(OrgUnit(code="AAA", name_th="หน่วยย่อย", parent_id=units["MIN"].id))
    db_session.add(OrgUnit(code="ZZZ", name_th="อีกกระทรวง"))
    db_session.flush()

    tree = list_units(session=db_session)

    assert [(n.code, n.depth) for n in tree] == [("MIN", 0), ("AAA", 1), ("DEP", 1), ("DIV", 2), ("ZZZ", 0)]
    assert tree[3].path == ("MIN", "DEP", "DIV")
    assert tree[3].parent_id == units["DEP"].id


def test_employees_with_role(db_session, line):
    director, head, officer, clerk, peer = line
    db_session.add_all([EmployeeRole(employee_id=peer.id, role="hr"), EmployeeRole(employee_id=head.id, role="hr")])
    clerk.active = False
    db_session.flush()

    assert employees_with_role(session=db_session, role="hr") == [head, peer]
    assert employees_with_role(session=db_session, role="employee") == [director, head, officer, peer]
    with pytest.raises(InvalidInput):
        employees_with_role(session=db_session, role="boss")


def test_can_view_employee(db_session, line):
    director, head, officer, clerk, peer = line
    db_session.add(EmployeeRole(employee_id=peer.id, role="hr"))
    db_session.flush()
    db_session.expire(peer)

    assert can_view_employee(session=db_session, viewer=clerk, employee=clerk)
    assert can_view_employee(session=db_session, viewer=director, employee=clerk)
    assert can_view_employee(session=db_session, viewer=peer, employee=director)  # hr
    assert not can_view_employee(session=db_session, viewer=clerk, employee=officer)
    assert not can_view_employee(session=db_session, viewer=officer, employee=line[4])
    head.active = False
    assert not can_view_employee(session=db_session, viewer=head, employee=clerk)
