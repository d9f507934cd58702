"""Fixtures for the pure workflow core: shipped sources, a controllable clock, tiny processes."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine.workflow.parsing import build_specs, load_sources
from engine.workflow.sandbox import SandboxClock, make_script_engine

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
BANGKOK = ZoneInfo("Asia/Bangkok")


class ManualClock:
    """A clock the test moves by hand; it starts ahead of the real clock, as the sandbox requires."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def next_monday_9am() -> datetime:
    """09:00 Bangkok time on a Monday at least two days from now, in UTC."""
    day = datetime.now(BANGKOK).date() + timedelta(days=2)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime.combine(day, time(9, 0), BANGKOK).astimezone(timezone.utc)


@pytest.fixture(scope="session")
def sources() -> dict[str, bytes]:
    return load_sources(BPMN_DIR)


@pytest.fixture(scope="session")
def specs(sources):
    return build_specs(sources)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(next_monday_9am())


@pytest.fixture
def script_engine(clock):
    return make_script_engine(clock=SandboxClock(now=clock))


def tiny_process(body: str, *, process_id: str = "tiny", lanes: str = "", flows: str = "") -> bytes:
    """A minimal BPMN file around the given flow elements (for broken-file tests)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="{process_id}_definitions" targetNamespace="http://opsta.go.th/test">
  <bpmn:process id="{process_id}" isExecutable="true">
{lanes}
{body}
{flows}
  </bpmn:process>
</bpmn:definitions>
""".encode()


def script_process(script: str, process_id: str = "tiny_script") -> bytes:
    """start -> one script task -> end."""
    from xml.sax.saxutils import escape
    return tiny_process(
        f"""    <bpmn:startEvent id="begin" />
    <bpmn:scriptTask id="run_script" name="Run script"><bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="finish" />""",
        process_id=process_id,
        flows="""    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="run_script" />
    <bpmn:sequenceFlow id="f2" sourceRef="run_script" targetRef="finish" />""",
    )


@pytest.fixture
def make_process():
    return tiny_process


@pytest.fixture
def make_script_process():
    return script_process
