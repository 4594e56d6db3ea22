"""Accessibility: axe-core on every page of the demo, light and dark (the system's and the
theme button's), with zero serious or critical violations; the theme button, the skip link,
landmarks and visible focus with the keyboard.

axe-core comes from the npm registry (``npm install --prefix .ci/node axe-core@4``; .ci/run
does it). Without it the test fails on CI (``CI`` set) and is skipped locally, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main

ROOT = Path(__file__).resolve().parent.parent
AXE_PATHS = (os.environ.get("JSSREPORT_AXE", ""),
             str(ROOT / ".ci/node/node_modules/axe-core/axe.min.js"))
BLOCKING = ("serious", "critical")
DRAWN = ("() => [...document.querySelectorAll('.plotly-graph-div')]"
         ".every(e => e.querySelector('.main-svg'))")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def axe_path() -> str:
    for path in AXE_PATHS:
        if path and Path(path).is_file():
            return path
    from browser_util import skip_or_fail

    skip_or_fail("axe-core is not installed: run 'npm install --prefix .ci/node axe-core@4' "
                 "(or set JSSREPORT_AXE to axe.min.js)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("a11y") / "demo"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "jssreport.yml", project / "jssreport.yml")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


def pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


LANDMARKS = """() => ({
  banner: document.querySelectorAll("body > header").length,
  site_nav: document.querySelectorAll("header nav[aria-label='Report pages']").length,
  unlabelled_nav: [...document.querySelectorAll("nav")].filter(n => !n.getAttribute("aria-label")
    && !n.getAttribute("aria-labelledby")).length,
  main: document.querySelectorAll("main#main").length,
  contentinfo: document.querySelectorAll("body > footer").length,
  h1: document.querySelectorAll("main h1").length > 0,
  skip: document.querySelector("body > a.skip-link[href='#main']") !== null,
})"""
EXPECTED_LANDMARKS = {"banner": 1, "site_nav": 1, "unlabelled_nav": 0, "main": 1,
                      "contentinfo": 1, "h1": True, "skip": True}


def violations(tab: Any, url: str, axe: str) -> list[str]:
    """Serious and critical axe violations of the page, and any missing landmark."""
    tab.goto(url)
    tab.wait_for_function(DRAWN, timeout=15_000)
    landmarks = tab.evaluate(LANDMARKS)
    found = [] if landmarks == EXPECTED_LANDMARKS else [f"landmarks {landmarks}"]
    tab.add_script_tag(path=axe)
    return found + [f"{v['impact']} {v['id']}: {v['help']} ({'; '.join(v['nodes'])})"
                    for v in tab.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_on_any_page(site: Path, browser: Any, scheme: str) -> None:
    axe = axe_path()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()  # one tab for all pages: plotly.js is compiled once
        found = {page: violations(tab, (site / page).as_uri(), axe) for page in pages(site)}
    finally:
        context.close()
    assert len(found) >= 4
    assert {page: v for page, v in found.items() if v} == {}


@pytest.mark.browser
def test_theme_button_switches_saves_and_rethemes_the_charts(site: Path, browser: Any) -> None:
    """From a light system: dark by the button (keyboard), kept on the next page (file://
    localStorage), axe-clean in that state, charts drawn with light text; back to light."""
    axe = axe_path()
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((site / "index.html").as_uri())
        tab.wait_for_function(DRAWN, timeout=15_000)
        button = tab.locator("#theme-toggle")
        assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
        font = "() => document.querySelector('.plotly-graph-div')._fullLayout.font.color"
        assert tab.evaluate(font) == "#1f2937"
        button.focus()
        tab.keyboard.press("Enter")
        assert tab.evaluate("() => document.documentElement.dataset.theme") == "dark"
        assert button.get_attribute("aria-pressed") == "true"
        assert tab.evaluate(font) == "#e5e7eb"
        assert tab.evaluate("() => getComputedStyle(document.body).backgroundColor") == \
            "rgb(15, 17, 21)"
        # the choice holds on the next page, which is clean in that state too
        assert violations(tab, (site / "contracts.html").as_uri(), axe) == []
        assert tab.evaluate("() => document.documentElement.dataset.theme") == "dark"
        assert tab.evaluate(font) == "#e5e7eb"
        tab.locator("#theme-toggle").focus()
        tab.keyboard.press("Space")
        assert tab.evaluate("() => localStorage.getItem('jssreport-theme')") == "light"
        assert tab.evaluate(font) == "#1f2937"
    finally:
        context.close()


@pytest.mark.browser
def test_print_draws_charts_light_at_page_width(site: Path, browser: Any) -> None:
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((site / "contracts.html").as_uri())
        tab.wait_for_function(DRAWN, timeout=15_000)
        layout = "() => { const l = document.querySelector('.plotly-graph-div')._fullLayout; " \
            "return [l.font.color, l.width]; }"
        assert tab.evaluate(layout)[0] == "#e5e7eb"
        tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert tab.evaluate(layout) == ["#1f2937", 680]
        tab.emulate_media(media="print")
        assert tab.evaluate("() => getComputedStyle(document.body).backgroundColor") == \
            "rgb(255, 255, 255)"
        hidden = tab.evaluate("() => ['nav', '#theme-toggle', '.chart-data'].map(s => "
                              "getComputedStyle(document.querySelector(s)).display)")
        assert hidden == ["none", "none", "none"]
        assert tab.evaluate("() => getComputedStyle(document.querySelector('.chart'))"
                            ".breakInside") == "avoid"
        tab.emulate_media(media="screen")
        tab.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        assert tab.evaluate(layout)[0] == "#e5e7eb"
    finally:
        context.close()


@pytest.mark.browser
def test_skip_link_and_visible_focus(site: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((site / "model.html").as_uri())
        tab.keyboard.press("Tab")
        assert tab.evaluate("() => document.activeElement.className") == "skip-link"
        assert tab.evaluate("() => document.activeElement.getBoundingClientRect().top") >= 0
        tab.keyboard.press("Enter")
        assert tab.evaluate("() => document.activeElement.id") == "main"
        outline = ("() => { const s = getComputedStyle(document.activeElement); "
                   "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
        tab.reload()
        reached = []
        for _ in range(12):  # the skip link, the brand, the navigation, the theme button, ...
            tab.keyboard.press("Tab")
            reached.append(tab.evaluate("() => document.activeElement.id || "
                                        "document.activeElement.tagName"))
            style, width = tab.evaluate(outline)
            assert style != "none" and width >= 2, tab.evaluate(
                "() => document.activeElement.outerHTML.slice(0, 80)")
        assert "theme-toggle" in reached
    finally:
        context.close()


def test_the_two_dark_palettes_are_the_same() -> None:
    """style.css has the dark colours twice (system choice, button choice)."""
    css = (ROOT / "templates/assets/style.css").read_text(encoding="utf-8")
    system = re.search(r':root:not\(\[data-theme="light"\]\) \{(.*?)\}', css, re.S)
    chosen = re.search(r':root\[data-theme="dark"\] \{(.*?)\}', css, re.S)
    assert system and chosen

    def rules(block: str) -> list[str]:
        return [line.strip() for line in block.strip().splitlines()]

    assert rules(system.group(1)) == rules(chosen.group(1))
