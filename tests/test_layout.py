"""The layout rules of the README's architecture section, checked on the source of every module.

Every import statement counts, including those inside functions and under `if TYPE_CHECKING`: an
import that only runs later still ties the two modules together.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "cli", "web", "engine", "face", "geo", "devices")
WAYS_IN = ("api", "cli", "web")
ADAPTERS = ("face", "geo", "devices")


def project_modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the top-level packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _nearest(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body (not itself)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from package import module` imports that module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(target for target in (_nearest(t, modules) for t in targets) if target)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def _top(module: str) -> str:
    return module.split(".")[0]


def test_the_engine_never_imports_a_way_in():
    graph = import_graph()
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if _top(m) == "engine"
                   for t in targets if _top(t) in WAYS_IN)
    assert not wrong, "engine/ must not import api/, cli/ or web/:\n" + "\n".join(wrong)


def test_adapters_import_no_part_of_the_app():
    graph = import_graph()
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if _top(m) in ADAPTERS
                   for t in targets if _top(t) != _top(m))
    assert not wrong, "face/, geo/ and devices/ each stand alone:\n" + "\n".join(wrong)


def test_no_import_cycle():
    cycles = import_cycles(import_graph())
    assert not cycles, "modules that import each other:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def commit_calls(name: str, path: Path) -> list[str]:
    """`function: .commit()` (or `.rollback()`) for every such call in a module, by the function it is in."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr in ("commit", "rollback")):
                found.append(f"{name}.{inner}: .{child.func.attr}()")
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


# The one place a way in ends a transaction: the request's session is rolled back and closed at teardown.
TEARDOWN = ("api.context.close_db: .rollback()",)


def test_ways_in_never_commit():
    """Routes and commands call a command service, which commits; they never commit or roll back themselves."""
    calls = [call for name, path in project_modules().items() if _top(name) in WAYS_IN
             for call in commit_calls(name, path) if call not in TEARDOWN]
    assert not calls, "api/, cli/ and web/ leave commits to the engine's command services:\n" + "\n".join(calls)


def test_the_commit_check_sees_a_commit_in_a_route(tmp_path):
    route = tmp_path / "route.py"
    route.write_text("def create():\n    thing = make(session=db())\n    db().commit()\n    return thing\n")
    assert commit_calls("api.blueprints.things", route) == ["api.blueprints.things.create: .commit()"]


def test_the_checks_see_imports_inside_functions_and_cycles(tmp_path):
    """The graph is built from every import statement, so a hidden cycle like the old queue ↔ enrollment shows."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "queue.py").write_text("def later():\n    from pkg.enrollment import finished\n")
    (package / "enrollment.py").write_text("from . import queue\n")
    modules = {"pkg": package / "__init__.py", "pkg.queue": package / "queue.py",
               "pkg.enrollment": package / "enrollment.py"}
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    assert graph == {"pkg": set(), "pkg.queue": {"pkg.enrollment"}, "pkg.enrollment": {"pkg.queue"}}
    assert import_cycles(graph) == [["pkg.enrollment", "pkg.queue"]]
