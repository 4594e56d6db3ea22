"""--single-file: one self-contained HTML file, nothing else written, every chart drawn in
Chromium from file:// with no request."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.output.singlefile import assemble, script_text

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^Wrote (\d+) pages and (\d+) charts as one file to (.+) "
                     r"\((\d+\.\d) MB\) in \d+\.\d\d s\n$")


def project_entries(project: Path) -> list[str]:
    """What is in the project folder, but the cache of parsed records and compiled templates."""
    return sorted(p.name for p in project.iterdir() if p.name != ".jssreport-cache")


class Elements(HTMLParser):
    """Ids, in-page links, scripts and stylesheets of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.scripts: list[str] = []
        self.sections: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(str(a["href"]))
        if tag in ("script", "img", "link") and (a.get("src") or a.get("href")):
            self.srcs.append(str(a.get("src") or a.get("href")))
        if tag == "section" and "page-section" in (a.get("class") or ""):
            self.sections.append(str(a["id"]))
        if tag == "script":
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """The demo built as one file into an empty folder: (file, summary line, project)."""
    base = tmp_path_factory.mktemp("single")
    project = base / "demo"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "jssreport.yml", project / "jssreport.yml")
    out = base / "out" / "report file.html"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--single-file",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output, project


def test_one_file_and_nothing_else(single: tuple[Path, str, Path]) -> None:
    out, summary, project = single
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    assert project_entries(project) == ["content", "jssreport.yml"]
    match = SUMMARY.match(summary)
    assert match, summary
    assert match.group(3) == str(out)
    assert float(match.group(4)) == round(out.stat().st_size / 1_000_000, 1)


def test_sections_links_ids_and_inlined_assets(single: tuple[Path, str, Path]) -> None:
    out, summary, _ = single
    html = out.read_text(encoding="utf-8")
    doc = Elements()
    doc.feed(html)
    pages, charts = (int(n) for n in SUMMARY.match(summary).groups()[:2])  # type: ignore[union-attr]
    assert doc.sections[0] == "overview"
    assert {"contracts", "model", "about"} <= set(doc.sections)
    assert len(doc.sections) == pages
    assert len(doc.ids) == len(set(doc.ids)), "duplicate ids"
    assert doc.srcs == [], "a file the single file would need"
    internal = [h for h in doc.hrefs if not h.startswith(("https://", "http://", "mailto:"))]
    assert internal and all(h.startswith("#") for h in internal), internal
    assert {h[1:] for h in internal} <= set(doc.ids)
    assert html.count("<style>") == 1
    big = [s for s in doc.scripts if len(s) > 1_000_000]
    assert len(big) == 1 and "plotly" in big[0][:2000].lower()  # plotly.js, once
    # every "<script" in the text opened a script element: nothing inlined ended one early
    assert html.count("<script") == len(doc.scripts)
    assert len([s for s in doc.scripts if "Plotly.newPlot(" in s and len(s) < 1_000_000]) \
        == charts
    assert '" aria-current="page"' not in html


def test_script_text_cannot_end_its_element() -> None:
    assert script_text('a="</script><!--x</SCRIPT>"') == 'a="<\\/script><\\!--x<\\/SCRIPT>"'


def test_assemble_renames_ids_two_pages_share() -> None:
    page = ('<!DOCTYPE html><html><head><title>t</title><link rel="stylesheet" '
            'href="assets/style.css"></head><body><nav><ul><li><a href="index.html">Overview'
            '</a></li><li><a href="b.html">Bee</a></li></ul></nav><main id="main">{}</main>'
            '<script src="assets/report.js"></script></body></html>')
    files = {
        "index.html": page.format('<h2 id="x">X</h2><a href="b.html#x">b</a>').encode(),
        "b.html": page.format('<h2 id="x">X</h2><a href="#x">self</a>'
                              '<a href="index.html#x">a</a>').encode(),
        "assets/style.css": b"p{color:red}",
        "assets/report.js": b"var a = '</script>';",
    }
    html = assemble(files).decode()
    assert '<section id="b" class="page-section" aria-label="Bee">' in html
    assert '<h2 id="b-x">X</h2><a href="#b-x">self</a><a href="#x">a</a>' in html
    assert '<a href="#b-x">b</a>' in html
    assert "<style>\np{color:red}</style>" in html
    assert "<script>var a = '<\\/script>';</script>" in html
    assert '<a href="#overview">Overview</a>' in html and '<a href="#b">Bee</a>' in html


def test_refuses_to_replace_what_is_not_a_report(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "content", project / "content")
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes</p>", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--project", str(project), "--single-file",
                                  "-o", str(notes)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: refusing to replace {notes}: it is not a jssreport report; "
        "choose another -o, or add --force to replace it anyway\n")
    assert notes.read_text(encoding="utf-8") == "<p>my notes</p>"
    result = runner.invoke(main, ["build", "--project", str(project), "--single-file",
                                  "-o", str(tmp_path)])
    assert result.stderr == f"Error: cannot write {tmp_path}: it is a folder (with " \
        "--single-file, -o names the HTML file)\n"
    result = runner.invoke(main, ["build", "--project", str(project), "--single-file"])
    assert result.exit_code == 0, result.output
    first = (project / "report.html").read_bytes()
    result = runner.invoke(main, ["build", "--project", str(project), "--single-file"])
    assert result.exit_code == 0, result.output  # its own earlier file is replaced
    assert (project / "report.html").read_bytes() == first
    assert project_entries(project) == ["content", "report.html"]


# --- in the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


@pytest.mark.browser
def test_opens_from_file_with_every_chart_and_no_request(single: tuple[Path, str, Path],
                                                         browser: Any) -> None:
    from browser_util import CHART_DIV, visit

    out, summary, _ = single
    charts = int(SUMMARY.match(summary).group(2))  # type: ignore[union-attr]
    promised = CHART_DIV.findall(out.read_text(encoding="utf-8"))
    assert len(promised) == charts

    def follow_nav(tab: Any) -> list[str]:
        reached = []
        for href in tab.eval_on_selector_all("nav a", "els => els.map(e => e.hash)"):
            tab.click(f'nav a[href="{href}"]')
            reached.append(tab.evaluate("() => location.hash"))
        return reached

    seen = visit(browser, out.resolve().as_uri(), page=out.name,
                 promised=promised, inspect=follow_nav)
    assert seen.problems() == []
    assert seen.extra[0] == "#overview" and {"#contracts", "#model"} <= set(seen.extra)
