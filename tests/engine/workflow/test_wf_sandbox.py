"""The RestrictedPython sandbox: what scripts may do, and what is refused at validate and run time."""
from datetime import date, datetime, timezone

import pytest

from engine.workflow.parsing import build_spec
from engine.workflow.runtime import ScriptFailed, start_workflow
from engine.workflow.sandbox import (
    SandboxClock,
    ScriptRefused,
    compile_expression,
    compile_script,
    make_script_engine,
)
from engine.workflow.validation import validate_sources

ESCAPES = {
    "import": "import os\nresult = os.getcwd()",
    "open": "content = open('/etc/passwd').read()",
    "dunder": "classes = ().__class__.__base__.__subclasses__()",
    "dunder_import": "m = __import__('os')",
}


def test_working_days_after_skips_weekends_and_keeps_local_time():
    friday_4pm_bkk = datetime(2026, 1, 9, 9, 0, tzinfo=timezone.utc)  # 16:00 in Bangkok
    clock = SandboxClock(now=lambda: friday_4pm_bkk)
    assert clock.working_days_after(3) == "2026-01-14T09:00:00+00:00"  # Wednesday 16:00 Bangkok


def test_working_days_after_uses_the_host_calendar():
    monday = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
    holidays = {date(2026, 1, 6)}
    clock = SandboxClock(now=lambda: monday, is_working_day=lambda d: d.weekday() < 5 and d not in holidays)
    assert clock.working_days_after(1) == "2026-01-07T02:00:00+00:00"


def test_ordinary_scripts_and_expressions_run(make_script_process, script_engine):
    script = (
        "totals = {}\n"
        "for name, hours in [('a', 2), ('b', 3)]:\n"
        "    totals[name] = hours\n"
        "total = sum(totals.values())\n"
        "total += 1\n"
        "due = working_days_after(1)\n"
        "label = 'x'.upper()\n"
    )
    spec = build_spec({"t.bpmn": make_script_process(script)}, "tiny_script")
    wf, _ = start_workflow(spec.blob, {}, script_engine=script_engine)
    assert wf.is_completed()
    assert wf.data["total"] == 6 and wf.data["label"] == "X" and wf.data["due"].endswith("+00:00")
    assert eval(compile_expression("hours > 4 and max(1, 2) == 2"), {"hours": 5, "max": max})


@pytest.mark.parametrize("kind", sorted(ESCAPES))
def test_escapes_are_refused_at_compile_time(kind):
    with pytest.raises(ScriptRefused):
        compile_script(ESCAPES[kind])


@pytest.mark.parametrize("kind", sorted(ESCAPES))
def test_escapes_are_validator_problems(kind, make_script_process):
    problems = validate_sources({"t.bpmn": make_script_process(ESCAPES[kind])})
    assert [p.element_id for p in problems] == ["run_script"]
    assert "refused by the sandbox" in problems[0].message


@pytest.mark.parametrize("kind", sorted(ESCAPES))
def test_escapes_fail_safely_at_run_time(kind, make_script_process, script_engine):
    # Published without the validator (e.g. an old version): the run must still refuse it,
    # before any line of the script runs.
    script = "executed = True\n" + ESCAPES[kind]
    spec = build_spec({"t.bpmn": make_script_process(script)}, "tiny_script")
    with pytest.raises(ScriptFailed) as failure:
        start_workflow(spec.blob, {}, script_engine=script_engine)
    assert failure.value.bpmn_id == "run_script"
    assert "ScriptRefused" in str(failure.value)


def test_run_time_dunder_in_condition_is_refused(make_process, script_engine):
    bpmn = make_process(
        """    <bpmn:startEvent id="begin" />
    <bpmn:exclusiveGateway id="choose" default="f3" />
    <bpmn:endEvent id="a" /><bpmn:endEvent id="b" />""",
        process_id="tiny_condition",
        flows="""    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="choose" />
    <bpmn:sequenceFlow id="f2" sourceRef="choose" targetRef="a">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">len(().__class__.__subclasses__()) > 0</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="choose" targetRef="b" />""",
    )
    spec = build_spec({"c.bpmn": bpmn}, "tiny_condition")
    with pytest.raises(ScriptFailed):
        start_workflow(spec.blob, {}, script_engine=script_engine)


def test_task_data_cannot_replace_a_guard(make_script_process):
    engine = make_script_engine()
    spec = build_spec({"t.bpmn": make_script_process("x = ().__class__")}, "tiny_script")
    with pytest.raises(ScriptFailed):
        start_workflow(spec.blob, {"_getattr_": getattr}, script_engine=engine)


def test_refused_script_runs_no_line_at_all(script_engine):
    context = {}
    with pytest.raises(ScriptRefused):
        script_engine.environment.execute("executed = True\nimport os", context)
    assert "executed" not in context
