"""Extra Markdown pages from ``content/pages/*.md`` with optional YAML front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jssreport.errors import Problem
from jssreport.input.fields import Checker, shown
from jssreport.input.yamlload import INVALID, parse_yaml, read_bytes
from jssreport.paths import PAGES_DIR

BUILTIN_PAGES = frozenset(
    {"index", "contracts", "model", "recommendations", "explain", "scenarios", "report"}
)
# the later pages of the built-in long tables: contracts-2.html, ... (jssreport.output.paging)
BUILTIN_PARTS = re.compile(r"(contracts|recommendations)-\d+")
PAGE_FIELDS = frozenset({"title", "order"})

_UNSAFE = re.compile(r"[^a-z0-9]+")
_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")
_FENCE = ("```", "~~~")


@dataclass(frozen=True)
class Page:
    slug: str  # the output name: <slug>.html
    title: str
    order: int  # pages sort by (order, slug); 0 when not given
    markdown: str  # the text after the front matter
    source: str  # e.g. content/pages/about.md


def page_slug(stem: str) -> str:
    """``About Me`` -> ``about-me``: lowercase letters, digits and single dashes."""
    return _UNSAFE.sub("-", stem.lower()).strip("-")


def load_pages(project: Path) -> tuple[list[Page], list[Problem]]:
    """Every page in ``content/pages``, sorted by (order, slug), and the problems found."""
    folder = project / PAGES_DIR
    if not folder.is_dir():
        return [], []
    pages: list[Page] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.startswith(".") or not path.is_file():
            continue
        rel = f"{PAGES_DIR}/{shown(path.name, 200)}"
        slug = page_slug(path.stem)
        if not slug:
            problems.append(
                Problem(rel, 0, "", "the file name has no letters or digits to name the page")
            )
            continue
        if slug in BUILTIN_PAGES or BUILTIN_PARTS.fullmatch(slug):
            problems.append(
                Problem(
                    rel, 0, "", f"page name '{slug}' is taken by a built-in page; rename the file"
                )
            )
            continue
        if slug in taken:
            problems.append(
                Problem(rel, 0, "", f"page name '{slug}' is also used by {taken[slug]}; rename one")
            )
            continue
        taken[slug] = rel
        data, problem = read_bytes(path, rel)
        if problem or data is None:
            problems.append(problem or Problem(rel, 0, "", "cannot be read"))
            continue
        page, found = parse_page(rel, slug, path.stem, data)
        problems.extend(found)
        if page is not None:
            pages.append(page)
    pages.sort(key=lambda p: (p.order, p.slug))
    return pages, problems


def parse_page(rel: str, slug: str, stem: str, data: bytes) -> tuple[Page | None, list[Problem]]:
    """One page from its bytes (already checked to be UTF-8 text)."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    body = text
    front = None
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            problem = Problem(rel, 1, "", "front matter is not closed: add a '---' line after it")
            return None, [problem]
        front = "".join(lines[1:close])
        body = "".join(lines[close + 1 :])
    ck = Checker(rel)
    title = order = None
    if front is not None and front.strip():
        value, problems = parse_yaml(front, rel, line_offset=1)
        ck.problems.extend(problems)
        if value is not INVALID and value is not None:
            m = ck.mapping(value, 2, "", "the front matter")
            if m is not None:
                ck.unknown(m, PAGE_FIELDS, "")
                title = ck.text(m, "title", "", required="title" in m.values)
                number = ck.number(m, "order", "", whole=True)
                order = None if number is None else int(number)
    if ck.problems:
        return None, ck.problems
    return (
        Page(
            slug=slug,
            title=title or first_heading(body) or stem,
            order=order or 0,
            markdown=body,
            source=rel,
        ),
        [],
    )


def first_heading(markdown: str) -> str | None:
    """The text of the first level-1 ATX heading outside code fences."""
    fenced = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(_FENCE):
            fenced = not fenced
            continue
        if not fenced and not line.startswith((" " * 4, "\t")):
            match = _HEADING.fullmatch(stripped)
            if match:
                return match.group(1).strip()
    return None
