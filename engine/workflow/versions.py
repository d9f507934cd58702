"""Published process versions: immutable, content-hashed, one current version per process.

Publishing validates the whole set of sources first and stores nothing when any file has a
problem, so a broken upload never replaces what is running.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.models import ProcessVersion
from engine.workflow.diff import diff_versions
from engine.workflow.parsing import DMN_SUFFIX, LoadedSpec, build_specs, load_sources, load_spec
from engine.workflow.script_pool import ScriptLimits
from engine.workflow.validation import NS, Problem, validate_sources

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"

# Specs are immutable per hash, so a loaded spec can be shared for the life of the process.
_LOADED: dict[str, LoadedSpec] = {}
# (database url, process id) -> the version new requests start on. Only a hint: the host inserts
# an instance only while that version is still current (see host.start), and on a miss the caller
# forgets the hint and reads again, so a publish by another process is never missed.
_CURRENT: dict[tuple[str, str], "CurrentVersion"] = {}


class SourcesInvalid(InvalidInput):
    """Sources with problems; `problems` lists each as `file:line: element-id: message`."""

    code = "bpmn_invalid"

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the process files; nothing was published.",
                         problems=[{"file": p.file, "line": p.line, "element_id": p.element_id,
                                    "message": p.message, "text": p.format()} for p in problems])
        self.problems = problems


@dataclass(frozen=True)
class CurrentVersion:
    """What starting a request needs of the current version of its process."""

    id: int
    process_id: str
    version: int
    spec_hash: str


@dataclass(frozen=True)
class PublishResult:
    process_id: str
    version: ProcessVersion
    changed: bool


def loaded_spec(*, session: Session, spec_hash: str) -> LoadedSpec:
    """The SpiffWorkflow objects of a stored version, deserialized once per hash and process."""
    loaded = _LOADED.get(spec_hash)
    if loaded is None:
        blob = session.scalar(select(ProcessVersion.spec_blob).where(ProcessVersion.spec_hash == spec_hash))
        if blob is None:
            raise NotFound(f"No published version has the spec hash {spec_hash}.", code="process_version_not_found")
        loaded = _LOADED[spec_hash] = load_spec(blob)
    return loaded


def current_version(*, session: Session, process_id: str) -> ProcessVersion | None:
    """The version new requests of `process_id` start on."""
    return session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                       ProcessVersion.is_current.is_(True)))


def current_version_hint(*, session: Session, process_id: str) -> CurrentVersion | None:
    """The current version of `process_id` as last seen by this process (read once, then remembered).

    Callers must confirm it is still current in the statement that uses it (host.start does) and
    call `forget_current_versions` when it is not.
    """
    key = (str(session.get_bind().url), process_id)
    known = _CURRENT.get(key)
    if known is None:
        row = session.execute(select(ProcessVersion.id, ProcessVersion.process_id, ProcessVersion.version,
                                     ProcessVersion.spec_hash)
                              .where(ProcessVersion.process_id == process_id,
                                     ProcessVersion.is_current.is_(True))).first()
        if row is None:
            return None
        known = _CURRENT[key] = CurrentVersion(*row)
    return known


def forget_current_versions() -> None:
    """Drop every remembered current version (after a publish, or when one turned out stale)."""
    _CURRENT.clear()


def current_sources(*, session: Session) -> dict[str, bytes]:
    """Every file of every current version, merged: the base an upload of a few files edits."""
    merged: dict[str, bytes] = {}
    for version in session.scalars(select(ProcessVersion).where(ProcessVersion.is_current.is_(True))):
        merged.update({name: text.encode() for name, text in version.sources.items()})
    return merged


def _files_of(sources: Mapping[str, bytes], process_id: str) -> dict[str, str]:
    """The BPMN file defining `process_id` plus the DMN files it calls (what its diff should show)."""
    chosen: dict[str, str] = {}
    decisions: set[str] = set()
    for name, raw in sources.items():
        root = etree.fromstring(raw)
        if root.find(f"bpmn:process[@id='{process_id}']", NS) is not None:
            chosen[name] = raw.decode()
            decisions.update((n.text or "").strip() for n in root.iter(f"{{{SPIFF_NS}}}calledDecisionId"))
    for name, raw in sources.items():
        if name.endswith(DMN_SUFFIX):
            root = etree.fromstring(raw)
            ids = {d.get("id") for d in root if isinstance(d.tag, str) and etree.QName(d).localname == "decision"}
            if ids & decisions:
                chosen[name] = raw.decode()
    return chosen


def validate(*, sources: Mapping[str, bytes], limits: ScriptLimits | None = None) -> list[Problem]:
    """Every problem of a full set of sources (empty when it may be published); expressions run under `limits`."""
    return validate_sources(sources, limits=limits)


def publish(*, session: Session, sources: Mapping[str, bytes], published_by: str,
            limits: ScriptLimits | None = None) -> list[PublishResult]:
    """Validate, then store a new current version of every process whose content changed; commits.

    Raises SourcesInvalid (nothing stored) when any file has a problem.
    """
    results = _store_versions(session, sources, published_by, limits)
    session.commit()
    return results


def _store_versions(session: Session, sources: Mapping[str, bytes], published_by: str,
                    limits: ScriptLimits | None = None) -> list[PublishResult]:
    problems = validate_sources(sources, limits=limits)
    if problems:
        raise SourcesInvalid(problems)
    forget_current_versions()
    results = []
    for process_id, built in sorted(build_specs(sources).items()):
        current = current_version(session=session, process_id=process_id)
        if current is not None and current.spec_hash == built.spec_hash:
            results.append(PublishResult(process_id, current, False))
            continue
        same = session.scalar(select(ProcessVersion).where(ProcessVersion.spec_hash == built.spec_hash))
        if current is not None:
            current.is_current = False
        if same is not None:  # back to an earlier version: reuse it rather than store a duplicate
            same.is_current = True
            results.append(PublishResult(process_id, same, True))
            continue
        number = (session.scalar(select(func.max(ProcessVersion.version))
                                 .where(ProcessVersion.process_id == process_id)) or 0) + 1
        version = ProcessVersion(process_id=process_id, version=number, name=built.name,
                                 spec_hash=built.spec_hash, spec_blob=built.blob,
                                 sources=_files_of(sources, process_id), published_by=published_by,
                                 is_current=True)
        session.add(version)
        session.flush()
        results.append(PublishResult(process_id, version, True))
    return results


def publish_uploaded(*, session: Session, files: Mapping[str, bytes], published_by: str,
                     limits: ScriptLimits | None = None) -> list[PublishResult]:
    """Publish uploaded files over the currently published ones (an upload may hold only the edited file); commits."""
    return publish(session=session, sources={**current_sources(session=session), **files},
                   published_by=published_by, limits=limits)


def ensure_published(*, session: Session, bpmn_dir: str | Path) -> None:
    """Publish the shipped folder when nothing is published yet (first start, fresh database); commits."""
    publish_shipped_if_none(session=session, bpmn_dir=bpmn_dir)
    session.commit()


def publish_shipped_if_none(*, session: Session, bpmn_dir: str | Path) -> None:
    """`ensure_published` inside a larger unit of work, such as a submit that needs a version (no commit)."""
    if session.scalar(select(ProcessVersion.id).limit(1)) is not None:
        return
    try:
        with session.begin_nested():
            _store_versions(session, load_sources(bpmn_dir), "system")
    except IntegrityError:
        pass  # another process published the same files at the same moment


def list_versions(*, session: Session) -> dict[str, list[ProcessVersion]]:
    """Every process id with its versions, newest first."""
    found: dict[str, list[ProcessVersion]] = {}
    query = select(ProcessVersion).order_by(ProcessVersion.process_id, ProcessVersion.version.desc())
    for version in session.scalars(query):
        found.setdefault(version.process_id, []).append(version)
    return found


def version_of(*, session: Session, process_id: str, number: int) -> ProcessVersion:
    """One stored version, or NotFound."""
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                          ProcessVersion.version == number))
    if version is None:
        raise NotFound(f"Process {process_id} has no version {number}.", code="process_version_not_found")
    return version


def diff(*, session: Session, process_id: str, a: int, b: int) -> dict[str, list[dict]]:
    """Elements added, removed or changed from version a to version b of one process."""
    first, second = (version_of(session=session, process_id=process_id, number=n) for n in (a, b))
    encode = lambda version: {name: text.encode() for name, text in version.sources.items()}  # noqa: E731
    return diff_versions(encode(first), encode(second))
