"""Long tables over several pages (output.paging): at a generated history of 2,000 contracts
every page stays small, each long table's pages hold every row once and are all linked, every
internal link resolves and the single file holds every page once; a paginated site in the
browser; the pager itself."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import bench_generator
from test_build import LinkCollector, check_links

from jssreport.input.config import load_settings
from jssreport.output import charts, paging
from jssreport.output.paging import Pager, pager, part_path, parts_of
from jssreport.output.singlefile import assemble
from jssreport.pipeline import build_site

ROOT = Path(__file__).resolve().parent.parent
PAGE_LIMIT = 400_000  # bytes: issue 6 (at 20,000 contracts; bench/run.py measures that)
AS_OF = date(2026, 6, 30)
CONTRACT_ROW = re.compile(r'<tr id="contract-([^"]+)"')
ACTION_ROW = re.compile(r'<tr id="rec-([^"]+)"')




def build_history(project: Path, contracts: int) -> Path:
    bench_generator().generate(contracts, project)
    build_site(project, load_settings(project), as_of=AS_OF)
    return project / "site"


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


def parts(pages: dict[str, str], first: str) -> list[str]:
    """``first`` and its later pages, in order."""
    stem = first[:-5]
    later = sorted((int(m.group(1)), name) for name in pages
                   if (m := re.fullmatch(rf"{stem}-(\d+)\.html", name)))
    assert [n for n, _ in later] == list(range(2, len(later) + 2)), later
    return [first, *(name for _, name in later)]


def reachable(site: Path, pages: dict[str, str]) -> set[str]:
    """Every page reached by following links from index.html."""
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        links = LinkCollector()
        links.feed(pages[todo.pop()])
        for href in links.links:
            name = href.split("#")[0]
            if name.endswith(".html") and name in pages and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of a generated history of 2,000 contracts (the benchmark's middle size)."""
    return build_history(tmp_path_factory.mktemp("paging") / "history", 2000)


def test_no_page_is_over_the_limit(history: Path) -> None:
    sizes = {p.name: p.stat().st_size for p in history.rglob("*.html")}
    assert len(sizes) > 10
    # well under the limit at 2,000: a page holds a fixed number of rows, whatever the total
    assert {name: size for name, size in sizes.items() if size > 0.75 * PAGE_LIMIT} == {}


def test_every_contract_and_every_action_once_on_linked_pages(history: Path) -> None:
    pages = html_files(history)
    report = json.loads((history / "report.json").read_text(encoding="utf-8"))
    contract_pages = parts(pages, "contracts.html")
    assert len(contract_pages) == parts_of(len(report["contracts"]), paging.CONTRACTS_PER_PAGE)
    shown = Counter(cid for name in contract_pages for cid in CONTRACT_ROW.findall(pages[name]))
    assert shown == Counter(c["id"] for c in report["contracts"])
    action_pages = parts(pages, "recommendations.html")
    assert len(action_pages) > 1
    actions = [cid for name in action_pages for cid in ACTION_ROW.findall(pages[name])]
    assert actions == [r["contract"] for r in report["recommendations"]]  # ranked, in order
    # newest first, page after page
    starts = {c["id"]: c["start"] for c in report["contracts"]}
    ordered = [starts[cid] for name in contract_pages for cid in CONTRACT_ROW.findall(pages[name])]
    assert ordered == sorted(ordered, reverse=True)
    # every page is reached from the overview; charts only on each table's first page
    assert reachable(history, pages) == set(pages)
    for name in contract_pages[1:] + action_pages[1:]:
        assert "plotly-graph-div" not in pages[name] and "plotly.min.js" not in pages[name]
        assert '<h1>' in pages[name] and "Page " in pages[name]


def test_every_internal_link_resolves(history: Path) -> None:
    assert check_links(history) > 300


def test_long_lists_show_their_head_and_say_so(history: Path) -> None:
    report = json.loads((history / "report.json").read_text(encoding="utf-8"))
    explain = (history / "explain.html").read_text(encoding="utf-8")
    rated = len(report["explain"]["detractors"]["contracts"])
    assert rated > paging.DETRACTORS_SHOWN
    assert f"The {paging.DETRACTORS_SHOWN} of {rated:,} rated contracts" in explain
    assert explain.count('<span class="id">') == paging.DETRACTORS_SHOWN
    counted = sum(1 for c in report["contracts"] if c["contribution"] is not None)
    contracts = (history / "contracts.html").read_text(encoding="utf-8")
    assert f"Of the {counted:,} that count, the {charts.CONTRIBUTION_BARS} that" in contracts


