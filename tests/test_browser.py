"""The demo report in headless Chromium from file://: no console error, no page error, no
network request, every chart drawn, the navigation reachable with the keyboard.

Every HTML file of the built site is visited, in the light and the dark colour scheme, so new
pages are covered without changing this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_util import (
    build_project,
    chromium,
    copy_demo,
    html_pages,
    nav_links,
    tab_stops,
    visit,
    visit_site,
)
from click.testing import CliRunner

from jssreport.cli import main

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
EXTRA_TABS = 4  # the skip link, the brand, and some slack for controls added to the header


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The demo project built once: the site folder and how many charts the build reported."""
    project = copy_demo(tmp_path_factory.mktemp("browser") / "demo")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    match = re.search(r"(\d+) charts?", result.output)
    assert match, result.output
    return project / "site", int(match.group(1))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def keyboard(tab: Page) -> tuple[list[str], list[str]]:
    links = nav_links(tab)
    return links, tab_stops(tab, len(links) + EXTRA_TABS)


@pytest.fixture(scope="module")
def visits(demo: tuple[Path, int], browser: Browser) -> dict[str, Any]:
    """Every page in every colour scheme, visited once for all the tests below."""
    site, _ = demo
    out: dict[str, Any] = {}
    for scheme in SCHEMES:
        for rel, seen in visit_site(browser, site, color_scheme=scheme,
                                    inspect=keyboard if scheme == "light" else None).items():
            out[f"{rel} ({scheme})"] = seen
    return out


def test_the_site_has_the_report_pages(demo: tuple[Path, int]) -> None:
    site, charts = demo
    pages = html_pages(site)
    assert {"index.html", "contracts.html", "model.html", "about.html"} <= set(pages)
    assert charts >= 5


def test_no_console_error_and_no_page_error(visits: dict[str, Any]) -> None:
    problems = [p for v in visits.values() for p in v.problems()
                if " console " in p or " page error " in p]
    assert problems == []


def test_no_network_request(visits: dict[str, Any]) -> None:
    assert [u for v in visits.values() for u in v.requests] == []


def test_every_chart_draws(visits: dict[str, Any], demo: tuple[Path, int]) -> None:
    problems = [p for v in visits.values() for p in v.problems()]
    assert problems == []
    for v in visits.values():
        assert v.drawn == v.containers == v.promised, v.name
    drawn = {c for v in visits.values() if v.color_scheme == "light" for c in v.drawn}
    # every chart the build made is drawn on some page, and chart ids are unique per page
    assert len(drawn) == demo[1], sorted(drawn)
    for v in visits.values():
        assert len(set(v.drawn)) == len(v.drawn), v.name


def test_the_overview_leads_with_what_upwork_showed(visits: dict[str, Any],
                                                   demo: tuple[Path, int]) -> None:
    """The new Overview: the observed score first, then today's estimate and its range, and
    every chart on it drawn (the six-month outlook first) without a console error."""
    for scheme in SCHEMES:
        v = visits[f"index.html ({scheme})"]
        assert v.problems() == [], v.name
        assert v.drawn[0] == "chart-outlook" and v.drawn == v.promised, v.drawn
        assert {"chart-outlook", "chart-history", "chart-outcomes"} <= set(v.drawn)
    html = (demo[0] / "index.html").read_text(encoding="utf-8")
    assert html.index("Upwork showed <strong>82%</strong>") < html.index("Estimated today (")


def test_tab_reaches_the_skip_link_then_every_nav_link(visits: dict[str, Any]) -> None:
    for v in visits.values():
        if v.color_scheme != "light":
            continue
        links, stops = v.extra
        assert links, f"{v.name}: no navigation links"
        assert stops[0] == "a #main", f"{v.name}: first Tab stop is {stops[0]!r}"
        missing = [href for href in links if f"a {href}" not in stops]
        assert missing == [], f"{v.name}: Tab never reaches {missing}; stops: {stops}"


# --- the checker itself: it must see what it is meant to catch -------------------------------


BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><img src="https://example.invalid/pixel.png" alt="">
<div id="chart-never" class="plotly-graph-div"></div>
<script>console.error("boom"); console.log("fine"); undefinedFunction();</script>
</body></html>
"""


def test_the_checker_catches_errors_requests_and_undrawn_charts(browser: Browser,
                                                               tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    seen = visit_site(browser, tmp_path, chart_timeout_ms=300)["bad.html"]
    assert seen.requests == ["https://example.invalid/pixel.png"]
    # the blocked image shows up as a console error too
    assert sorted(m.split(" (")[0] for m in seen.console) == [
        "error: Failed to load resource: net::ERR_FAILED", "error: boom"]
    assert len(seen.page_errors) == 1 and "undefinedFunction" in seen.page_errors[0]
    assert seen.promised == seen.containers == ["chart-never"] and seen.drawn == []
    assert "bad.html (light): charts that did not draw: chart-never" in seen.problems()


def test_build_project_builds_into_the_output_folder(tmp_path: Path, browser: Browser) -> None:
    site = build_project(copy_demo(tmp_path / "demo"), "-o", str(tmp_path / "public"))
    assert site == tmp_path / "public" and (site / "index.html").is_file()
    seen = visit(browser, (site / "model.html").as_uri(), page="model.html")
    assert seen.problems() == []
