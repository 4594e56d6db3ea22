"""The demo site on a 390-px phone, light and dark: no page scrolls sideways (a wide table
scrolls inside its own box or stacks), every chart draws, and the labels of the 90/80/75 lines
sit outside the plot, clear of the data and of each other.

Real Chromium, as tests/test_browser.py (tests/browser_util.py: never downloaded).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_util import build_project, chromium, copy_demo, visit_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = (390, 844)
SCHEMES = ("light", "dark")

# What sticks out: the page's width, and the elements (outside a table's own scroll box)
# whose right edge passes the screen's.
WIDTH = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.closest(".table-scroll, .plotly-graph-div")) continue;
    const right = e.getBoundingClientRect().right;
    if (right > width + 0.5)
      out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(right)}`);
  }
  return {scroll: document.documentElement.scrollWidth, wider: out.slice(0, 5)};
}"""

# Per chart: labels of the threshold lines ("90%", ...) that start left of the plot's right
# edge, and pairs of annotations whose boxes overlap.
LABELS = """() => {
  const out = [];
  for (const div of document.querySelectorAll(".plotly-graph-div")) {
    const size = div._fullLayout && div._fullLayout._size;
    if (!size) continue;
    const origin = div.getBoundingClientRect();
    const plotRight = origin.left + size.l + size.w;
    const boxes = [...div.querySelectorAll("g.annotation")]
      .map(g => [g.textContent.trim(), g.getBoundingClientRect()]);
    for (const [text, box] of boxes) {
      if (/^\\d+%$/.test(text) && box.left < plotRight - 0.5)
        out.push(`${div.id}: ${text} on the plot`);
      if (box.right > origin.right + 0.5) out.push(`${div.id}: ${text} cut off`);
    }
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
        out.push(`${div.id}: ${a} overlaps ${b}`);
    }));
  }
  return out;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(copy_demo(tmp_path_factory.mktemp("phone") / "demo"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def measure(tab: Page) -> dict[str, Any]:
    return {**tab.evaluate(WIDTH), "labels": tab.evaluate(LABELS)}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_fits_a_phone_and_draws(site: Path, browser: Browser, scheme: str) -> None:
    visits = visit_site(browser, site, color_scheme=scheme, viewport=PHONE, inspect=measure)
    assert len(visits) >= 7
    assert [p for v in visits.values() for p in v.problems()] == []
    wide = {page: v.extra["wider"] for page, v in visits.items()
            if v.extra["scroll"] > PHONE[0]}
    assert wide == {}
    assert [label for v in visits.values() for label in v.extra["labels"]] == []
