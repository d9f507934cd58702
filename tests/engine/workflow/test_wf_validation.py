"""The publish-time validator: one small broken file per kind of problem."""
import pytest

from engine.workflow.validation import InvalidSources, Problem, check_sources, validate_sources

TASK_IN_LANE = """    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_a" name="{lane}"><bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>"""

APPROVE = """    <bpmn:startEvent id="begin" />
    <bpmn:userTask id="approve" name="Approve" />
    <bpmn:endEvent id="finish" />"""
APPROVE_FLOWS = """    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="finish" />"""


def line_of(raw: bytes, text: str) -> int:
    return raw.decode().splitlines().index(next(l for l in raw.decode().splitlines() if text in l)) + 1


def edited(sources, filename, old, new):
    raw = sources[filename].decode()
    assert old in raw, old
    return {**sources, filename: raw.replace(old, new, 1).encode()}


def test_shipped_processes_are_clean(sources):
    assert validate_sources(sources) == []
    check_sources(sources)


def test_problem_format():
    assert Problem("a.bpmn", 12, "approve", "bad").format() == "a.bpmn:12: approve: bad"
    assert Problem(None, None, None, "bad").format() == "-:-: -: bad"


def test_malformed_xml(sources):
    broken = {**sources, "overtime.bpmn": sources["overtime.bpmn"].replace(b"</bpmn:process>", b"</bpmn:proc>")}
    [problem] = validate_sources(broken)
    assert problem.file == "overtime.bpmn" and problem.line and "malformed XML" in problem.message


def test_xsd_error_has_a_line(sources):
    broken = edited(sources, "offsite.bpmn", '<bpmn:exclusiveGateway id="review_merge"',
                    '<bpmn:frobnicate id="oops" /><bpmn:exclusiveGateway id="review_merge"')
    problems = validate_sources(broken)
    assert problems and all(p.file == "offsite.bpmn" for p in problems)
    assert problems[0].line == line_of(broken["offsite.bpmn"], "frobnicate")
    assert "schema" in problems[0].message


def test_dmn_xsd_error(sources):
    broken = edited(sources, "offsite_chain.dmn", 'hitPolicy="UNIQUE"', 'hitPolicy="SOMETIMES"')
    problems = validate_sources(broken)
    assert any(p.file == "offsite_chain.dmn" and "schema" in p.message for p in problems)


def test_unknown_lane(sources):
    broken = edited(sources, "overtime.bpmn", 'name="director"', 'name="boss"')
    [problem] = validate_sources(broken)
    assert problem.element_id == "lane_director" and "unknown lane 'boss'" in problem.message
    assert validate_sources(broken, known_lanes=("requester", "supervisor", "director", "hr", "boss")) == []


def test_user_task_outside_a_lane(sources):
    broken = edited(sources, "missed_punch.bpmn", "<bpmn:flowNodeRef>hr_approval</bpmn:flowNodeRef>", "")
    [problem] = validate_sources(broken)
    assert problem.element_id == "hr_approval" and "not in a lane" in problem.message
    assert problem.line == line_of(broken["missed_punch.bpmn"], 'userTask id="hr_approval"')


def test_process_without_lanes(make_process):
    [problem] = validate_sources({"t.bpmn": make_process(APPROVE, flows=APPROVE_FLOWS)})
    assert problem.element_id == "approve" and "no lanes" in problem.message


@pytest.mark.parametrize("reserved", ["Start", "End"])
def test_ids_that_clash_with_engine_names(make_process, reserved):
    body = APPROVE.replace('id="begin"', f'id="{reserved}"')
    flows = APPROVE_FLOWS.replace('"begin"', f'"{reserved}"')
    problems = validate_sources({"t.bpmn": make_process(body, flows=flows,
                                                          lanes=TASK_IN_LANE.format(lane="hr", ref="approve"))})
    assert problems[0].element_id == reserved and "engine-internal" in problems[0].message


def test_condition_that_does_not_parse(sources):
    broken = edited(sources, "overtime.bpmn", 'decision == "reject"', 'decision === "reject"')
    [problem] = validate_sources(broken)
    assert problem.element_id == "flow_supervisor_reject" and "condition does not parse" in problem.message
    assert problem.line == line_of(broken["overtime.bpmn"], "===")


def test_condition_refused_by_the_sandbox(sources):
    broken = edited(sources, "overtime.bpmn", '>needs_director<', '>needs_director.__class__<')
    [problem] = validate_sources(broken)
    assert problem.element_id == "flow_to_director" and "refused by the sandbox" in problem.message


