"""Markdown pages from content/pages: front matter, titles, order, slugs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jssreport.input.pages import Page, first_heading, load_pages, page_slug

MakeProject = Callable[..., Path]


def test_pages_with_and_without_front_matter(make_project: MakeProject) -> None:
    project = make_project(
        {
            "content/pages/About Me.md": """\
            ---
            title: About this report
            order: 2
            ---
            # Ignored heading

            Text.
            """,
            "content/pages/faq.md": "Intro\n\n# Questions #\n\nAnswers.\n",
            "content/pages/notes.md": "```\n# not a heading\n```\nno heading at all\n",
            "content/pages/first.md": "---\norder: -1\n---\n# First page\n",
            "content/pages/.hidden.md": "# hidden\n",
            "content/pages/readme.txt": "not a page\n",
        }
    )
    pages, problems = load_pages(project)
    assert problems == []
    assert pages == [
        Page("first", "First page", -1, "# First page\n", "content/pages/first.md"),
        Page("faq", "Questions", 0, "Intro\n\n# Questions #\n\nAnswers.\n", "content/pages/faq.md"),
        Page(
            "notes",
            "notes",
            0,
            "```\n# not a heading\n```\nno heading at all\n",
            "content/pages/notes.md",
        ),
        Page(
            "about-me",
            "About this report",
            2,
            "# Ignored heading\n\nText.\n",
            "content/pages/About Me.md",
        ),
    ]


def test_no_pages_folder(tmp_path: Path) -> None:
    assert load_pages(tmp_path) == ([], [])


def test_page_problems(make_project: MakeProject) -> None:
    project = make_project(
        {
            "content/pages/index.md": "# Home\n",
            "content/pages/Scenarios.md": "# Mine\n",
            "content/pages/a.md": "---\ntitel: A\norder: first\n---\n",
            "content/pages/b.md": "---\ntitle: B\n",
            "content/pages/c.md": "---\ntitle: [x]\norder: 1.5\n---\n",
            "content/pages/d.md": "---\n- a list\n---\n",
            "content/pages/e.md": "---\ntitle: !!python/name:os.system\n---\n",
            "content/pages/f-g.md": "# F\n",
            "content/pages/F G.md": "# also f-g\n",
            "content/pages/___.md": "# nothing\n",
        }
    )
    (project / "content/pages/h.md").write_bytes(b"# caf\xe9\n")
    pages, problems = load_pages(project)
    assert [(p.slug, p.title) for p in pages] == [("f-g", "also f-g")]
    assert [str(p) for p in sorted(problems)] == [
        "content/pages/Scenarios.md: page name 'scenarios' is taken by a built-in page;"
        " rename the file",
        "content/pages/___.md: the file name has no letters or digits to name the page",
        "content/pages/a.md:2: titel is not a known field (did you mean 'title'?)",
        "content/pages/a.md:3: order must be a whole number, got 'first'",
        "content/pages/b.md:1: front matter is not closed: add a '---' line after it",
        "content/pages/c.md:2: title must be a string, got a list",
        "content/pages/c.md:3: order must be a whole number, got 1.5",
        "content/pages/d.md:2: the front matter must be a mapping of fields, got a list",
        "content/pages/e.md:2: tag !!python/name:os.system is not allowed",
        "content/pages/f-g.md: page name 'f-g' is also used by content/pages/F G.md; rename one",
        "content/pages/h.md: not UTF-8 text (byte 0xe9 at offset 5)",
        "content/pages/index.md: page name 'index' is taken by a built-in page; rename the file",
    ]


def test_page_slug() -> None:
    assert page_slug("About Me") == "about-me"
    assert page_slug("  Rates & Fees (2020) ") == "rates-fees-2020"
    assert page_slug("été") == "t"
    assert page_slug("---") == ""


def test_first_heading() -> None:
    assert first_heading("# Title\n# Second\n") == "Title"
    assert first_heading("## Sub\n#No space\n    # code\n# Real # \n") == "Real"
    assert first_heading("~~~\n# fenced\n~~~\n") is None
