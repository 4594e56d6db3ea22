"""The layout of docs/architecture.md holds: each stage imports only the stages below it
(imports inside functions and for type checking included), no module imports itself back
through others, and the top level stays small."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jssreport"
SHARED = {"errors", "jsonformat", "paths", "textformat"}  # top-level modules any stage may use
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "advice": {"model"},
    "input": {"model", "errors", "paths", "textformat"},
    "importers": {"input", "errors", "paths", "textformat"},
    "report": {"input", "model", "advice"} | SHARED,
    "output": {"report", "input", "model", "advice"} | SHARED,
    "incremental": {"report", "output", "input", "model", "advice", "__init__"} | SHARED,
    "commands": {"pipeline", "incremental", "report", "output", "input", "model", "advice",
                 "importers", "__init__"} | SHARED,
}


def modules() -> dict[str, set[str]]:
    """Every module of the package with the package modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.split(".")[0] == "jssreport":
                base = node.module.split(".")[1:]
                for alias in node.names:
                    target = [*base, alias.name]
                    deps.add(".".join(target) if (PACKAGE.joinpath(*target).with_suffix(".py")
                                                  .is_file()) else ".".join(base) or "__init__")
            elif isinstance(node, ast.Import):
                deps |= {a.name.split(".", 1)[1] if "." in a.name else "__init__"
                         for a in node.names if a.name.split(".")[0] == "jssreport"}
        found[name] = deps
    return found


def stage(module: str) -> str:
    return module.split(".")[0]


def test_each_stage_imports_only_the_stages_below_it() -> None:
    wrong = sorted(f"{m} imports {d}" for m, deps in modules().items()
                   if stage(m) in ALLOWED for d in deps
                   if stage(d) != stage(m) and stage(d) not in ALLOWED[stage(m)])
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = modules()
    cycles = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for dep in sorted(graph.get(node, ())):
            if dep in path:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in done and dep in graph:
                visit(dep, [*path, dep], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []


def test_the_top_level_holds_about_ten_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    graph = modules()
    assert "model.types" in graph and "report.compute" in graph
    assert {stage(d) for d in graph["report.compute"]} <= ALLOWED["report"] | {"report"}
    assert "input.records" in graph["pipeline"]  # imports are seen by module
