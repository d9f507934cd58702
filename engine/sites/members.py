"""Who belongs to a site: the units working there (with every unit below them) and employees named explicitly.

A site's people decide whose face photos its terminals may receive and whose punches they may post, so
membership is kept apart from where someone happened to punch.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.directory.units import units_above, units_within
from engine.errors import InvalidInput
from engine.models import Employee, OrgUnit, Site, SiteEmployee, SiteUnit


@dataclass(frozen=True)
class SiteMembers:
    """A site's units and its explicitly named employees."""

    site: Site
    units: list[OrgUnit]
    employees: list[Employee]


def employee_site_ids(*, session: Session, employee: Employee) -> set[int]:
    """The sites an employee belongs to: named explicitly, or through their unit or a unit above it."""
    explicit = set(session.scalars(select(SiteEmployee.site_id).where(SiteEmployee.employee_id == employee.id)))
    if employee.unit_id is None:
        return explicit
    units = [employee.unit_id, *units_above(session=session, unit_id=employee.unit_id)]
    return explicit | set(session.scalars(select(SiteUnit.site_id).where(SiteUnit.unit_id.in_(units))))


def site_employee_ids(*, session: Session, site_id: int) -> set[int]:
    """Every employee (active or not) who belongs to the site."""
    explicit = set(session.scalars(select(SiteEmployee.employee_id).where(SiteEmployee.site_id == site_id)))
    unit_ids = set(session.scalars(select(SiteUnit.unit_id).where(SiteUnit.site_id == site_id)))
    if not unit_ids:
        return explicit
    within = units_within(session=session, unit_ids=unit_ids)
    return explicit | set(session.scalars(select(Employee.id).where(Employee.unit_id.in_(within))))


def site_members(*, session: Session, site: Site) -> SiteMembers:
    """The site's units and explicit employees, by code."""
    units = list(session.scalars(select(OrgUnit).join(SiteUnit, SiteUnit.unit_id == OrgUnit.id)
                                 .where(SiteUnit.site_id == site.id).order_by(OrgUnit.code)))
    employees = list(session.scalars(select(Employee).join(SiteEmployee, SiteEmployee.employee_id == Employee.id)
                                     .where(SiteEmployee.site_id == site.id).order_by(Employee.code)))
    return SiteMembers(site=site, units=units, employees=employees)


def replace_site_members(*, session: Session, site: Site, unit_codes: list[str],
                         employee_codes: list[str]) -> None:
    """Replace the site's units and explicit employees with the given codes (all known, or nothing changes);
    no commit (`engine.terminals.site_members.change_site_members` is the command)."""
    unit_codes, employee_codes = list(dict.fromkeys(unit_codes)), list(dict.fromkeys(employee_codes))
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(unit_codes)))}
    employees = {e.code: e for e in session.scalars(select(Employee).where(Employee.code.in_(employee_codes)))}
    missing_units = [code for code in unit_codes if code not in units]
    if missing_units:
        raise InvalidInput(f"No unit has the code {', '.join(missing_units)}.", code="unit_not_found",
                           field="unit_codes")
    missing_people = [code for code in employee_codes if code not in employees]
    if missing_people:
        raise InvalidInput(f"No employee has the code {', '.join(missing_people)}.", code="employee_not_found",
                           field="employee_codes")
    session.execute(delete(SiteUnit).where(SiteUnit.site_id == site.id))
    session.execute(delete(SiteEmployee).where(SiteEmployee.site_id == site.id))
    session.add_all([SiteUnit(site_id=site.id, unit_id=units[code].id) for code in unit_codes])
    session.add_all([SiteEmployee(site_id=site.id, employee_id=employees[code].id) for code in employee_codes])
    session.flush()