def test_the_single_file_has_every_page_once_in_order(history: Path) -> None:
    files = {p.relative_to(history).as_posix(): p.read_bytes()
             for p in history.rglob("*") if p.is_file()}
    html = assemble(files).decode("utf-8")
    sections = re.findall(r'<section id="([^"]+)" class="page-section"', html)
    pages = html_files(history)
    assert len(sections) == len(pages)
    contract_parts = [s for s in sections if re.fullmatch(r"contracts(-\d+)?", s)]
    assert contract_parts == [name[:-5] for name in parts(pages, "contracts.html")]
    assert sections.index("contracts-2") == sections.index("contracts") + 1
    report = json.loads(files["report.json"])
    assert Counter(CONTRACT_ROW.findall(html)) == Counter(c["id"] for c in report["contracts"])
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    internal = {h[1:] for h in re.findall(r'\shref="(#[^"]*)"', html)}
    assert internal <= ids
    assert 'href="contracts-2.html"' not in html


# --- the pager ------------------------------------------------------------------------------


def test_part_paths_and_counts() -> None:
    assert [part_path("contracts.html", k) for k in (1, 2, 10)] == [
        "contracts.html", "contracts-2.html", "contracts-10.html"]
    assert part_path("sub/page.html", 3) == "sub/page-3.html"
    assert [parts_of(n, 200) for n in (0, 1, 200, 201, 20_000)] == [1, 1, 1, 2, 100]


def labels(p: Pager) -> list[str]:
    return [("[" + link.label + "]") if link.current else link.label for link in p.links]


def test_pager_shows_the_ends_and_the_neighbours() -> None:
    assert labels(pager("contracts.html", 1, 2000, 200)) == ["[1]", "2", "3", "…", "10"]
    assert labels(pager("contracts.html", 5, 2000, 200)) == [
        "1", "2", "3", "4", "[5]", "6", "7", "…", "10"]  # a gap of one page is linked
    assert labels(pager("contracts.html", 10, 2000, 200)) == ["1", "…", "8", "9", "[10]"]
    assert labels(pager("contracts.html", 2, 300, 200)) == ["1", "[2]"]
    p = pager("contracts.html", 2, 450, 200)
    assert (p.first, p.last, p.total, p.range_text) == (201, 400, 450, "201–400 of 450")
    assert (p.previous_href, p.next_href) == ("contracts.html", "contracts-3.html")
    assert [(x.label, x.href, x.current) for x in p.pages] == [
        ("1–200", "contracts.html", False), ("201–400", "contracts-2.html", True),
        ("401–450", "contracts-3.html", False)]
    last = pager("contracts.html", 3, 450, 200)
    assert (last.previous_href, last.next_href, last.range_text) == (
        "contracts-2.html", "", "401–450 of 450")


def test_a_page_may_not_take_the_name_of_a_later_page(tmp_path: Path) -> None:
    from jssreport.input.pages import load_pages

    folder = tmp_path / "content/pages"
    folder.mkdir(parents=True)
    (folder / "contracts-2.md").write_text("# Two\n", encoding="utf-8")
    (folder / "contracts-x.md").write_text("# Fine\n", encoding="utf-8")
    pages, problems = load_pages(tmp_path)
    assert [p.slug for p in pages] == ["contracts-x"]
    assert [str(p) for p in problems] == [
        "content/pages/contracts-2.md: page name 'contracts-2' is taken by a built-in page; "
        "rename the file"]


