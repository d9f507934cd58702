"""The org unit tree as the API shows it: each unit with its parent's code and its head."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.service import list_units
from engine.models import Employee


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
