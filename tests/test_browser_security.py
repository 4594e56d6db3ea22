"""Hostile text in every field of the records, the settings, a scenario and a page: opened in
Chromium, no page shows a dialog, runs a planted script or holds a planted element; template
syntax stays text; script elements hold only what jssreport writes."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main

# Each payload also sets window.__pwned, in case a dialog were swallowed.
SCRIPT = "</script><script>alert(1);window.__pwned=1</script>"
IMG = "<img src=x onerror=\"alert(2);window.__pwned=2\">"
ATTR = "\" onmouseover=\"alert(3)\" onfocus=\"window.__pwned=3\" x=\""
SINGLE = "' onmouseover='alert(4)' x='"
TEMPLATE = "T{{ 7*7 }}T {% raw %}R{% endraw %} {{ config }}"
SVG = "<svg onload=alert(5)><a href=\"javascript:alert(6)\">svg</a></svg>"
HOSTILE = " ".join((SCRIPT, IMG, ATTR, SINGLE, TEMPLATE, SVG))
MARKDOWN = f"""
{HOSTILE}

[click](javascript:alert(7)) [upper](JAVASCRIPT:alert(8)) [spaced]( javascript:alert(9))
[tabbed](java\tscript:alert(10)) [entity](&#106;avascript:alert(11))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=) [vb](vbscript:msgbox(13))
![img](x" onerror="alert(14)) ![remote](https://example.invalid/x.png)
<a href="javascript:alert(15)">raw link</a> <javascript:alert(16)> [ref][r]

[r]: javascript:alert(17)

<script>alert(18)</script>
<iframe src="javascript:alert(19)"></iframe>
"""


def q(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return json.dumps(text)


FILES = {
    "jssreport.yml": f"title: {q('Report ' + HOSTILE)}\n",
    "content/profile.yml": f"name: {q('Name ' + HOSTILE)}\nas_of: 2020-07-01\n"
                           "snapshots:\n  - {date: 2020-06-01, jss: 80, would_recommend: 50}\n",
    "content/contracts/hostile.yml": textwrap.dedent(f"""\
        contracts:
          - id: first
            client: {q('Client ' + HOSTILE)}
            title: {q('Title ' + HOSTILE)}
            type: fixed
            start: 2019-11-04
            end: 2019-12-02
            payments: [{{date: 2019-12-02, amount: 500}}]
            feedback: {{date: 2019-12-03, stars: 4.2, comment: {q('Comment ' + HOSTILE)}}}
            notes: {q(MARKDOWN)}
            source: {q('Source ' + HOSTILE)}
          - id: second
            client: {q('Other ' + HOSTILE)}
            title: {q('Second ' + HOSTILE)}
            type: hourly
            start: 2020-01-06
            end: 2020-02-03
            payments: [{{date: 2020-02-03, amount: 1500}}]
            feedback: {{date: 2020-02-04, stars: 5}}
          - id: third
            client: Third client
            title: {q('Open ' + HOSTILE)}
            type: fixed
            start: 2020-02-03
            payments: [{{date: 2020-02-10, amount: 100}}]
            last_activity: 2020-02-11
            notes: {q(MARKDOWN)}
          - id: fourth
            client: Fourth client
            title: Fourth
            type: fixed
            start: 2020-03-02
            end: 2020-03-30
            payments: [{{date: 2020-03-30, amount: 300}}]
            feedback: {{date: 2020-03-31, stars: 5}}
        """),
    "content/scenarios/hostile.yml": textwrap.dedent(f"""\
        name: {q('Scenario ' + HOSTILE)}
        actions:
          - {{close: third, on: 2020-07-15, feedback: {{stars: 5, comment: {q(HOSTILE)}}}}}
          - add:
              id: added
              client: {q('Added ' + HOSTILE)}
              title: {q('Added ' + HOSTILE)}
              type: fixed
              start: 2020-08-01
              end: 2020-09-01
              payments: [{{date: 2020-09-01, amount: 900}}]
              feedback: {{stars: 5}}
        """),
    "content/pages/notes.md": f"---\ntitle: {q('Page ' + HOSTILE)}\n---\n{MARKDOWN}",
}

# What is wrong with a page, from inside it.
INSPECT = """() => {
  const problems = [];
  if (window.__pwned !== undefined) problems.push("a planted script ran: " + window.__pwned);
  for (const e of document.querySelectorAll("*")) {
    for (const a of e.attributes) {
      const value = a.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (a.name.startsWith("on")) problems.push(`${e.tagName} has ${a.name}`);
      if (/^(javascript|vbscript|data):/.test(value) && /href|src|action|formaction/.test(a.name))
        problems.push(`${e.tagName} ${a.name}=${a.value}`);
    }
  }
  for (const tag of ["iframe", "object", "embed", "form", "img[src='x']", "svg[onload]"]) {
    if (document.querySelector("main " + tag)) problems.push("planted element " + tag);
  }
  for (const s of document.querySelectorAll("script")) {
    const src = s.getAttribute("src");
    const text = s.textContent.trim();
    const ours = src ? /^(\\.\\.\\/)*assets\\/(plotly\\.min|report)\\.js$/.test(src)
      : ["window.PLOTLYENV", "try{var t=localStorage", "/**", "/* jssreport"]
        .some(start => text.startsWith(start));  // the last two: inlined in single.html
    if (!ours) problems.push("foreign script: " + (src || text.slice(0, 60)));
  }
  const body = document.body.innerText;
  if (body.includes("T49T")) problems.push("a template expression was evaluated");
  return {problems, literal: body.includes("T{{ 7*7 }}T"), raw: body.includes("{% raw %}")};
}"""


# Everything a planted handler could listen to: hover and focus every element, open every
# <details>, and show each chart's hover label (its text comes from the records).
PROVOKE = """() => {
  for (const e of document.querySelectorAll("body *")) {
    e.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
    if (typeof e.focus === "function") e.focus();
  }
  for (const d of document.querySelectorAll("details")) d.open = true;
  for (const div of document.querySelectorAll(".plotly-graph-div")) {
    (div.data || []).forEach((trace, i) => {
      const points = (trace.x || trace.y || []).length;
      if (points) Plotly.Fx.hover(div, [{curveNumber: i, pointNumber: 0}]);
    });
  }
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("security") / "hostile"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    one = CliRunner().invoke(main, ["build", "--project", str(project), "--single-file",
                                    "-o", str(project / "site/single.html")])
    assert one.exit_code == 0, one.output
    return project / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


@pytest.mark.browser
def test_no_dialog_no_script_no_planted_element_on_any_page(site: Path, browser: Any) -> None:
    pages = sorted(p.name for p in site.glob("*.html"))
    assert {"index.html", "contracts.html", "notes.html", "single.html"} <= set(pages)
    dialogs: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        found = {}
        for page in pages:
            tab.goto((site / page).as_uri())
            tab.wait_for_function("() => [...document.querySelectorAll('.plotly-graph-div')]"
                                  ".every(e => e.querySelector('.main-svg'))", timeout=15_000)
            tab.evaluate(PROVOKE)
            found[page] = tab.evaluate(INSPECT)
    finally:
        context.close()
    assert dialogs == []
    assert {page: f["problems"] for page, f in found.items() if f["problems"]} == {}
    shows_titles = [page for page in ("index.html", "contracts.html", "single.html")]
    assert all(found[page]["literal"] and found[page]["raw"] for page in shows_titles)


OUR_SCRIPTS = ('<script src="assets/plotly.min.js">', '<script src="assets/report.js">',
               "<script>try{var t=localStorage", "<script>window.PLOTLYENV",
               "<script>/**", "<script>/* jssreport")  # the last two: inlined in single.html


def test_every_script_element_in_the_source_is_ours(site: Path) -> None:
    for page in sorted(site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        starts = ["<script" + part[:40] for part in html.split("<script")[1:]]
        assert [s for s in starts if not s.startswith(OUR_SCRIPTS)] == [], page.name
        for chart in html.split("<script>window.PLOTLYENV")[1:]:
            body = chart.split("</script>", 1)[0]  # chart data: JSON with <, > and & escaped
            assert "<" not in body and ">" not in body and "&" not in body, page.name
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    assert report["contracts"][0]["client"] == "Client " + HOSTILE  # data is kept, as data


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "&#106;avascript:alert(1)", "&#x6A;avascript:x", "java&#x09;script:x", "&#0000106avascript:x",
    "data:text/html,<script>alert(1)</script>", "vbscript:x",
])
def test_markdown_links_that_would_run_script_lose_their_target(link: str) -> None:
    from jssreport.output.render import render_markdown

    html = str(render_markdown(f"[a]({link}) ![b]({link})"))
    assert "<a>a</a>" in html and "<img" not in html, html
