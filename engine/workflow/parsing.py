"""Build immutable, content-hashed spec blobs from BPMN/DMN sources.

A *spec blob* is the JSON-serialisable `{"spec": ..., "subprocess_specs": ...}` part of a
SpiffWorkflow serialization. The host stores it once per hash; instances store only their state
and the hash they were started on, so editing a diagram never changes a running request.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

BPMN_SUFFIX = ".bpmn"
DMN_SUFFIX = ".dmn"

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
SERIALIZER_VERSION = SERIALIZER.VERSION


@dataclass(frozen=True)
class PublishedSpec:
    """One executable process, ready to be stored immutably under `spec_hash`."""

    process_id: str
    name: str
    spec_hash: str
    blob: dict


def load_sources(directory: str | Path) -> dict[str, bytes]:
    """Read every .bpmn and .dmn file of a folder as `{filename: bytes}`."""
    folder = Path(directory)
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix in (BPMN_SUFFIX, DMN_SUFFIX)
    }


def make_parser(sources: Mapping[str, bytes]) -> SpiffBpmnParser:
    """An XSD-validating parser loaded with every source; raises on the first bad file."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    for filename, raw in sorted(sources.items()):
        if filename.endswith(DMN_SUFFIX):
            parser.add_dmn_xml(etree.fromstring(raw), filename=filename)
        elif filename.endswith(BPMN_SUFFIX):
            parser.add_bpmn_xml(etree.fromstring(raw), filename=filename)
    return parser


def spec_hash(blob: dict) -> str:
    """Content hash of a spec blob (sha256 of canonical JSON plus the serializer version)."""
    canonical = json.dumps(blob, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{SERIALIZER_VERSION}\n{canonical}".encode()).hexdigest()


def blob_of(spec, subprocess_specs) -> dict:
    """The spec blob of parsed specs, produced exactly as a workflow serialization contains it."""
    state = json.loads(SERIALIZER.serialize_json(BpmnWorkflow(spec, subprocess_specs)))
    return {"spec": state["spec"], "subprocess_specs": state["subprocess_specs"]}


@dataclass(frozen=True)
class LoadedSpec:
    """A spec blob turned back into SpiffWorkflow objects.

    Specs are read-only while instances run, so the host may keep one per hash and share it
    between instances and threads (a workflow object itself must never be shared).
    """

    spec_hash: str
    spec: object
    subprocess_specs: dict


def load_spec(spec_blob: Mapping) -> LoadedSpec:
    """Deserialize a stored spec blob (the blob itself is left untouched)."""
    # from_dict rewrites the dicts it is given; a JSON round trip is a fast deep copy.
    blob = json.loads(json.dumps(spec_blob))
    return LoadedSpec(
        spec_hash=spec_hash(spec_blob),
        spec=SERIALIZER.from_dict(blob["spec"]),
        subprocess_specs={name: SERIALIZER.from_dict(sub) for name, sub in blob["subprocess_specs"].items()},
    )


def build_spec(sources: Mapping[str, bytes], process_id: str) -> PublishedSpec:
    """Parse the sources and return the published form of one process."""
    parser = make_parser(sources)
    spec = parser.get_spec(process_id)
    blob = blob_of(spec, parser.get_subprocess_specs(process_id))
    return PublishedSpec(process_id=process_id, name=spec.description or process_id,
                         spec_hash=spec_hash(blob), blob=blob)


def build_specs(sources: Mapping[str, bytes]) -> dict[str, PublishedSpec]:
    """Published form of every executable process in the sources, keyed by process id."""
    parser = make_parser(sources)
    published = {}
    for process_id in parser.get_process_ids():
        spec = parser.get_spec(process_id)
        blob = blob_of(spec, parser.get_subprocess_specs(process_id))
        published[process_id] = PublishedSpec(process_id=process_id, name=spec.description or process_id,
                                              spec_hash=spec_hash(blob), blob=blob)
    return published
