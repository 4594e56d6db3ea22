"""Record text in a chart is shown as text: Plotly's pseudo-HTML in a client name, a title, a
comment or a scenario name makes no live link and styles no label, in any chart (hover boxes,
legends, axis ticks, annotations). Checked in the data written and in Chromium."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.output.plotting import plotly_text, plotly_texts

LINK = '<a href="https://evil.example/login">Verify</a>'
BIG = '<span style="font-size:60px">Big</span>'
MORE = "<b>bold</b><i>it</i><br><sup>up</sup> &amp; &lt;x&gt; &#60;a&#62;"
HOSTILE = f"{LINK} {BIG} {MORE}"


def q(text: str) -> str:
    return json.dumps(text)


FILES = {
    "content/profile.yml": """\
        name: Me
        as_of: 2021-07-01
        snapshots:
          - {date: 2021-06-01, jss: 70, would_recommend: 50}
        """,
    "content/contracts/c.yml": f"""\
        contracts:
          - {{id: one, client: {q('A ' + HOSTILE)}, title: {q('T1 ' + HOSTILE)}, type: fixed,
             start: 2020-09-07, end: 2020-10-05, payments: [{{date: 2020-10-05, amount: 800}}],
             feedback: {{date: 2020-10-06, stars: 3.2, comment: {q(HOSTILE)}}}}}
          - {{id: two, client: {q('B ' + HOSTILE)}, title: {q('T2 ' + HOSTILE)}, type: hourly,
             start: 2020-11-02, end: 2021-01-04, payments: [{{date: 2021-01-04, amount: 1500}}],
             feedback: {{date: 2021-01-05, stars: 5}}}}
          - {{id: three, client: {q('C ' + HOSTILE)}, title: {q('T3 ' + HOSTILE)}, type: fixed,
             start: 2021-02-01, end: 2021-03-01, payments: [{{date: 2021-03-01, amount: 300}}],
             feedback: {{date: 2021-03-02, stars: 4.6}}}}
          - {{id: four, client: {q('D ' + HOSTILE)}, title: {q('T4 ' + HOSTILE)}, type: fixed,
             start: 2021-03-01, payments: [{{date: 2021-03-20, amount: 200}}],
             last_activity: 2021-03-21}}
        """,
    "content/scenarios/s.yml": f"""\
        name: {q('S ' + HOSTILE)}
        actions:
          - {{close: four, on: 2021-07-15, feedback: {{stars: 5}}}}
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("charttext") / "p"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project / "site"


def chart_arguments(html: str) -> list[tuple[list[Any], dict[str, Any]]]:
    found = []
    for call in re.findall(r"Plotly\.newPlot\(\"[^\"]+\", (.*?)\); \}", html):
        data, layout, _config = json.loads(f"[{call}]")
        found.append((data, layout))
    return found


def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)


def test_no_record_markup_in_any_chart_data(site: Path) -> None:
    seen = 0
    for page in sorted(site.glob("*.html")):
        for data, layout in chart_arguments(page.read_text(encoding="utf-8")):
            for key, text in strings([data, layout]):
                if "evil.example" in text or "60px" in text:
                    seen += 1
                    assert "<a " not in text and "<span" not in text, (page.name, key, text)
                    assert "&lt;a href=" in text or "&lt;span" in text
    assert seen > 10  # the names are in the charts: hover data, legends, scenario lines


def test_plotly_text() -> None:
    assert plotly_text('<a href="x">&amp;</a>') == '&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;'
    data = [{"name": "<b>", "hovertemplate": "<b>%{x}</b>", "y": [1, "<i>"],
             "marker": {"color": "#fff"}}]
    assert plotly_texts(data) == [{"name": "&lt;b&gt;", "hovertemplate": "<b>%{x}</b>",
                                   "y": [1, "&lt;i&gt;"], "marker": {"color": "#fff"}}]


# --- in the browser ---------------------------------------------------------------------------

HOVER_ALL = """() => {
  const found = [];
  const look = (where) => {
    for (const div of document.querySelectorAll(".plotly-graph-div")) {
      for (const a of div.querySelectorAll("a")) {
        found.push(where + ": link " + (a.getAttribute("href") || a.getAttribute("xlink:href")));
      }
      for (const e of div.querySelectorAll("[style*='60px']")) found.push(where + ": 60px");
      for (const e of div.querySelectorAll("tspan[style*='italic']")) found.push(where + ": it");
    }
  };
  look("drawn");
  let texts = "";
  for (const div of document.querySelectorAll(".plotly-graph-div")) {
    (div.data || []).forEach((trace, i) => {
      const n = Math.min(4, (trace.x || trace.y || []).length);
      for (let p = 0; p < n; p++) {
        Plotly.Fx.hover(div, [{curveNumber: i, pointNumber: p}]);
        look(div.id + " hover " + i + "/" + p);
        const label = div.querySelector(".hoverlayer");
        if (label) texts += label.textContent;
      }
    });
    texts += div.querySelector(".legend") ? div.querySelector(".legend").textContent : "";
  }
  return {found, texts};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


@pytest.mark.browser
def test_chromium_shows_record_markup_as_text(site: Path, browser: Any) -> None:
    from browser_util import visit_site

    pages = [p for p in ("index.html", "contracts.html", "recommendations.html", "explain.html",
                         "scenarios.html") if (site / p).exists()]
    visits = visit_site(browser, site, pages, inspect=lambda tab: tab.evaluate(HOVER_ALL))
    texts = ""
    for name, seen in visits.items():
        assert seen.problems() == [], name
        assert seen.extra["found"] == [], name
        texts += seen.extra["texts"]
    # hover boxes and legends show the names as typed
    assert LINK in texts and BIG in texts and "<b>bold</b>" in texts
