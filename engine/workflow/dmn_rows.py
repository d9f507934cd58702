"""The rows of DMN decision tables compared between two versions, for the analyst's compare screen.

Element ids alone say that a cell changed; analysts read a decision table by rows, so a row is
shown with its cells before and after.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from lxml import etree

from engine.workflow.parsing import DMN_SUFFIX


@dataclass(frozen=True)
class Row:
    file: str
    decision_id: str
    rule_id: str
    description: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RowChange:
    kind: str  # added, removed or changed
    file: str
    decision_id: str
    rule_id: str
    description: str
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def table_rows(sources: Mapping[str, str]) -> dict[tuple[str, str], Row]:
    """Every rule of every DMN file, keyed by (file, rule id); cells are input entries then outputs."""
    rows = {}
    for name, text in sorted(sources.items()):
        if not name.endswith(DMN_SUFFIX):
            continue
        root = etree.fromstring(text.encode() if isinstance(text, str) else text)
        for decision in (n for n in root if _local(n) == "decision"):
            for rule in (n for n in decision.iter() if _local(n) == "rule"):
                cells, description = [], ""
                for child in rule:
                    if _local(child) == "description":
                        description = (child.text or "").strip()
                    elif _local(child) in ("inputEntry", "outputEntry"):
                        text_node = next((n for n in child if _local(n) == "text"), None)
                        cells.append((text_node.text or "").strip() if text_node is not None else "")
                rows[(name, rule.get("id"))] = Row(name, decision.get("id"), rule.get("id"), description,
                                                   tuple(cells))
    return rows


def changed_rows(before: Mapping[str, str], after: Mapping[str, str]) -> list[RowChange]:
    """Rows added, removed or with different cells (or description) from `before` to `after`."""
    old, new = table_rows(before), table_rows(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and (a.cells, a.description) == (b.cells, b.description):
            continue
        kind = "added" if a is None else "removed" if b is None else "changed"
        row = b or a
        changes.append(RowChange(kind, row.file, row.decision_id, row.rule_id, row.description,
                                 a.cells if a else None, b.cells if b else None))
    return changes
