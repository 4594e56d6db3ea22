"""Open the pages of a built site in headless Chromium and record everything that went wrong.

Shared by the browser tests. A test builds a site, opens a browser once per module with
``chromium()``, then calls ``visit_site`` (or ``visit`` for one page); each visit returns a
``PageVisit`` whose ``problems()`` lists console errors, page errors, network requests and
charts that did not draw, in words. Pages are discovered from the files in the site, so a new
page is covered without touching the tests; a test with another list of pages passes it as
``pages=``.

Chromium is never downloaded: it is the system one (Debian's ``chromium`` package), or the
executable named by ``JSSREPORT_CHROMIUM``.

Every test that drives the browser carries the ``browser`` marker (``pytest -m "not browser"``
leaves them out). ``conftest.py`` checks ``browser_missing()`` before each: without Playwright
or Chromium the test is skipped with the reason, or fails where ``CI`` is set
(``skip_or_fail``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner

from jssreport.cli import main

try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Route,
        sync_playwright,
    )
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError as exc:  # the tests marked ``browser`` skip (or fail on CI): browser_missing
    PLAYWRIGHT_MISSING = f"Playwright's Python package is not installed ({exc})"
else:
    PLAYWRIGHT_MISSING = ""

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Schemes that never touch the network. Anything else is blocked and recorded.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CONSOLE_TYPES = ("error", "warning")  # console message types that fail a page
CHART = ".plotly-graph-div"  # the container charts.py writes, one per chart, with a fixed id
DRAWN = ".main-svg"  # what Plotly adds to a container once it has drawn
CHART_TIMEOUT_MS = 15_000
VIEWPORT = (1280, 900)
# The chart containers charts.py writes, read from the HTML file itself: what the page promises.
CHART_DIV = re.compile(r'<div id="([^"]+)" class="plotly-graph-div"')


def _chromium_candidates() -> list[str]:
    wanted = os.environ.get("JSSREPORT_CHROMIUM")
    return [wanted] if wanted else ["/usr/bin/chromium", "chromium", "chromium-browser"]


def chromium_path() -> str:
    """The Chromium to drive: ``$JSSREPORT_CHROMIUM``, else the system one."""
    candidates = _chromium_candidates()
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"Chromium not found (tried {', '.join(candidates)}): install the "
                       "'chromium' package or set JSSREPORT_CHROMIUM to its executable")


def browser_missing() -> str:
    """Why the browser tests cannot run here ("" when Playwright and Chromium are both there)."""
    if PLAYWRIGHT_MISSING:
        return PLAYWRIGHT_MISSING
    try:
        chromium_path()
    except RuntimeError as exc:
        return str(exc)
    return ""


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the running test, saying why; where ``CI`` is set, fail it instead.

    The one rule for everything the browser tests need from the machine (Playwright, Chromium,
    axe-core): a developer's machine without them skips, CI must have them.
    """
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser tests are required)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium for as many pages as needed (a module-scoped fixture wraps it)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


# --- sites ---------------------------------------------------------------------------------


def copy_demo(project: Path) -> Path:
    """The repository's demo project (content/ and jssreport.yml) copied into ``project``."""
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "jssreport.yml", project / "jssreport.yml")
    return project


