"""``--single-file``: the whole report as one self-contained HTML file.

The pages are rendered exactly as for the site, then joined: each page's ``<main>`` becomes a
``<section id="overview">``, ``<section id="contracts">``, ... of one page, links between pages
become in-page links, and the stylesheet and scripts are inlined once. Nothing else is written,
and the file replaces the old one in one step.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from html import unescape
from pathlib import Path

from jssreport.errors import JssReportError, UsageError
from jssreport.output.write import GENERATOR
from jssreport.paths import remove_leftovers

DEFAULT_NAME = "report.html"

_MAIN = re.compile(r"(<main\b[^>]*>)(.*)(</main>)", re.S)
_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'(\shref=")([^"]*)(")')
_TAG = re.compile(r"<script\b[^>]*>.*?</script>|<style\b[^>]*>.*?</style>|<link\b[^>]*>", re.S)
_SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//")
_PART = re.compile(r"(.+)-(\d+)\.html")  # a later page of a long table (jssreport.output.paging)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def script_text(source: str) -> str:
    """JavaScript that cannot end or confuse the script element it is inlined in."""
    source = re.sub(r"</(script)", r"<\\/\1", source, flags=re.I)
    return re.sub(r"<!--", r"<\\!--", source)


def style_text(source: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", source, flags=re.I)


def _page_order(pages: Mapping[str, str]) -> list[tuple[str, str]]:
    """(file, title) of every page: the navigation's order, each page followed by the later
    pages of its long table (``contracts-2.html``, ...), then any page left out of both."""
    nav = _NAV.search(pages["index.html"])
    seen: dict[str, str] = {}
    for href, text in _LINK.findall(nav.group(1) if nav else ""):
        name = posixpath.normpath(unescape(href).split("#")[0]) if href else ""
        if name in pages and name not in seen:
            seen[name] = re.sub(r"<[^>]+>", "", text).strip()
    first = ["index.html", *(name for name in seen if name != "index.html")]
    later: dict[str, list[tuple[int, str]]] = {}
    for name in pages:
        part = _PART.fullmatch(name)
        if part and f"{part.group(1)}.html" in seen:
            later.setdefault(f"{part.group(1)}.html", []).append((int(part.group(2)), name))
    order = []
    for name in first:
        order.append((name, seen.get(name, "Overview")))
        order += [(other, _title(pages[other])) for _, other in sorted(later.get(name, []))]
    placed = {name for name, _ in order}
    order += [(name, _title(pages[name]) or name[:-5]) for name in sorted(pages)
              if name not in placed]
    return order


def _title(html: str) -> str:
    """The page's own title, without the report's after it: ``Contracts, page 2 of 9``."""
    found = _TITLE.search(html)
    return found.group(1).split(" · ")[0].strip() if found else ""


def _section_id(name: str, taken: set[str]) -> str:
    base = "overview" if name == "index.html" else \
        re.sub(r"[^a-z0-9]+", "-", name[:-5].lower()).strip("-") or "page"
    candidate = base if base not in taken else f"page-{base}"
    n = 2
    while candidate in taken:
        candidate = f"page-{base}-{n}"
        n += 1
    return candidate


def assemble(files: Mapping[str, bytes]) -> bytes:
    """One HTML document from the site's files (as render_site gives them)."""
    pages = {name: data.decode("utf-8") for name, data in files.items()
             if name.endswith(".html")}
    if "index.html" not in pages:
        raise JssReportError("--single-file: the site has no index.html")
    order = _page_order(pages)
    mains: dict[str, re.Match[str]] = {}
    for name, _ in order:
        found = _MAIN.search(pages[name])
        if found is None:
            raise JssReportError(f"--single-file: {name} has no <main> element (a project "
                                 "template must keep the one of base.html)")
        mains[name] = found

    # Ids: every page keeps its own unless another page already uses it.
    taken: set[str] = {"main"} | set(_ID.findall(_MAIN.sub("", pages["index.html"])))
    sections: dict[str, str] = {}
    renamed: dict[str, dict[str, str]] = {}
    for name, _ in order:
        sections[name] = _section_id(name, taken)
        taken.add(sections[name])
    for name, _ in order:
        renamed[name] = {}
        for old in dict.fromkeys(_ID.findall(mains[name].group(2))):
            new = old if old not in taken else f"{sections[name]}-{old}"
            while new in taken:
                new += "-2"
            taken.add(new)
            if new != old:
                renamed[name][old] = new

    def link(page: str, href: str) -> str:
        raw = unescape(href)
        if not raw or _EXTERNAL.match(raw) or raw.startswith("/"):
            return href
        path, _, frag = raw.partition("#")
        target = page if not path else posixpath.normpath(
            posixpath.join(posixpath.dirname(page), path))
        if target not in pages:
            return href
        if frag:
            return "#" + renamed.get(target, {}).get(frag, frag)
        return "#" + sections[target]

    def rewrite_links(page: str, html: str) -> str:
        return _HREF.sub(lambda m: m.group(1) + link(page, m.group(2)) + m.group(3), html)

    body = []
    for name, title in order:
        content = mains[name].group(2)
        for old, new in renamed[name].items():
            # id="x", href="#x" and "x" in a chart's script; not other-page.html#x
            content = re.sub(rf'"(#?){re.escape(old)}(?=["\s])', rf'"\g<1>{new}', content)
        body.append(f'<section id="{sections[name]}" class="page-section" '
                    f'aria-label="{title}">{rewrite_links(name, content)}</section>\n')

    index = pages["index.html"]
    main = mains["index.html"]
    shell_head, shell_tail = index[:main.start(2)], index[main.end(2):]
    shell_head = re.sub(r'\saria-current="page"', "", rewrite_links("index.html", shell_head))
    shell_tail = rewrite_links("index.html", shell_tail)
    # Stylesheets and scripts other pages load (e.g. plotly.js when only they draw charts).
    head = _HEAD.search(shell_head)
    if head is not None:
        have = set(_TAG.findall(head.group(1)))
        extra = []
        for name, _ in order[1:]:
            other = _HEAD.search(pages[name])
            for tag in _TAG.findall(other.group(1) if other else ""):
                if tag not in have:
                    have.add(tag)
                    extra.append(tag)
        if extra:
            shell_head = shell_head.replace("</head>", "\n".join(extra) + "\n</head>", 1)
    document = shell_head + "\n" + "".join(body) + shell_tail
    return _inline_assets(document, files).encode("utf-8")


