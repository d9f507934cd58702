"""Version diffs and content-hashed spec blobs."""
import json

import pytest
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.workflow.diff import diff_versions
from engine.workflow.parsing import build_spec, build_specs


def replaced(sources, filename, old, new):
    assert old in sources[filename].decode()
    return {**sources, filename: sources[filename].decode().replace(old, new, 1).encode()}


def test_identical_versions_have_no_diff(sources):
    assert diff_versions(sources, dict(sources)) == {"added": [], "removed": [], "changed": []}


def test_moving_shapes_is_not_a_change(sources):
    moved = replaced(sources, "overtime.bpmn", '<dc:Bounds x="130" y="0"', '<dc:Bounds x="140" y="10"')
    assert diff_versions(sources, moved) == {"added": [], "removed": [], "changed": []}


def test_renaming_a_task_and_editing_a_dmn_rule(sources):
    edited = replaced(sources, "offsite.bpmn", 'name="Supervisor approval (', 'name="Head of section approval (')
    edited = replaced(edited, "offsite_chain.dmn", "<text>&gt; 3</text>", "<text>&gt; 5</text>")
    changes = diff_versions(sources, edited)
    assert [(c["id"], c["type"], c["file"]) for c in changes["changed"]] == [
        ("supervisor_approval", "userTask", "offsite.bpmn"),
        ("offsite_long_days", "inputEntry", "offsite_chain.dmn"),
    ]
    assert changes["changed"][0]["name"].startswith("Head of section")


def test_removed_file_lists_its_elements(sources):
    smaller = {k: v for k, v in sources.items() if k != "missed_punch_chain.dmn"}
    removed = diff_versions(sources, smaller)["removed"]
    assert {"id": "missed_punch_chain", "type": "decision", "file": "missed_punch_chain.dmn",
            "name": "Missed punch approval chain (ลำดับการอนุมัติคำขอกรณีไม่สามารถบันทึกเวลาได้)"} in removed


def test_every_shipped_process_is_built(specs):
    assert set(specs) == {"overtime_request", "offsite_request", "missed_punch_request"}
    for published in specs.values():
        assert len(published.spec_hash) == 64
        json.dumps(published.blob)  # storable as JSON as is
        assert set(published.blob) == {"spec", "subprocess_specs"}


def test_hash_follows_content_only(sources, specs):
    again = build_spec(dict(reversed(list(sources.items()))), "overtime_request")
    assert again.spec_hash == specs["overtime_request"].spec_hash
    changed = build_spec(replaced(sources, "overtime_chain.dmn", "<text>&gt; 4</text>", "<text>&gt; 3</text>"),
                         "overtime_request")
    assert changed.spec_hash != specs["overtime_request"].spec_hash
    # Other processes do not depend on that table.
    assert build_specs(replaced(sources, "overtime_chain.dmn", "<text>&gt; 4</text>", "<text>&gt; 3</text>"))[
        "offsite_request"].spec_hash == specs["offsite_request"].spec_hash


def test_build_refuses_schema_errors(sources):
    broken = replaced(sources, "overtime.bpmn", "<bpmn:laneSet", "<bpmn:frobnicate /><bpmn:laneSet")
    with pytest.raises(ValidationException):
        build_spec(broken, "overtime_request")


def test_state_names_its_spec_hash_even_for_freshly_parsed_specs(sources, specs):
    from SpiffWorkflow.bpmn import BpmnWorkflow

    from engine.workflow.parsing import make_parser
    from engine.workflow.state import serialize

    parser = make_parser(sources)
    wf = BpmnWorkflow(parser.get_spec("missed_punch_request"), parser.get_subprocess_specs("missed_punch_request"))
    spec_hash, state_json = serialize(wf)
    assert spec_hash == specs["missed_punch_request"].spec_hash
    assert '"spec"' not in state_json
