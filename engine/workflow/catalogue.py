"""The analysts' catalogue: each process with its versions, who published them, the decision tables
each version holds, and how many requests run (and ran) on each version."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Employee, ProcessInstance, ProcessVersion
from engine.workflow.parsing import BPMN_SUFFIX, DMN_SUFFIX
from engine.workflow.versions import list_versions


@dataclass(frozen=True)
class DecisionTable:
    file: str
    decision_id: str
    name: str


@dataclass(frozen=True)
class VersionEntry:
    version: ProcessVersion
    publisher: Employee | None
    running: int
    finished: int
    process_file: str | None
    decision_tables: list[DecisionTable]


@dataclass(frozen=True)
class ProcessEntry:
    process_id: str
    name: str
    current: VersionEntry | None
    versions: list[VersionEntry]


def decision_tables(sources: dict[str, str]) -> list[DecisionTable]:
    """The DMN decisions among a version's files, by file name."""
    found = []
    for name, text in sorted(sources.items()):
        if not name.endswith(DMN_SUFFIX):
            continue
        root = etree.fromstring(text.encode())
        for node in root:
            if isinstance(node.tag, str) and etree.QName(node).localname == "decision":
                found.append(DecisionTable(name, node.get("id"), node.get("name") or node.get("id")))
    return found


def process_file(sources: dict[str, str]) -> str | None:
    """The BPMN file of a version (its process's diagram)."""
    return next((name for name in sorted(sources) if name.endswith(BPMN_SUFFIX)), None)


def _usage(session: Session) -> dict[tuple[int, str], int]:
    rows = session.execute(select(ProcessInstance.version_id, ProcessInstance.status, func.count())
                           .group_by(ProcessInstance.version_id, ProcessInstance.status))
    return {(version_id, status): count for version_id, status, count in rows}


def catalogue(*, session: Session) -> list[ProcessEntry]:
    """Every published process, its current version first, then the others newest first."""
    usage = _usage(session)
    versions = list_versions(session=session)
    codes = {v.published_by for found in versions.values() for v in found}
    people = {e.code: e for e in session.scalars(select(Employee).where(Employee.code.in_(codes)))}
    entries = []
    for process_id, found in versions.items():
        shown = [VersionEntry(v, people.get(v.published_by), usage.get((v.id, "running"), 0),
                              usage.get((v.id, "finished"), 0), process_file(v.sources), decision_tables(v.sources))
                 for v in found]
        current = next((e for e in shown if e.version.is_current), None)
        entries.append(ProcessEntry(process_id, (current or shown[0]).version.name, current, shown))
    return entries