def _inline_assets(document: str, files: Mapping[str, bytes]) -> str:
    inlined: set[str] = set()

    def script(m: re.Match[str]) -> str:
        name = posixpath.normpath(unescape(m.group(1)))
        if name not in files or name in inlined:
            return "" if name in inlined else m.group(0)
        inlined.add(name)
        return f"<script>{script_text(files[name].decode('utf-8'))}</script>"

    def style(m: re.Match[str]) -> str:
        name = posixpath.normpath(unescape(m.group(1)))
        if name not in files or name in inlined:
            return "" if name in inlined else m.group(0)
        inlined.add(name)
        return f"<style>\n{style_text(files[name].decode('utf-8'))}</style>"

    return _SCRIPT_SRC.sub(script, _STYLESHEET.sub(style, document))


def check_target(output: Path, project: Path, force: bool = False) -> None:
    """Refuse to overwrite anything but an earlier single-file report (``force``: any file
    outside the project's input folders)."""
    out = output.resolve()
    proj = project.resolve()
    for folder in ("content", "templates"):
        if (proj / folder) in out.parents:
            raise UsageError(f"refusing to write {output}: it is inside the project's "
                             f"{folder}/ folder")
    if out.is_dir():
        raise UsageError(f"cannot write {output}: it is a folder (with --single-file, -o names "
                         "the HTML file)")
    if out.exists() and not force:
        try:
            with open(out, "rb") as f:
                start = f.read(4096)
        except OSError as exc:
            raise UsageError(f"cannot read {output}: {exc.strerror or exc}") from None
        if GENERATOR not in start:
            raise UsageError(f"refusing to replace {output}: it is not a jssreport report; "
                             "choose another -o, or add --force to replace it anyway")


def write_file(data: bytes, output: Path, project: Path, force: bool = False) -> None:
    """Write ``data`` beside ``output``, then rename it over ``output`` in one step."""
    check_target(output, project, force)
    temp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(output)  # of single-file builds that were killed
        temp.write_bytes(data)
        os.replace(temp, output)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise JssReportError(f"cannot write {output}: {exc.strerror or exc}") from None
