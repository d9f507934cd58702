"""The org unit tree as the API shows it (each unit with its parent's code and its head), and the units above or
below a unit."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.service import list_units
from engine.models import Employee, OrgUnit


def unit_tree(*, session: Session) -> list[dict]:
    """Units parents-first, with `parent_code`, `depth` and the head employee (or None)."""
    nodes = list_units(session=session)
    code_by_id = {node.id: node.code for node in nodes}
    head_ids = {node.head_employee_id for node in nodes if node.head_employee_id}
    heads = {e.id: e for e in session.scalars(select(Employee).where(Employee.id.in_(head_ids)))} if head_ids else {}
    return [
        {"id": node.id, "code": node.code, "name_th": node.name_th, "name_en": node.name_en,
         "parent_code": code_by_id.get(node.parent_id), "depth": node.depth,
         "head": heads.get(node.head_employee_id)}
        for node in nodes
    ]


def units_above(*, session: Session, unit_id: int | None) -> list[int]:
    """The unit's ancestors' ids, nearest first (not the unit itself); a parent loop in bad data ends the walk."""
    ancestors: list[int] = []
    seen = {unit_id}
    current = session.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == unit_id)) if unit_id else None
    while current is not None and current not in seen:
        ancestors.append(current)
        seen.add(current)
        current = session.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == current))
    return ancestors


def units_within(*, session: Session, unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = list(unit_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return found
