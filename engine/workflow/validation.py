"""Check analyst-edited BPMN/DMN sources before they are published.

Every finding is a `Problem` pointing at a file, line and element id, so an editor can highlight
it. The checks run in order of cost: XML, XSD, our lint rules, then SpiffWorkflow's own parse.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.workflow.parsing import BPMN_SUFFIX, DMN_SUFFIX
from engine.workflow.sandbox import ScriptRefused, compile_expression, compile_script, make_script_engine
from engine.workflow.script_pool import ScriptLimitExceeded, ScriptLimits

KNOWN_LANES = ("requester", "supervisor", "director", "hr")
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
# Names SpiffWorkflow gives its own task specs; a BPMN element with such an id silently replaces one.
RESERVED_IDS = frozenset({"Start", "End", "Root"})
RESERVED_SUFFIXES = (".EndJoin", ".BoundaryEventSplit", ".BoundaryEventJoin")


@dataclass(frozen=True)
class Problem:
    """One thing an analyst must fix before publishing."""

    file: str | None
    line: int | None
    element_id: str | None
    message: str

    def format(self) -> str:
        """`file:line: element-id: message`, with `-` for an unknown part."""
        return f"{self.file or '-'}:{self.line or '-'}: {self.element_id or '-'}: {self.message}"


def _problem(filename: str, node, message: str) -> Problem:
    return Problem(filename, node.sourceline, node.get("id"), message)


def _parse_xml(sources: Mapping[str, bytes], problems: list[Problem]) -> dict[str, etree._Element]:
    roots = {}
    for filename, raw in sorted(sources.items()):
        if not filename.endswith((BPMN_SUFFIX, DMN_SUFFIX)):
            problems.append(Problem(filename, None, None, "only .bpmn and .dmn files can be published"))
            continue
        try:
            roots[filename] = etree.fromstring(raw)
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(filename, exc.lineno, None, f"malformed XML: {exc.msg}"))
    return roots


@lru_cache(maxsize=None)
def _dmn_checker(xsd_path: str) -> etree.XMLSchema:
    return BpmnValidator(xsd_path).validator


def _schema_errors(filename: str, root, problems: list[Problem]) -> bool:
    """XSD-check one file, reporting every error (SpiffWorkflow reports only the last)."""
    if filename.endswith(DMN_SUFFIX):
        schema = DMN_SCHEMAS.get(root.nsmap.get(None) or root.nsmap.get("dmn"))
        if schema is None:
            problems.append(Problem(filename, root.sourceline, root.get("id"), "unknown DMN version / namespace"))
            return False
        checker = _dmn_checker(schema)
    else:
        VALIDATOR.preprocess(root)
        checker = VALIDATOR.validator
    if checker.validate(root):
        return True
    ids_by_line = {node.sourceline: node.get("id") for node in root.iter()
                   if isinstance(node.tag, str) and node.get("id")}
    for error in checker.error_log:
        problems.append(Problem(filename, error.line, ids_by_line.get(error.line), f"schema: {error.message}"))
    return False


def _check_code(filename, node, text, kind, problems, *, expression=True):
    if text is None or not text.strip():
        problems.append(_problem(filename, node, f"empty {kind}"))
        return
    try:
        compile_expression(text) if expression else compile_script(text)
    except SyntaxError as exc:
        problems.append(Problem(filename, node.sourceline, _owner_id(node), f"{kind} does not parse: {exc.msg}"))
    except ScriptRefused as exc:
        problems.append(Problem(filename, node.sourceline, _owner_id(node), f"{kind} refused by the sandbox: {exc}"))


def _owner_id(node) -> str | None:
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node.get("id") if node is not None else None


def _check_timer(filename, node, problems, evaluate):
    text = (node.text or "").strip()
    kind = etree.QName(node).localname
    before = len(problems)
    _check_code(filename, node, text, f"timer {kind}", problems)
    if len(problems) > before:
        return
    try:
        value = evaluate(text)  # in a script worker, under the same limits as a run
    except NameError:
        return  # depends on task data; only the run can tell
    except ScriptLimitExceeded as exc:
        problems.append(Problem(filename, node.sourceline, _owner_id(node),
                                f"timer {kind} was stopped: {exc} (the limit every expression runs under)"))
        return
    except Exception as exc:  # noqa: BLE001 - any failure is the analyst's to see
        problems.append(Problem(filename, node.sourceline, _owner_id(node), f"timer {kind} fails: {exc}"))
        return
    try:
        if not isinstance(value, str):
            raise ValueError(f"gives {type(value).__name__}, not an ISO 8601 string")
        if kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(value)
        elif kind == "timeDate":
            TimerEventDefinition.get_datetime(value)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception as exc:  # noqa: BLE001 - Spiff raises bare Exception('Invalid duration')
        hint = ""
        if kind == "timeDate" and isinstance(value, str) and value.upper().startswith("P"):
            hint = "; a duration such as 'PT48H' needs a time-duration timer (timeDuration), not a time date"
        problems.append(Problem(filename, node.sourceline, _owner_id(node),
                                f"timer {kind} {value!r} is not valid ISO 8601: {exc}{hint}"))


def _lint_bpmn(filename: str, root, known_lanes: Iterable[str], problems: list[Problem], evaluate) -> None:
    known = set(known_lanes)
    for node in root.iter():
        node_id = node.get("id")
        if isinstance(node.tag, str) and node_id and (node_id in RESERVED_IDS or node_id.endswith(RESERVED_SUFFIXES)):
            problems.append(_problem(filename, node, f"id '{node_id}' clashes with an engine-internal name"))
    for process in root.iterfind("bpmn:process", NS):
        in_lane = set()
        has_lanes = False
        for lane in process.iterfind(".//bpmn:lane", NS):
            has_lanes = True
            if lane.get("name") not in known:
                problems.append(_problem(filename, lane, f"unknown lane '{lane.get('name')}'; "
                                                         f"known lanes: {', '.join(sorted(known))}"))
            in_lane.update((ref.text or "").strip() for ref in lane.iterfind("bpmn:flowNodeRef", NS))
        for task in process.iterfind(".//bpmn:userTask", NS):
            if task.get("id") not in in_lane:
                problems.append(_problem(filename, task, "user task is not in a lane, so nobody can be asked"
                                         if has_lanes else "process has no lanes; put every user task in a lane"))
        for task in process.iterfind(".//bpmn:task", NS):
            problems.append(_problem(filename, task, "untyped task stops the engine; make it a user, script, "
                                                     "service or business rule task"))
    for node in root.iterfind(".//bpmn:conditionExpression", NS):
        _check_code(filename, node, node.text, "condition", problems)
    for node in root.iterfind(".//bpmn:scriptTask/bpmn:script", NS):
        _check_code(filename, node, node.text, "script", problems, expression=False)
    for tag in ("preScript", "postScript"):
        for node in root.iterfind(f".//spiffworkflow:{tag}", NS):
            _check_code(filename, node, node.text, tag, problems, expression=False)
    for tag in ("timeDuration", "timeDate", "timeCycle"):
        for node in root.iterfind(f".//bpmn:{tag}", NS):
            _check_timer(filename, node, problems, evaluate)


def _check_dmn_cell(filename, node, text, problems):
    text = (text or "").strip()
    if text in ("", "-"):
        return
    candidates = [text.replace("?", "dmninputexpr")] if "?" in text else [text, f"dmninputexpr {text}"]
    errors = []
    for candidate in candidates:
        try:
            compile_expression(candidate)
            return
        except (SyntaxError, ScriptRefused) as exc:
            errors.append(exc)
    refused = next((e for e in errors if isinstance(e, ScriptRefused)), None)
    message = f"refused by the sandbox: {refused}" if refused else "does not parse as a value or a test such as '> 4'"
    problems.append(Problem(filename, node.sourceline, _owner_id(node), f"DMN cell '{text}' {message}"))


def _lint_dmn(filename: str, root, problems: list[Problem]) -> None:
    ns = {"dmn": root.nsmap.get(None) or root.nsmap.get("dmn")}
    decisions = root.findall("dmn:decision", ns)
    if len(decisions) != 1:
        problems.append(Problem(filename, root.sourceline, root.get("id"),
                                f"a DMN file must hold exactly one decision, found {len(decisions)}"))
    for node in root.iterfind(".//dmn:inputExpression/dmn:text", ns):
        _check_code(filename, node, node.text, "DMN input expression", problems)
    for node in root.iterfind(".//dmn:inputEntry/dmn:text", ns):
        _check_dmn_cell(filename, node, node.text, problems)
    for node in root.iterfind(".//dmn:outputEntry/dmn:text", ns):
        if (node.text or "").strip():
            _check_code(filename, node, node.text, "DMN output", problems)


def _locate(ve: ValidationException, roots: Mapping[str, etree._Element], hint: str | None = None) -> Problem:
    """Turn a SpiffWorkflow ValidationException into a Problem, finding the line from the id.

    `hint` is the file of the process being built, for errors that SpiffWorkflow reports without one.
    """
    filename, line = ve.file_name or hint, ve.line_number or None
    if not line and ve.id:
        for name, root in roots.items():
            if filename and name != filename:
                continue
            hits = root.xpath("//*[@id=$i]", i=ve.id)
            if hits:
                filename, line = name, hits[0].sourceline
                break
    message = str(ve).split("\n")[0].strip() or ve.__class__.__name__
    return Problem(filename, line, ve.id or None, message)


def _process_files(roots: Mapping[str, etree._Element]) -> dict[str, str]:
    return {process.get("id"): filename
            for filename, root in roots.items() if filename.endswith(BPMN_SUFFIX)
            for process in root.iterfind("bpmn:process", NS)}


def _semantic_problems(roots: Mapping[str, etree._Element]) -> list[Problem]:
    parser = SpiffBpmnParser()  # already XSD-checked above
    try:
        for filename, root in roots.items():
            if filename.endswith(DMN_SUFFIX):
                parser.add_dmn_xml(root, filename=filename)
            else:
                parser.add_bpmn_xml(root, filename=filename)
    except ValidationException as ve:
        return [_locate(ve, roots)]
    problems = []
    files = _process_files(roots)
    for process_id in parser.get_process_ids():
        try:
            spec = parser.get_spec(process_id)
            BpmnWorkflow(spec, parser.get_subprocess_specs(process_id))
        except ValidationException as ve:
            problems.append(_locate(ve, roots, files.get(process_id)))
        except Exception as exc:  # noqa: BLE001 - Spiff raises plain exceptions for broken graphs
            filename = files.get(process_id)
            hits = roots[filename].xpath("//*[@id=$i]", i=process_id) if filename in roots else []
            problems.append(Problem(filename, hits[0].sourceline if hits else None, process_id,
                                    f"process cannot start: {exc}"))
    return problems


def validate_sources(sources: Mapping[str, bytes], known_lanes: Iterable[str] = KNOWN_LANES, *,
                     limits: ScriptLimits | None = None) -> list[Problem]:
    """Every problem in a set of BPMN/DMN sources; an empty list means it can be published.

    Timer expressions that need no task data are evaluated, in a script worker under `limits`
    (default: the defaults); together they may take `limits.timeout_s`.
    """
    limits = limits or ScriptLimits()
    environment = make_script_engine(limits=limits, budget_s=limits.timeout_s).environment

    def evaluate(text: str):
        return environment.evaluate(text, {})

    problems: list[Problem] = []
    roots = _parse_xml(sources, problems)
    valid = {name: root for name, root in roots.items() if _schema_errors(name, root, problems)}
    for filename, root in valid.items():
        if filename.endswith(DMN_SUFFIX):
            _lint_dmn(filename, root, problems)
        else:
            _lint_bpmn(filename, root, known_lanes, problems, evaluate)
    # SpiffWorkflow's own checks need every file; a missing one would only add confusing echoes.
    if len(valid) == len(sources):
        reported = {(p.file, p.element_id) for p in problems}
        problems.extend(p for p in _semantic_problems(valid) if (p.file, p.element_id) not in reported)
    return problems


def check_sources(sources: Mapping[str, bytes], known_lanes: Iterable[str] = KNOWN_LANES) -> None:
    """Raise InvalidSources listing every problem, or return quietly."""
    problems = validate_sources(sources, known_lanes)
    if problems:
        raise InvalidSources(problems)


class InvalidSources(ValueError):
    """Sources that must not be published; `.problems` lists why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def main(argv: list[str] | None = None) -> int:
    """`python -m engine.workflow.validation bpmn/`: print every problem, exit 1 if any."""
    import sys

    from engine.workflow.parsing import load_sources

    folder = (argv if argv is not None else sys.argv[1:] or ["bpmn"])[0]
    problems = validate_sources(load_sources(folder))
    for problem in problems:
        print(problem.format())
    print(f"{len(problems)} problem(s) in {folder}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
