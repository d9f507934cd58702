"""Two versions of one process compared for the analyst: the elements added, removed or changed, the
DMN rows that changed, and which BPMN ids to mark on the newer diagram."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from sqlalchemy.orm import Session

from engine.models import ProcessVersion
from engine.workflow.catalogue import process_file
from engine.workflow.diff import diff_versions
from engine.workflow.dmn_rows import RowChange, changed_rows
from engine.workflow.parsing import BPMN_SUFFIX
from engine.workflow.validation import NS
from engine.workflow.versions import version_of


@dataclass(frozen=True)
class Comparison:
    first: ProcessVersion
    second: ProcessVersion
    elements: dict[str, list[dict]]
    rows: list[RowChange]
    bpmn_file: str | None
    added: list[str]
    changed: list[str]


def tasks_calling(sources: dict[str, str], decision_ids: set[str]) -> set[str]:
    """Business rule tasks that call one of `decision_ids` (they change with the table they call)."""
    found = set()
    for name, text in sources.items():
        if name.endswith(BPMN_SUFFIX):
            for task in etree.fromstring(text.encode()).iterfind(".//bpmn:businessRuleTask", NS):
                called = task.findtext(".//spiffworkflow:calledDecisionId", namespaces=NS)
                if called and called.strip() in decision_ids:
                    found.add(task.get("id"))
    return found


def compare_versions(*, session: Session, process_id: str, a: int, b: int) -> Comparison:
    """Version `a` against version `b` of one process (NotFound for a version that does not exist)."""
    first, second = (version_of(session=session, process_id=process_id, number=n) for n in (a, b))
    elements = diff_versions(*({name: text.encode() for name, text in v.sources.items()} for v in (first, second)))
    rows = changed_rows(first.sources, second.sources)
    bpmn = process_file(second.sources)
    added = [e["id"] for e in elements["added"] if e["file"] == bpmn]
    changed = [e["id"] for e in elements["changed"] if e["file"] == bpmn]
    changed += sorted(tasks_calling(second.sources, {r.decision_id for r in rows}) - set(changed))
    return Comparison(first, second, elements, rows, bpmn, added, changed)
