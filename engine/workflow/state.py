"""Instance state as JSON, without the spec: the host stores the spec once per hash.

The state converter leaves the spec out of every save (it is most of the bytes and most of the
time); restoring puts the already-loaded spec objects back in.
"""
from __future__ import annotations

import json
from typing import Mapping
from weakref import WeakKeyDictionary

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.workflow.parsing import SERIALIZER, LoadedSpec, blob_of, load_spec, spec_hash


class StateOnlyConverter(BpmnWorkflowConverter):
    """BpmnWorkflowConverter.to_dict (SpiffWorkflow 3.2.0) minus the spec and subprocess specs."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


STATE_SERIALIZER = BpmnWorkflowSerializer(
    BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: StateOnlyConverter}))

# spec object -> content hash, so a save does not re-serialize the spec to name it.
_HASHES: WeakKeyDictionary = WeakKeyDictionary()


def remember_hash(loaded: LoadedSpec) -> LoadedSpec:
    """Record which hash a loaded spec has, for `serialize`."""
    _HASHES[loaded.spec] = loaded.spec_hash
    return loaded


def hash_of(wf: BpmnWorkflow) -> str:
    """Content hash of the spec an instance runs on."""
    known = _HASHES.get(wf.spec)
    if known is None:
        known = _HASHES[wf.spec] = spec_hash(blob_of(wf.spec, wf.subprocess_specs))
    return known


def serialize(wf: BpmnWorkflow) -> tuple[str, str]:
    """`(spec_hash, state_json)`: the state without the spec, which the host stores once per hash."""
    return hash_of(wf), STATE_SERIALIZER.serialize_json(wf)


def restore(spec: LoadedSpec | Mapping, state_json: str, *, script_engine) -> BpmnWorkflow:
    """Rebuild an instance from its pinned spec (blob or LoadedSpec) and saved state."""
    state = json.loads(state_json, cls=STATE_SERIALIZER.json_decoder_cls)
    if state.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION:
        # Older serializations need SpiffWorkflow's migrations, which work on the spec dicts.
        if isinstance(spec, LoadedSpec):
            raise ValueError("state from an older serializer needs the spec blob, not a LoadedSpec")
        raw = json.loads(state_json)
        raw.update(spec=spec["spec"], subprocess_specs=spec["subprocess_specs"])
        wf = SERIALIZER.deserialize_json(json.dumps(raw))
    else:
        loaded = spec if isinstance(spec, LoadedSpec) else load_spec(spec)
        remember_hash(loaded)
        state.pop(SERIALIZER.VERSION_KEY)
        # The registry leaves non-dict values alone, so the already-built specs are reused as is.
        state.update(spec=loaded.spec, subprocess_specs=dict(loaded.subprocess_specs))
        wf = SERIALIZER.from_dict(state)
    wf.script_engine = script_engine
    return wf
