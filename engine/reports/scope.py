"""Whom a report covers: the asker's reporting line (hr and admin: everyone), cut to a unit and an employee.

Everything is a SQL selection of employee ids (recursive CTEs over the reporting line and the unit tree),
so reports join it instead of filtering in Python. A unit or an employee the asker may not see is
answered exactly like one that does not exist (404), as everywhere else in OPS-TA.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from engine.directory.access import visible_employee
from engine.directory.service import DIRECTORY_WIDE_ROLES
from engine.errors import Forbidden, NotFound
from engine.models import Employee, OrgUnit
from engine.reports.table import Filters


@dataclass(frozen=True)
class Scope:
    employee_ids: Select          # select(Employee.id …) of the people the report covers
    unit: OrgUnit | None          # the unit asked for, if any


def reporting_line(viewer_id: int):
    """Everyone below `viewer_id` in the supervisor tree, as a recursive CTE with an `id` column."""
    line = select(Employee.id).where(Employee.supervisor_id == viewer_id).cte("reporting_line", recursive=True)
    below = select(Employee.id).join(line, Employee.supervisor_id == line.c.id)
    return line.union(below)   # UNION, not UNION ALL: a loop in bad data ends the recursion


def units_under(unit_id: int):
    """The unit and every unit below it, as a recursive CTE with an `id` column."""
    tree = select(OrgUnit.id).where(OrgUnit.id == unit_id).cte("unit_tree", recursive=True)
    return tree.union(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))


def report_scope(*, session: Session, viewer: Employee, filters: Filters) -> Scope:
    """The employees `viewer` may see in a report with `filters`; 403 for someone who supervises nobody."""
    wide = viewer.active and bool(viewer.roles & DIRECTORY_WIDE_ROLES)
    ids = select(Employee.id)
    line = None
    if not wide:
        line = reporting_line(viewer.id)
        if not viewer.active or session.scalar(select(line.c.id).limit(1)) is None:
            raise Forbidden("Reports are for hr, admin and supervisors.", code="report_forbidden")
        ids = ids.where(Employee.id.in_(select(line.c.id)))
    unit = None
    if filters.unit_code:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == filters.unit_code))
        subtree = units_under(unit.id) if unit is not None else None
        # A supervisor sees a unit when someone of their line works in it or below it.
        if unit is None or (line is not None and not session.scalar(select(exists().where(
                Employee.id.in_(select(line.c.id)), Employee.unit_id.in_(select(subtree.c.id)))))):
            raise NotFound("No unit with this code is visible to you.", code="unit_not_found")
        if filters.include_subunits:
            ids = ids.where(Employee.unit_id.in_(select(units_under(unit.id).c.id)))
        else:
            ids = ids.where(Employee.unit_id == unit.id)
    if filters.employee_code:
        employee = visible_employee(session=session, viewer=viewer, code=filters.employee_code)
        ids = ids.where(Employee.id == employee.id)
    return Scope(employee_ids=ids, unit=unit)