# --- in the browser: a small history with small pages ---------------------------------------


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """300 contracts with pages of 40 contracts and 15 actions: the same pages, fewer rows."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "CONTRACTS_PER_PAGE", 40)
        patch.setattr(paging, "ACTIONS_PER_PAGE", 15)
        yield build_history(tmp_path_factory.mktemp("paging") / "small", 300)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


@pytest.mark.browser
def test_paginated_pages_in_the_browser(small_pages: Path, browser: Any) -> None:
    from browser_util import visit_site
    from test_browser import EXTRA_TABS, keyboard

    names = html_files(small_pages)
    contracts, actions = parts(names, "contracts.html"), parts(names, "recommendations.html")
    assert len(contracts) == 8 and len(actions) > 1
    # each table's first, second and last page (the pager differs), and the head of a list
    shown = [*contracts[:2], contracts[-1], *actions[:2], actions[-1], "explain.html"]
    visits = visit_site(browser, small_pages, shown)
    assert [p for v in visits.values() for p in v.problems()] == []
    tabbed = [contracts[1], contracts[4], actions[-1]]
    for v in visit_site(browser, small_pages, tabbed, inspect=keyboard).values():
        links, stops = v.extra
        missing = [href for href in links if f"a {href}" not in stops]
        assert missing == [], f"{v.name}: Tab never reaches {missing} in {len(links) + EXTRA_TABS}"


@pytest.mark.browser
def test_paginated_pages_have_no_serious_accessibility_violation(small_pages: Path,
                                                                  browser: Any) -> None:
    from test_browser_a11y import axe_path, violations

    axe = axe_path()
    names = html_files(small_pages)
    shown = ["contracts.html", "contracts-2.html", parts(names, "contracts.html")[-1],
             "recommendations-2.html", "explain.html"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        found = {name: violations(tab, (small_pages / name).as_uri(), axe) for name in shown}
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_since_shows_the_first_changes_of_each_kind(tmp_path: Path) -> None:
    project = tmp_path / "history"
    bench_generator().generate(300, project)
    build_site(project, load_settings(project), as_of=date(2025, 12, 31))
    build_site(project, load_settings(project), as_of=AS_OF)  # compared with the one before
    report = json.loads((project / "site/report.json").read_text(encoding="utf-8"))
    index = (project / "site/index.html").read_text(encoding="utf-8")
    since = index[index.index('<section class="card since"'):]
    since = since[:since.index("</section>")]
    lists = re.findall(r'<ul class="since-list">(.*?)</ul>', since, re.S)
    assert lists and max(part.count("<li>") for part in lists) == paging.SINCE_SHOWN
    payments = len(report["since"]["payments"])
    assert payments > paging.SINCE_SHOWN
    assert f"The first {paging.SINCE_SHOWN} of {payments:,}; report.json lists every one" in since


def test_the_closing_plan_shows_its_first_steps(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    import shutil

    from jssreport.advice.plan import PlanStep
    from jssreport.input.records import load_records
    from jssreport.output.advicecharts import advice_charts
    from jssreport.output.charts import build_charts
    from jssreport.output.render import render_site
    from jssreport.pipeline import render_report

    project = tmp_path / "golden"
    shutil.copytree(ROOT / "tests/fixtures/golden-project", project)
    report = render_report(project, load_settings(project), date(2021, 3, 1)).report
    assert report.advice is not None
    steps = tuple(PlanStep(k, "elm-retainer", "close", date(2021, 3, k), date(2021, 3, k + 1),
                           90, 80, 85) for k in (1, 2, 3))
    report = dataclasses.replace(report, advice=dataclasses.replace(report.advice, plan=steps))
    monkeypatch.setattr(paging, "PLAN_SHOWN", 2)
    charts = {**build_charts(report), **advice_charts(report)}
    files = render_site(report, load_records(project).pages, charts, project)
    page = files["recommendations.html"].decode("utf-8")
    plan = page[page.index('id="plan"'):page.index('id="rolloff"')]
    assert plan.count("<td class=\"num\">") == 2 * 4  # step, and three scores, per row
    assert "The first 2 of 3 steps; report.json lists every one" in plan


def test_the_navigation_marks_the_table_of_a_later_page(history: Path) -> None:
    nav = re.compile(r'<nav aria-label="Report pages">(.*?)</nav>', re.S)
    first = nav.search((history / "contracts.html").read_text(encoding="utf-8"))
    later = nav.search((history / "contracts-2.html").read_text(encoding="utf-8"))
    assert first and later
    assert '<a href="contracts.html" aria-current="page">Contracts</a>' in first.group(1)
    assert '<a href="contracts.html" aria-current="true">Contracts</a>' in later.group(1)
    assert "contracts-2.html" not in later.group(1)
