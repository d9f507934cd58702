"""The script sandbox: every BPMN/DMN expression and script runs RestrictedPython-compiled, bounded.

What a script may reach is decided here; how long and how much memory it may take is decided by
`engine.workflow.script_pool`, whose warm worker processes run it (`BoundedEnvironment`).

Analysts are semi-trusted, so scripts get a small builtin whitelist plus a few domain helpers
(`now`, `working_days_after`, `timedelta`, `date`); task data must not use those names and nothing else: no imports, no dunder access,
no file or network access.
"""
from __future__ import annotations

import ast
import builtins
import operator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.workflow.script_pool import ScriptLimits, script_pool

ALLOWED_BUILTINS = {
    name: getattr(builtins, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len",
        "list", "max", "min", "range", "round", "sorted", "str", "sum", "tuple", "zip",
        "ValueError", "KeyError", "TypeError",
    )
}
ALLOWED_BUILTINS.update({"True": True, "False": False, "None": None})

# Builtins that exist in Python but must never be reachable from a script; the validator reports
# a script naming one of them even though the sandbox would also refuse it at run time.
FORBIDDEN_NAMES = frozenset(dir(builtins)) - set(ALLOWED_BUILTINS)

DEFAULT_TIMEZONE = "Asia/Bangkok"


class ScriptRefused(Exception):
    """A script or expression that the sandbox will not compile."""


