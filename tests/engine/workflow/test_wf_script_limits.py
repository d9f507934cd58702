"""The limits every script runs under, at the core: a diagram that loops forever, and the step budget."""

import pytest

from engine.workflow.parsing import build_spec
from engine.workflow.runtime import ScriptOverLimit, start_workflow
from engine.workflow.sandbox import SandboxClock, make_script_engine
from engine.workflow.script_pool import ScriptLimits


def looping_process(make_process) -> bytes:
    return make_process(
        """    <bpmn:startEvent id="begin" />
    <bpmn:scriptTask id="count" name="Count"><bpmn:script>n = n + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="again" default="f_done" />
    <bpmn:endEvent id="finish" />""",
        process_id="looping",
        flows="""    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="count" />
    <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="again" />
    <bpmn:sequenceFlow id="f_loop" sourceRef="again" targetRef="count">
      <bpmn:conditionExpression>n &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_done" sourceRef="again" targetRef="finish" />""")


def test_diagram_that_loops_without_a_person_is_stopped_after_max_steps(make_process, clock):
    spec = build_spec({"loop.bpmn": looping_process(make_process)}, "looping")
    engine = make_script_engine(clock=SandboxClock(now=clock), limits=ScriptLimits(max_steps=50, timeout_s=30))
    with pytest.raises(ScriptOverLimit, match="more than 50 steps"):
        start_workflow(spec.blob, {"n": 0}, script_engine=engine)


def test_quick_scripts_share_one_step_budget(make_process, clock):
    spec = build_spec({"loop.bpmn": looping_process(make_process)}, "looping")
    # Each script is far under its own limit; together, the endless loop outruns the step's budget. The budget
    # is tiny so that the loop outruns it however fast this machine is.
    engine = make_script_engine(clock=SandboxClock(now=clock), limits=ScriptLimits(max_steps=10**6, timeout_s=0.05),
                                budget_s=0.05)
    with pytest.raises(ScriptOverLimit, match="ran longer than 0.05 s together"):
        start_workflow(spec.blob, {"n": 0}, script_engine=engine)
