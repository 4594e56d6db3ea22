"""Extra Markdown pages from ``content/pages/*.md`` with optional YAML front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jssreport.errors import Problem
from jssreport.input.fields import Checker, shown
from jssreport.input.yamlload import INVALID, parse_yaml, read_bytes
from jssreport.paths import OUTSIDE, PAGES_DIR, inside

BUILTIN_PAGES = frozenset(
    {"index", "contracts", "model", "recommendations", "explain", "scenarios", "report"}
)
# the later pages of the built-in long tables: contracts-2.html, ... (jssreport.output.paging)
BUILTIN_PARTS = re.compile(r"(contracts|recommendations)-\d+")
PAGE_FIELDS = frozenset({"title", "order"})

_UNSAFE = re.compile(r"[^a-z0-9]+")
_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")
_FENCE = ("```", "~~~")
# Markdown nested deeper than this (block quotes, lists) is refused: the converter recurses
# once per level and slows down steeply (thousands of levels ran for minutes, then raised
# RecursionError); no real page or note comes near it.
MAX_MARKDOWN_DEPTH = 32
_NEST = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_RULE = re.compile(r"[ \t]*(?:[-*_][ \t]*)+")  # a horizontal rule such as "* * * *"
# Likewise the brackets of one paragraph or list item: each may open a link, and the converter
# looks for the end of every one (a few thousand took seconds).
MAX_MARKDOWN_BRACKETS = 256
_NEW_RUN = re.compile(r"[ \t>]*(?:$|[-*+][ \t]|\d{1,9}[.)][ \t]|#|```|~~~)")


@dataclass(frozen=True)
class Page:
    """One extra page from ``content/pages/*.md``: its slug, title, order and Markdown text."""

    slug: str  # the output name: <slug>.html
    title: str
    order: int  # pages sort by (order, slug); 0 when not given
    markdown: str  # the text after the front matter
    source: str  # e.g. content/pages/about.md


def page_slug(stem: str) -> str:
    """``About Me`` -> ``about-me``: lowercase letters, digits and single dashes."""
    return _UNSAFE.sub("-", stem.lower()).strip("-")


def folder_files(project: Path, folder: str, suffix: str, others: tuple[str, ...], kind: str,
                 problems: list[Problem]) -> list[Path]:
    """The ``*<suffix>`` files of ``project/folder`` (none when it is missing). A file whose
    name ends in another spelling of it (any case of ``suffix`` or ``others``) is a problem,
    and so is a folder that is a file or cannot be read: input is never skipped silently."""
    where = project / folder
    try:
        if not where.exists():
            return []
        if not where.is_dir():
            problems.append(Problem(folder, 0, "", "must be a folder, but it is a file"))
            return []
        entries = sorted(where.iterdir())
    except OSError as exc:
        problems.append(Problem(f"{folder}/", 0, "", f"cannot read the folder: "
                                f"{exc.strerror or exc}"))
        return []
    files = []
    for path in entries:
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == suffix:
            files.append(path)
        elif path.suffix.lower() in (suffix, *others):
            problems.append(Problem(f"{folder}/{shown(path.name, 200)}", 0, "",
                                    f"{kind} files must end in {suffix}; rename it to "
                                    f"{shown(path.stem, 200)}{suffix}"))
    return files


def load_pages(project: Path) -> tuple[list[Page], list[Problem]]:
    """Every page in ``content/pages``, sorted by (order, slug), and the problems found."""
    pages: list[Page] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    for path in folder_files(project, PAGES_DIR, ".md", (".markdown", ".mdown", ".mkd"), "page",
                             problems):
        rel = f"{PAGES_DIR}/{shown(path.name, 200)}"
        if not inside(path, project):
            problems.append(Problem(rel, 0, "", OUTSIDE))
            continue
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
    too_deep = depth_problem(body)
    if too_deep is not None:
        offset = len(lines) - len(body.splitlines(keepends=True))  # the front matter's lines
        ck.add(too_deep[0] + offset, "", too_deep[1])
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


def markdown_depth(text: str) -> tuple[int, int]:
    """How deeply ``text`` nests block quotes and lists (markers and indentation), and the
    first line (from 1) that nests that deep."""
    deepest = (0, 0)
    for n, line in enumerate(text.splitlines(), 1):
        if _RULE.fullmatch(line):
            continue
        line = line.expandtabs(4)
        depth = (len(line) - len(line.lstrip(" "))) // 4
        pos = 0
        while (m := _NEST.match(line, pos)) is not None:
            depth += 1
            pos = m.end()
        if depth > deepest[0]:
            deepest = (depth, n)
    return deepest


def most_brackets(text: str) -> tuple[int, int]:
    """The most ``[`` in one paragraph or list item of ``text``, and the line (from 1) where
    that one starts."""
    most = (0, 0)
    count, start = 0, 1
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            count, start = 0, n + 1
        elif _NEW_RUN.match(line):
            count, start = 0, n
        count += line.count("[")
        if count > most[0]:
            most = (count, start)
    return most


def depth_problem(text: str) -> tuple[int, str] | None:
    """``(line, message)`` when ``text`` nests deeper than ``MAX_MARKDOWN_DEPTH`` or holds a
    paragraph with more than ``MAX_MARKDOWN_BRACKETS`` brackets: Markdown that would take
    too long to convert."""
    if not any(c in text for c in "[>\t") and len(text) <= 2 * MAX_MARKDOWN_DEPTH:
        return None  # the common short note, at once
    depth, line = markdown_depth(text)
    if depth > MAX_MARKDOWN_DEPTH:
        return line, (f"Markdown nested {depth} levels deep (block quotes, lists or "
                      f"indentation); at most {MAX_MARKDOWN_DEPTH} are allowed")
    brackets, line = most_brackets(text)
    if brackets > MAX_MARKDOWN_BRACKETS:
        return line, (f"Markdown with {brackets} '[' in one paragraph or list item; at most "
                      f"{MAX_MARKDOWN_BRACKETS} are allowed (split it)")
    return None


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