def utc_now() -> datetime:
    """The real clock, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def monday_to_friday(day: date) -> bool:
    """Default working-day rule when the host does not pass its holiday calendar."""
    return day.weekday() < 5


@dataclass(frozen=True)
class SandboxClock:
    """Where the sandbox gets 'now' and which days count as working days.

    `now` must never run behind the real clock: SpiffWorkflow also fires timers on its own once
    real time passes their due time.
    """

    now: Callable[[], datetime] = utc_now
    is_working_day: Callable[[date], bool] = monday_to_friday
    timezone: str = DEFAULT_TIMEZONE

    def working_days_after(self, days: int, start: datetime | None = None) -> str:
        """ISO UTC timestamp `days` working days after `start` (default now), same local time."""
        zone = ZoneInfo(self.timezone)
        local = (start or self.now()).astimezone(zone)
        day, remaining = local.date(), int(days)
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        due = datetime.combine(day, local.timetz()).astimezone(timezone.utc)
        return due.isoformat()


def _guarded_getitem(obj, key):
    return obj[key]


_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "|=": operator.ior, "&=": operator.iand,
}


def _inplace_var(op: str, target, value):
    if op not in _INPLACE:
        raise ScriptRefused(f"operator {op} is not allowed")
    return _INPLACE[op](target, value)


def _check_tree(tree: ast.AST) -> None:
    # RestrictedPython compiles `import x` (it is refused only when run); analysts should hear at
    # upload time, so imports and forbidden builtins are rejected here too.
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptRefused(f"Line {node.lineno}: imports are not allowed in scripts")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptRefused(f"Line {node.lineno}: '{node.id}' is not allowed in scripts")


@lru_cache(maxsize=4096)
def compile_expression(expression: str):
    """Compile one expression with RestrictedPython; raises ScriptRefused or SyntaxError."""
    _check_tree(ast.parse(expression.strip(), mode="eval"))
    result = compile_restricted_eval(expression.strip())
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    return result.code


@lru_cache(maxsize=1024)
def compile_script(script: str):
    """Compile one script with RestrictedPython; raises ScriptRefused or SyntaxError."""
    _check_tree(ast.parse(script))
    result = compile_restricted_exec(script)
    if result.errors:
        raise ScriptRefused("; ".join(result.errors))
    return result.code


def sandbox_globals(clock: SandboxClock) -> dict:
    """The names every expression and script can see besides task data."""
    return {
        "__builtins__": ALLOWED_BUILTINS,
        "_getattr_": safer_getattr,
        "_getitem_": _guarded_getitem,
        "_getiter_": iter,
        "_write_": full_write_guard,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_inplacevar_": _inplace_var,
        "now": clock.now,
        "working_days_after": clock.working_days_after,
        "timedelta": timedelta,
        "date": date,
    }


def run_restricted(op: str, source: str, context: dict, *, clock: SandboxClock, helpers: dict | None = None):
    """Evaluate (`op` "eval") an expression or execute ("exec") a script on `context`, RestrictedPython-compiled.

    An expression gives its value; a script changes `context` in place (the names it set, without the
    sandbox's own) and gives it back. This is the one place analysts' code runs: in-process for the
    unbounded benchmark baseline, in `script_worker` for everything else.
    """
    names = {**sandbox_globals(clock), **(helpers or {})}
    if op == "eval":
        code = compile_expression(source)
        # Globals go last so task data can never replace a guard such as `_getattr_`.
        return eval(code, {**context, **names})
    code = compile_script(source)
    context.update(names)
    try:
        exec(code, context)
    finally:
        for key in list(context):
            if key == "__builtins__" or key in names or callable(context[key]):
                context.pop(key)
    return context


@dataclass
class RestrictedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment whose eval/exec only ever runs RestrictedPython bytecode, in this process.

    Nothing bounds its time or memory: it is the baseline the benchmark compares the bounded one with.
    """

    clock: SandboxClock = field(default_factory=SandboxClock)

    def __post_init__(self):
        super().__init__(sandbox_globals(self.clock))

    def evaluate(self, expression, context, external_context=None):
        return run_restricted("eval", expression, {**(external_context or {}), **context}, clock=self.clock)

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        context.update(external_context or {})
        try:
            run_restricted("exec", script, context, clock=self.clock)
        finally:
            for key in external_context or {}:
                context.pop(key, None)
        return True


@dataclass
class BoundedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment that runs every expression and script in a warm worker process, bounded.

    `pool` (engine.workflow.script_pool) holds the time and memory limits. `budget_s`, when set, is the
    wall time all evaluations through this environment may take together (one host operation).
    """

    clock: SandboxClock = field(default_factory=SandboxClock)
    pool: object = None
    budget_s: float | None = None

    def __post_init__(self):
        super().__init__(sandbox_globals(self.clock))
        self._spent = 0.0

    def _run(self, op, source, context):
        if op == "eval":
            compile_expression(source)  # refusals and syntax errors are found here, without a worker
        else:
            compile_script(source)
        remaining = None if self.budget_s is None else self.budget_s - self._spent
        return self.pool.run(op, source, context, clock=self.clock, budget_s=remaining, spent=self._add_spent)

    def _add_spent(self, seconds: float) -> None:
        self._spent += seconds

    def evaluate(self, expression, context, external_context=None):
        return self._run("eval", expression, {**(external_context or {}), **context})

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        scope = {**context, **(external_context or {})}
        left = self._run("exec", script, scope)
        for key in external_context or {}:
            left.pop(key, None)
        context.clear()
        context.update(left)
        return True


class RestrictedScriptEngine(PythonScriptEngine):
    """Script engine that validates with the same restricted compiler it runs with.

    `max_steps` bounds the engine tasks one run may complete before it waits for a person.
    """

    max_steps: int | None = None

    def validate(self, expression):
        compile_expression(expression)


def make_script_engine(*, clock: SandboxClock | None = None, limits=None, budget_s: float | None = None,
                       bounded: bool = True) -> PythonScriptEngine:
    """A script engine for running workflows: scripts run in this process's worker pool under `limits`.

    `limits` is an engine.workflow.script_pool.ScriptLimits (default: its defaults). `bounded=False`
    runs them in this process without any limit: only the benchmark's baseline does that.
    """
    clock = clock or SandboxClock()
    limits = limits or ScriptLimits()
    if bounded:
        environment = BoundedEnvironment(clock=clock, pool=script_pool(limits), budget_s=budget_s)
    else:
        environment = RestrictedEnvironment(clock=clock)
    engine = RestrictedScriptEngine(environment=environment)
    engine.max_steps = limits.max_steps
    return engine
