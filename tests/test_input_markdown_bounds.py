"""Markdown that would take the converter minutes (thousands of nesting levels, thousands of
brackets in one paragraph) is refused with an error naming the file and line, in pages and in
contract notes; the converter itself shows such text as it is instead of recursing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.input.pages import MAX_MARKDOWN_DEPTH, depth_problem, markdown_depth
from jssreport.output.markdowntext import render_markdown

PROFILE = "name: Sam\nas_of: 2020-07-01\n"
N = 5000
DEEP = {
    "block quotes": ">" * N + " x",
    "spaced block quotes": "> " * N + "x",
    "nested lists by indentation": "".join(" " * (4 * i) + "- x\n" for i in range(300)),
    "nested lists on one line": "- " * N + "x",
    "ordered lists": "1. " * N + "x",
    "quotes and lists": "> - " * N + "x",
    "tabs": "".join("\t" * i + "* x\n" for i in range(60)),
    "deeper each line": "".join(">" * i + " x\n" for i in range(200)),
    "brackets": "[" * N + "x" + "](y)" * N,
    "unclosed links": "[a](" * N,
    "reference links": "[a][" * N,
    "images": "![" * N,
}
FINE = {
    "a real page": "# Title\n\n> a quote\n> > nested\n\n- a\n    - b\n        - c\n\n"
                   "[link](x.md) and ![img](a.png)\n\n* * * * * * * * * * * * * * * * * * * *"
                   " * * * * * * * * * * * * * * * * * * * * *\n",
    "a list of many links": "".join(f"- [link {i}](page{i}.md)\n" for i in range(400)),
    "a short note": "paid late",
    "32 levels": "> " * MAX_MARKDOWN_DEPTH + "x",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_markdown_too_deep_is_found(name: str) -> None:
    assert depth_problem(DEEP[name]) is not None


@pytest.mark.parametrize("name", sorted(FINE))
def test_ordinary_markdown_is_fine(name: str) -> None:
    assert depth_problem(FINE[name]) is None


def test_depth_names_the_deepest_line() -> None:
    assert markdown_depth("a\n> b\n> > > c\n> d") == (3, 3)
    assert depth_problem("ok\n\n" + "> " * 40 + "x") == (
        3, f"Markdown nested 40 levels deep (block quotes, lists or indentation); at most "
           f"{MAX_MARKDOWN_DEPTH} are allowed")


@pytest.mark.parametrize("name", sorted(DEEP))
def test_the_converter_shows_deep_markdown_as_text_at_once(name: str) -> None:
    started = time.perf_counter()
    html = str(render_markdown(DEEP[name]))
    assert time.perf_counter() - started < 2
    assert html.startswith("<pre>") and "<blockquote>" not in html and "<li>" not in html


def run_check(project: Path) -> Any:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert time.perf_counter() - started < 20
    return result


@pytest.mark.parametrize("name", ["block quotes", "nested lists on one line", "brackets",
                                  "deeper each line"])
def test_a_page_too_deep_is_an_error_naming_its_line(make_project: Any, name: str) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/pages/about.md": "---\ntitle: About\n---\n# About\n\n"})
    with open(project / "content/pages/about.md", "a", encoding="utf-8") as page:
        page.write(DEEP[name])
    result = run_check(project)
    assert result.exit_code == 1
    line = 6 + (DEEP[name].count("\n") - 1 if name == "deeper each line" else 0)
    assert f"Error: content/pages/about.md:{line}: Markdown " in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("notes", ["> " * 2000 + "x", "1. " * 500 + "x", "[a](" * 2000])
def test_contract_notes_too_deep_are_an_error(make_project: Any, notes: str) -> None:
    """(Notes are at most 10,000 characters, which is deep enough.)"""
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": "contracts:\n  - id: one\n    client: Acme\n    title: Logo\n"
                                   "    type: fixed\n    start: 2020-01-06\n"
                                   f"    notes: '{notes}'\n"})
    result = run_check(project)
    assert result.exit_code == 1
    assert "Error: content/contracts/a.yml:7: contract 'one': notes: Markdown " in \
        result.output, result.output