def test_script_that_does_not_compile(sources):
    broken = edited(sources, "offsite.bpmn", 'outcome = "approved"', 'outcome = "approved')
    [problem] = validate_sources(broken)
    assert problem.element_id == "record_approved" and "script does not parse" in problem.message


@pytest.mark.parametrize("expression,message", [
    ('"PT3X"', "not valid ISO 8601"),
    ("working_days_after(", "does not parse"),
    ("42", "not an ISO 8601 string"),
    ("working_days_after('x')", "fails"),
    ("__import__('os')", "refused by the sandbox"),
])
def test_bad_timer_expressions(sources, expression, message):
    broken = edited(sources, "overtime.bpmn", ">working_days_after(3)<", f">{expression}<")
    [problem] = validate_sources(broken)
    assert problem.element_id == "supervisor_reminder_timer" and message in problem.message


def test_timer_that_depends_on_task_data_is_left_to_the_run(sources):
    assert validate_sources(edited(sources, "overtime.bpmn", ">working_days_after(3)<",
                                   ">working_days_after(reminder_days)<")) == []


@pytest.mark.parametrize("cell", ["&gt; = 4", "4 &lt;", "().__class__"])
def test_dmn_cells_that_do_not_parse(sources, cell):
    broken = edited(sources, "overtime_chain.dmn", "<text>&gt; 4</text>", f"<text>{cell}</text>")
    [problem] = validate_sources(broken)
    assert problem.file == "overtime_chain.dmn" and problem.element_id == "overtime_long_hours"
    assert "DMN cell" in problem.message


def test_dmn_range_cells_are_accepted(sources):
    assert validate_sources(edited(sources, "overtime_chain.dmn", "<text>&gt; 4</text>",
                                   "<text>4 &lt; ? &lt; 24</text>")) == []


def test_dmn_output_that_does_not_parse(sources):
    broken = edited(sources, "offsite_chain.dmn", "<text>True</text>", "<text>Tru e</text>")
    [problem] = validate_sources(broken)
    assert problem.element_id == "offsite_long_director" and "DMN output" in problem.message


def test_semantic_error_gets_a_line_from_the_element_id(sources):
    # The business rule task names a decision no DMN file defines: SpiffWorkflow reports no file and no line.
    broken = edited(sources, "offsite.bpmn", ">offsite_chain<", ">offsite_chain_v2<")
    [problem] = validate_sources(broken)
    assert problem.file == "offsite.bpmn" and problem.element_id == "decide_chain"
    assert problem.line == line_of(broken["offsite.bpmn"], 'businessRuleTask id="decide_chain"')
    assert "No DMN Diagram available" in problem.message


def test_semantic_error_from_a_gateway(sources):
    # An exclusive gateway needs conditions on its outgoing flows except the default one.
    broken = edited(sources, "missed_punch.bpmn", ' default="flow_no_hr"', "")
    problems = validate_sources(broken)
    assert problems, "a gateway whose flows lack a condition must be reported"
    assert problems[0].file == "missed_punch.bpmn" and problems[0].line


def test_untyped_task(make_process):
    body = APPROVE.replace("bpmn:userTask", "bpmn:task")
    [problem] = validate_sources({"t.bpmn": make_process(body, flows=APPROVE_FLOWS)})
    assert problem.element_id == "approve" and "untyped task" in problem.message


def test_check_sources_raises_with_every_problem(sources):
    broken = edited(sources, "overtime.bpmn", 'name="director"', 'name="boss"')
    broken = edited(broken, "offsite.bpmn", 'outcome = "approved"', 'outcome = ')
    with pytest.raises(InvalidSources) as error:
        check_sources(broken)
    assert len(error.value.problems) == 2
    assert "overtime.bpmn:" in str(error.value) and "offsite.bpmn:" in str(error.value)


def test_the_readme_duration_example_publishes_and_a_duration_as_a_time_date_is_explained(sources):
    """bpmn/README.md: "PT48H" works as a time-duration timer; as a time date it is refused with a hint."""
    timer = '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">working_days_after(3)</bpmn:timeDate>'
    example = '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT48H"</bpmn:timeDuration>'
    from pathlib import Path

    assert example in (Path(__file__).resolve().parents[3] / "bpmn" / "README.md").read_text(encoding="utf-8")
    assert validate_sources(edited(sources, "overtime.bpmn", timer, example)) == []
    [problem] = validate_sources(edited(sources, "overtime.bpmn", ">working_days_after(3)<", '>"PT48H"<'))
    assert problem.element_id == "supervisor_reminder_timer" and "timeDuration" in problem.message
