"""Look-ups in the org directory: employees, reporting lines, unit heads, roles and who may see whom."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.models import ROLES, Employee, EmployeeRole, OrgUnit

# Roles that may view every employee's record.
DIRECTORY_WIDE_ROLES = frozenset({"hr", "admin"})


@dataclass(frozen=True)
class UnitNode:
    """One org unit placed in the tree: `depth` 0 is a root; `path` is the codes from the root down."""

    id: int
    code: str
    name_th: str
    name_en: str
    parent_id: int | None
    head_employee_id: int | None
    depth: int
    path: tuple[str, ...]


def get_employee_by_code(*, session: Session, code: str) -> Employee | None:
    """The employee with this employee code, or None."""
    return session.scalar(select(Employee).where(Employee.code == code.strip()))


def direct_subordinates(*, session: Session, employee_id: int, include_inactive: bool = False) -> list[Employee]:
    """Employees whose direct supervisor is `employee_id`, ordered by code."""
    query = select(Employee).where(Employee.supervisor_id == employee_id).order_by(Employee.code)
    if not include_inactive:
        query = query.where(Employee.active.is_(True))
    return list(session.scalars(query))


def supervisor_chain(*, session: Session, employee_id: int) -> list[Employee]:
    """The whole reporting line above the employee, nearest supervisor first.

    Stops at the first repeated person, so a loop in bad data cannot hang the caller; the
    employee never appears in their own chain.
    """
    chain: list[Employee] = []
    seen = {employee_id}
    current = session.get(Employee, employee_id)
    while current is not None and current.supervisor_id is not None and current.supervisor_id not in seen:
        seen.add(current.supervisor_id)
        current = session.get(Employee, current.supervisor_id)
        if current is not None:
            chain.append(current)
    return chain


def is_in_reporting_line_above(*, session: Session, viewer_id: int, employee_id: int) -> bool:
    """Whether `viewer_id` is a direct or indirect supervisor of `employee_id`.

    Walks up one supervisor id at a time and stops at the viewer, so the usual case (the
    direct supervisor asking) costs one small query; loops in bad data end the walk.
    """
    seen = {employee_id}
    current = session.scalar(select(Employee.supervisor_id).where(Employee.id == employee_id))
    while current is not None and current not in seen:
        if current == viewer_id:
            return True
        seen.add(current)
        current = session.scalar(select(Employee.supervisor_id).where(Employee.id == current))
    return False


def unit_head(*, session: Session, employee: Employee) -> Employee | None:
    """The head of the employee's unit, walking up the unit tree while a unit has no usable head.

    A head is usable when it is set, active and not the employee themself: the head of a
    unit answers to the head of the unit above. None when no unit up to the root has one.
    """
    seen: set[int] = set()
    unit_id = employee.unit_id
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            return None
        if unit.head_employee_id is not None and unit.head_employee_id != employee.id:
            head = session.get(Employee, unit.head_employee_id)
            if head is not None and head.active:
                return head
        unit_id = unit.parent_id
    return None


def list_units(*, session: Session) -> list[UnitNode]:
    """Every org unit in depth-first order (each parent before its children, siblings by code).

    Units whose parent is missing or that sit in a parent loop are listed as roots, so no
    unit is ever dropped from the list.
    """
    units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.code)))
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)

    ordered: list[UnitNode] = []
    placed: set[int] = set()

    def place(roots: list[OrgUnit]) -> None:
        stack = [(unit, 0, ()) for unit in reversed(roots)]
        while stack:
            unit, depth, path = stack.pop()
            if unit.id in placed:
                continue
            placed.add(unit.id)
            node_path = (*path, unit.code)
            ordered.append(UnitNode(unit.id, unit.code, unit.name_th, unit.name_en, unit.parent_id,
                                    unit.head_employee_id, depth, node_path))
            stack.extend((child, depth + 1, node_path) for child in reversed(children.get(unit.id, [])))

    place(children.get(None, []))
    place([u for u in units if u.id not in placed])  # units caught in a parent loop
    return ordered


def employees_with_role(*, session: Session, role: str, include_inactive: bool = False) -> list[Employee]:
    """Employees holding `role`, ordered by code; every employee holds `employee`."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role '{role}'", code="unknown_role")
    query = select(Employee).order_by(Employee.code)
    if role != "employee":
        query = query.where(Employee.id.in_(select(EmployeeRole.employee_id).where(EmployeeRole.role == role)))
    if not include_inactive:
        query = query.where(Employee.active.is_(True))
    return list(session.scalars(query))


def can_view_employee(*, session: Session, viewer: Employee, employee: Employee) -> bool:
    """Whether `viewer` may see `employee`'s records: HR or admin, the employee themself, or anyone above them.

    An inactive viewer sees nobody, not even themself.
    """
    if not viewer.active:
        return False
    if viewer.id == employee.id or viewer.roles & DIRECTORY_WIDE_ROLES:
        return True
    return is_in_reporting_line_above(session=session, viewer_id=viewer.id, employee_id=employee.id)
