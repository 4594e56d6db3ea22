"""Building a site: the files, atomic replacement, byte-identical output, links that resolve."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from jssreport.errors import JssReportError
from jssreport.input.config import load_settings
from jssreport.output.write import exchange
from jssreport.pipeline import BuildResult, build_site, resolve_as_of

MakeProject = Callable[..., Path]
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "</script><script>alert(1)</script>"

PROFILE = """
    name: Test Person
    as_of: 2020-07-01
    snapshots:
      - {date: 2020-06-01, jss: 90, would_recommend: 100}
"""
CONTRACTS = """
    contracts:
      - {id: one, client: "CLIENT", title: First job, type: fixed, start: 2020-01-06,
         end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
         feedback: {date: 2020-02-02, stars: 5}, notes: "See [about](about.md)"}
      - {id: two, client: Second client, title: Second job, type: hourly, start: 2020-02-03,
         end: 2020-03-01, payments: [{date: 2020-03-01, amount: 1200}],
         feedback: {date: 2020-03-02, stars: 4.8}}
      - {id: three, client: Third client, title: Third job, type: fixed, start: 2020-03-02,
         end: 2020-04-01, payments: [{date: 2020-04-01, amount: 200}],
         feedback: {date: 2020-04-02, stars: 5}}
      - {id: four, client: Fourth client, title: Open job, type: fixed, start: 2020-04-06,
         payments: [{date: 2020-04-20, amount: 100}]}
