"""Every test that drives Chromium carries the ``browser`` marker, so that a machine without
Playwright or Chromium skips it with the reason (and CI fails it): see tests/conftest.py."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _marked(decorators: list[ast.expr]) -> bool:
    return any(isinstance(d, ast.Attribute) and d.attr == "browser" for d in decorators)


def _drives_chromium(fn: ast.FunctionDef) -> bool:
    takes_browser = any(a.arg == "browser" for a in fn.args.args)
    calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                and n.func.id == "chromium" for n in ast.walk(fn))
    return takes_browser or calls


def unmarked_browser_tests(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_marked = any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark"
                                             for t in node.targets)
        and "browser" in ast.unparse(node.value) for node in tree.body)
    return [f"{path.name}::{node.name}" for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            and _drives_chromium(node) and not module_marked
            and not _marked(node.decorator_list)]


def test_every_test_that_drives_chromium_is_marked_browser() -> None:
    found = [name for path in sorted(TESTS.glob("test_*.py"))
             for name in unmarked_browser_tests(path)]
    assert found == []


def test_the_check_sees_an_unmarked_browser_test(tmp_path: Path) -> None:
    path = tmp_path / "test_x.py"
    path.write_text("import pytest\n\n@pytest.mark.browser\ndef test_a(browser): pass\n\n"
                    "def test_b(browser): pass\n\ndef test_c():\n    with chromium() as b: pass\n\n"
                    "def test_d(): pass\n", encoding="utf-8")
    assert unmarked_browser_tests(path) == ["test_x.py::test_b", "test_x.py::test_c"]