def build_project(project: Path, *args: str) -> Path:
    """``jssreport build ARGS`` on ``project`` through the CLI; the site folder it wrote
    (``-o`` is relative to the current folder, as on the command line)."""
    result = CliRunner().invoke(main, ["build", "--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return Path(args[args.index("-o") + 1]) if "-o" in args else project / "site"


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as sorted ``/``-separated paths relative to it."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def promised_charts(site: Path, page: str) -> list[str]:
    """The ids of the chart containers in the page's HTML source, in order."""
    return CHART_DIV.findall((site / page).read_text(encoding="utf-8"))


# --- visits --------------------------------------------------------------------------------


@dataclass
class PageVisit:
    """What happened while one page loaded and drew."""

    page: str
    color_scheme: str
    console: list[str] = field(default_factory=list)  # "error: text (url:line)"
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # non-local URLs (blocked)
    promised: list[str] = field(default_factory=list)  # chart ids in the HTML source
    containers: list[str] = field(default_factory=list)  # chart ids in the DOM
    drawn: list[str] = field(default_factory=list)  # chart ids whose SVG exists
    extra: Any = None  # whatever the visit's ``inspect`` callback returned

    @property
    def name(self) -> str:
        return f"{self.page} ({self.color_scheme})"

    def problems(self) -> list[str]:
        """Everything wrong with the visit, one sentence each; empty when the page is clean."""
        out = [f"{self.name}: console {m}" for m in self.console]
        out += [f"{self.name}: page error {e}" for e in self.page_errors]
        out += [f"{self.name}: network request {u}" for u in self.requests]
        if self.containers != self.promised:
            out.append(f"{self.name}: chart containers {self.containers} in the page, "
                       f"{self.promised} in the HTML")
        missing = [c for c in self.containers if c not in self.drawn]
        if missing:
            out.append(f"{self.name}: charts that did not draw: {', '.join(missing)}")
        return out


def new_context(browser: Browser, color_scheme: str = "light",
                viewport: tuple[int, int] = VIEWPORT) -> BrowserContext:
    return browser.new_context(color_scheme=color_scheme,  # type: ignore[arg-type]
                               viewport={"width": viewport[0], "height": viewport[1]})


def visit(where: Browser | BrowserContext, url: str, *, page: str = "",
          color_scheme: str = "light", promised: Iterable[str] = (),
          local: tuple[str, ...] = LOCAL_SCHEMES, inspect: Callable[[Page], Any] | None = None,
          viewport: tuple[int, int] = VIEWPORT,
          chart_timeout_ms: int = CHART_TIMEOUT_MS) -> PageVisit:
    """Open ``url`` in a new tab, wait for the charts, and record what went wrong.

    Given a browser, the tab gets a fresh context of its own (``color_scheme``, ``viewport``);
    given a context, it shares that context's cache and storage with the context's other tabs.
    Requests whose URL does not start with one of ``local`` are blocked and recorded (a test
    of ``jssreport serve`` passes its own origin). ``inspect`` runs on the loaded page (for
    keyboard checks, screenshots, ...); its result is kept in ``PageVisit.extra``.
    """
    if isinstance(where, Browser):
        context = new_context(where, color_scheme, viewport)
        try:
            return visit(context, url, page=page, color_scheme=color_scheme, promised=promised,
                         local=local, inspect=inspect, chart_timeout_ms=chart_timeout_ms)
        finally:
            context.close()
    result = PageVisit(page or url, color_scheme, promised=list(promised))

    def record(url: str) -> bool:
        """True when ``url`` is local; otherwise remember it (once)."""
        if url.startswith(local):
            return True
        if url not in result.requests:
            result.requests.append(url)
        return False

    def route(r: Route) -> None:
        if record(r.request.url):
            r.continue_()
        else:
            r.abort()

    def seen(request: Request) -> None:
        record(request.url)

    def console(message: ConsoleMessage) -> None:
        if message.type in CONSOLE_TYPES:
            at = message.location
            result.console.append(f"{message.type}: {message.text} "
                                  f"({at.get('url', '')}:{at.get('lineNumber', '')})")

    tab = where.new_page()
    try:
        tab.route("**/*", route)
        tab.on("console", console)
        tab.on("pageerror", lambda exc: result.page_errors.append(str(exc)))
        # Belt and braces: the route sees fetches, this sees whatever bypasses routing.
        tab.on("request", seen)
        tab.goto(url, wait_until="load")
        _wait_for_charts(tab, chart_timeout_ms)
        result.containers = tab.eval_on_selector_all(CHART, "els => els.map(e => e.id)")
        result.drawn = tab.eval_on_selector_all(
            CHART, f"els => els.filter(e => e.querySelector('{DRAWN}')).map(e => e.id)")
        if inspect is not None:
            result.extra = inspect(tab)
    finally:
        tab.close()
    return result


def _wait_for_charts(tab: Page, timeout_ms: int) -> None:
    """Until every chart container has its SVG; a timeout is left for ``problems()`` to say."""
    with contextlib.suppress(PlaywrightTimeoutError):
        tab.wait_for_function(
            f"() => [...document.querySelectorAll('{CHART}')]"
            f".every(e => e.querySelector('{DRAWN}'))", timeout=timeout_ms)


def visit_site(browser: Browser, site: Path, pages: Iterable[str] | None = None, *,
               color_scheme: str = "light", inspect: Callable[[Page], Any] | None = None,
               viewport: tuple[int, int] = VIEWPORT,
               chart_timeout_ms: int = CHART_TIMEOUT_MS) -> dict[str, PageVisit]:
    """``visit`` every page of ``site`` (default: every HTML file in it) from file://, each in
    its own tab of one context (shared cache: plotly.js is read once per call)."""
    context = new_context(browser, color_scheme, viewport)
    try:
        return {
            rel: visit(context, (site / rel).resolve().as_uri(), page=rel,
                       color_scheme=color_scheme, promised=promised_charts(site, rel),
                       inspect=inspect, chart_timeout_ms=chart_timeout_ms)
            for rel in (html_pages(site) if pages is None else pages)
        }
    finally:
        context.close()


# --- keyboard ------------------------------------------------------------------------------


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  return e.tagName.toLowerCase() + " " + (e.getAttribute("href") || e.id || e.textContent.trim());
}"""


def tab_stops(tab: Page, presses: int) -> list[str]:
    """What has the focus after each of ``presses`` Tab presses from the top of the page:
    ``"a index.html"``, ``"button theme-toggle"``, ..."""
    tab.evaluate("() => { if (document.activeElement) document.activeElement.blur(); }")
    stops = []
    for _ in range(presses):
        tab.keyboard.press("Tab")
        stops.append(tab.evaluate(FOCUSED))
    return stops


def nav_links(tab: Page) -> list[str]:
    """The hrefs of the links of the site navigation, in order."""
    links: list[str] = tab.eval_on_selector_all(
        "nav a[href]", "els => els.map(e => e.getAttribute('href'))")
    return links