"""
PAGE = """
    ---
    title: About
    order: 2
    ---
    Back to the [overview](index.html) or the [model](model.html#snapshots).
"""
EXPECTED_FILES = ("about.html", "assets/plotly.min.js", "assets/report.js", "assets/style.css",
                  "contracts.html", "explain.html", "index.html", "model.html",
                  "recommendations.html", "report.json", "scenarios.html")


def project_files(client: str = "Acme") -> dict[str, str]:
    return {
        "content/profile.yml": PROFILE,
        "content/contracts/2020.yml": CONTRACTS.replace("CLIENT", client),
        "content/pages/about.md": PAGE,
    }


def build(project: Path, output: Path | None = None, **overrides: object) -> BuildResult:
    return build_site(project, load_settings(project, **overrides), output=output)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_the_site(make_project: MakeProject) -> None:
    project = make_project(project_files())
    result = build(project)
    site = project / "site"
    assert result.output == site
    assert result.files == EXPECTED_FILES
    # and the marker that lets a later build replace the folder (output.write.SITE_MARKER)
    assert tuple(snapshot(site)) == (".jssreport-site", *EXPECTED_FILES)
    assert (result.pages, result.charts, result.as_of) == (7, 10, date(2020, 7, 1))
    assert result.bytes == sum(len(b) for name, b in snapshot(site).items()
                               if name != ".jssreport-site")
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    assert report["as_of"] == "2020-07-01"
    assert [r["contract"] for r in report["recommendations"]] == ["four"]
    plotly = (site / "assets/plotly.min.js").read_bytes()
    assert plotly.startswith(b"/**") and len(plotly) > 1_000_000
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count("<script src=") == 2  # plotly.js once, report.js once
    assert "estimate" in index and "upwork-2020-03" in index


def test_summary_line() -> None:
    from jssreport.pipeline import BuildResult

    result = BuildResult(Path("site"), (), 4, 5, 4_900_000, 0.4149, date(2020, 7, 1))
    assert result.summary("site") == \
        "Wrote 4 pages, 5 charts and report.json to site/ (4.9 MB) in 0.41 s"


def test_two_builds_in_two_folders_are_byte_identical(make_project: MakeProject,
                                                       tmp_path: Path) -> None:
    first = make_project(project_files(), tmp_path / "a" / "first")
    second = make_project(project_files(), tmp_path / "elsewhere" / "deeper" / "second")
    build(first)
    build(second, output=tmp_path / "out")
    assert snapshot(first / "site") == snapshot(tmp_path / "out")


def project_entries(project: Path) -> list[str]:
    """What a build left in the project folder, besides the records cache."""
    return sorted(p.name for p in project.iterdir() if p.name != ".jssreport-cache")


def test_failed_build_leaves_the_previous_site_untouched(make_project: MakeProject) -> None:
    project = make_project(project_files())
    build(project)
    before = snapshot(project / "site")
    bad = project / "content/contracts/2020.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("stars: 4.8", "stars: 7"),
                   encoding="utf-8")
    with pytest.raises(JssReportError):
        build(project, as_of=date(2020, 8, 1))
    assert snapshot(project / "site") == before
    assert project_entries(project) == ["content", "site"]  # no temp folders


def test_failed_write_leaves_the_previous_site_untouched(make_project: MakeProject,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(project_files())
    build(project)
    before = snapshot(project / "site")
    calls = []

    def broken_write(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(self, data)

    original = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", broken_write)
    with pytest.raises(JssReportError) as info:
        build(project, as_of=date(2020, 8, 1))
    assert str(info.value) == f"cannot write the site next to {project / 'site'}: " \
        "No space left on device"
    monkeypatch.undo()
    assert snapshot(project / "site") == before
    assert project_entries(project) == ["content", "site"]


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/x").write_text("a", encoding="utf-8")
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this system cannot exchange folders atomically")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["x"]
    assert list((tmp_path / "a").iterdir()) == []


def test_leftovers_of_killed_builds_are_removed(make_project: MakeProject) -> None:
    project = make_project(project_files())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    for name in (f".site.new-{dead}-0", f".site.old-{dead}-0", f".site.new-{os.getpid()}-7"):
        (project / name / "assets").mkdir(parents=True)
    build(project)
    assert project_entries(project) == [
        f".site.new-{os.getpid()}-7", "content", "site"]  # a live process's folder is kept


def test_rebuild_replaces_the_old_site(make_project: MakeProject) -> None:
    project = make_project(project_files())
    build(project)
    (project / "site" / "stale.html").write_text("old", encoding="utf-8")
    build(project, as_of=date(2020, 8, 1))
    assert not (project / "site" / "stale.html").exists()
    assert '"as_of": "2020-08-01"' in (project / "site/report.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", [".", "content", "content/x", "notes"])
def test_refuses_to_replace_what_is_not_a_site(make_project: MakeProject, target: str) -> None:
    files = {**project_files(), "notes/keep.txt": "mine"}
    project = make_project(files)
    with pytest.raises(JssReportError, match="refusing to"):
        build(project, output=project / target)
    assert (project / "notes/keep.txt").read_text(encoding="utf-8") == "mine"


def test_strict_refuses_warnings(make_project: MakeProject) -> None:
    files = project_files()
    files["content/contracts/later.yml"] = """
        contracts:
          - {id: later, client: L, title: Later, type: fixed, start: 2021-01-01}
    """
    project = make_project(files)
    assert build(project).warnings == (
        "contract 'later' starts after the report date 2020-07-01; it is left out",)
    with pytest.raises(JssReportError) as info:
        build_site(project, load_settings(project), strict=True, output=project / "site")
    assert str(info.value) == ("contract 'later' starts after the report date 2020-07-01; "
                               "it is left out (--strict)")


def test_hostile_client_name_is_escaped_in_html_and_chart_json(make_project: MakeProject) -> None:
    project = make_project(project_files(client=HOSTILE.replace('"', "")))
    build(project)
    for name, data in snapshot(project / "site").items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert "<script>alert(1)" not in text, name
            assert "</script><script>alert" not in text, name
    contracts = (project / "site/contracts.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in contracts
    # chart data: JSON escapes, of Plotly's character references (charts.plotly_text)
    assert "\\u0026lt;\\u002fscript\\u0026gt;\\u0026lt;script\\u0026gt;alert(1)" in contracts


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def check_links(site: Path) -> int:
    """Every relative href/src resolves to a file (and its #anchor to an id); returns a count."""
    parsed = {}
    for page in site.rglob("*.html"):
        collector = LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        parsed[page] = collector
    checked = 0
    for page, collector in parsed.items():
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not link.startswith("/"), f"{page.name}: {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.name}: {link} does not resolve"
            assert site.resolve() in target.parents, f"{page.name}: {link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, f"{page.name}: {link}"
            checked += 1
    return checked


def test_every_internal_link_resolves(make_project: MakeProject) -> None:
    project = make_project(project_files())
    build(project)
    assert check_links(project / "site") > 20


def test_every_internal_link_resolves_in_the_demo(tmp_path: Path) -> None:
    project = tmp_path / "demo"
    shutil.copytree(ROOT / "content", project / "content")
    build(project)
    assert check_links(project / "site") > 20


def test_as_of_precedence() -> None:
    flag, profile, today = date(2021, 1, 1), date(2020, 7, 1), date(2024, 5, 5)
    env = {"SOURCE_DATE_EPOCH": "1600000000"}  # 2020-09-13 UTC
    assert resolve_as_of(flag, profile, env, today) == flag
    assert resolve_as_of(None, profile, env, today) == profile
    assert resolve_as_of(None, None, env, today) == date(2020, 9, 13)
    assert resolve_as_of(None, None, {}, today) == today
    with pytest.raises(JssReportError) as info:
        resolve_as_of(None, None, {"SOURCE_DATE_EPOCH": "soon"}, today)
    assert str(info.value) == "SOURCE_DATE_EPOCH must be a whole number of seconds, got 'soon'"
