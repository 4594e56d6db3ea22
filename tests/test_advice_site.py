"""The advice in the built site: report.json and the pages show the advice API's numbers,
the pages have their sections and charts, message drafts are overridable and escaped, and a
scenario that cannot apply is an error with file and line."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jssreport.advice import (
    explain,
    paths_to,
    project_baseline,
    project_scenario,
    recommend,
)
from jssreport.advice.dormancy import Dormancy
from jssreport.advice.sim import ended, good_feedback, known_on, poor_feedback
from jssreport.advice.words import effect_words
from jssreport.cli import main
from jssreport.input.config import load_settings
from jssreport.input.records import Records, load_records
from jssreport.model.windows import estimate
from jssreport.output.reportjson import explain_json, recommendations_json
from jssreport.pipeline import build_site
from jssreport.report.advice import assessment_of, explanation_of

MakeProject = Callable[..., Path]
ROOT = Path(__file__).resolve().parent.parent
DEMO_2020 = ROOT / "tests" / "fixtures" / "examples" / "demo-2020"  # the demo as in 2020
ON = date(2020, 7, 1)  # the demo's as_of
THRESHOLDS = Dormancy()  # the demo's jssreport.yml: the default thresholds
ADVICE_PAGES = ("recommendations.html", "explain.html", "scenarios.html")

PROFILE = """
    name: Test Person
    as_of: 2020-07-01
"""
CONTRACTS = """
    contracts:
      - {id: one, client: "CLIENT", title: First job, type: fixed, start: 2020-01-06,
         end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
         feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Second client, title: Second job, type: fixed, start: 2020-02-03,
         end: 2020-03-01, payments: [{date: 2020-03-01, amount: 1200}],
         feedback: {date: 2020-03-02, stars: 4.8}}
      - {id: quiet, client: "CLIENT", title: "TITLE", type: fixed, start: 2020-02-10,
         payments: [{date: 2020-02-24, amount: 300}]}
      - {id: later, client: Later client, title: Later job, type: fixed, start: 2020-08-03}
"""


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Records, dict[str, Any]]:
    """The 2020 demo project, built once: (site, records as the advice reads them: with the
    hidden ratings of the calibrated assessment, report.json)."""
    project = tmp_path_factory.mktemp("demo")
    shutil.copytree(DEMO_2020 / "content", project / "content")
    shutil.copy(ROOT / "jssreport.yml", project / "jssreport.yml")
    build_site(project, load_settings(project))
    site = project / "site"
    data = json.loads((site / "report.json").read_text(encoding="utf-8"))
    records = load_records(project)
    assessment = assessment_of(records, ON, "auto", explanation_of(records, ON, "auto"))
    later = tuple(c for c in records.contracts if c.start > ON)
    return site, replace(records, contracts=assessment.contracts + later), data


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def row(html: str, contract: str) -> str:
    """The table row of one recommendation."""
    match = re.search(rf'<tr id="rec-{re.escape(contract)}">(.*?)</tr>', html, re.S)
    assert match, contract
    return match.group(1)


def test_report_json_recommendations_are_the_advice_apis(demo: tuple[Path, Records, Any]
                                                         ) -> None:
    _, records, data = demo
    recs = recommend(records.contracts, ON, "auto", THRESHOLDS)
    assert data["recommendations"] == recommendations_json(recs)
    assert len(recs) == 10


def test_every_effect_range_is_the_model_re_run(demo: tuple[Path, Records, Any]) -> None:
    """The close effect of each open contract, as report.json shows it, is the model's
    displayed score on the update date with that contract ended (rated poorly / well)
    minus the score without the change."""
    _, records, data = demo
    known = known_on(records.contracts, ON)
    checked = 0
    for rec in data["recommendations"]:
        shows = date.fromisoformat(rec["shows_on"])
        before = estimate(known, shows).jss
        assert before is not None
        results = []
        for feedback in (poor_feedback(ON), good_feedback(ON)):
            changed = [ended(c, ON, feedback) if c.id == rec["contract"] else c for c in known]
            after = estimate(changed, shows).jss
            assert after is not None
            results.append(after - before)
        assert rec["close_effect"] == results, rec["contract"]
        expected = results if rec["action"] in ("close", "ask_to_close") else [0, 0]
        assert rec["effect"] == expected, rec["contract"]
        checked += 1
    assert checked == 10


def test_the_page_shows_the_json_numbers(demo: tuple[Path, Records, Any]) -> None:
    site, _, data = demo
    html = page(site, "recommendations.html")
    for rec in data["recommendations"]:
        cells = row(html, rec["contract"])
        words = effect_words(tuple(rec["effect"]))
        if rec["counts_effect"]:  # nothing done: the change from a later date
            change = f"{rec['counts_effect']:+d}".replace("-", "\u2212")
            words = f"0 now; {change} from {rec['counts_from']} if nothing changes"
        assert words.capitalize() in cells
        if rec["action"] in ("keep", "wait"):
            assert f"Closing it now instead: {effect_words(tuple(rec['close_effect']))}" in cells
    assert html.index('id="rec-haven-illustrations"') < html.index('id="rec-nimbus-retainer"')
    assert "0 now; \u22122 from 2020-08-08 if nothing changes" in row(html, "haven-illustrations")


def test_paths_scenarios_and_explain_are_the_advice_apis(demo: tuple[Path, Records, Any]
                                                         ) -> None:
    _, records, data = demo
    contracts = records.contracts
    paths = paths_to((90, 80), contracts, ON)
    assert [(p["target"], p["jss_now"], p["reached"]) for p in data["paths"]] == \
        [(p.target, p.jss_now, p.reached) for p in paths]
    assert [[s["count"] for s in p["new_jobs"]] for p in data["paths"]] == \
        [[s.count for s in p.by_size] for p in paths]
    base = project_baseline(contracts, ON)
    assert [p["jss"] for p in data["scenarios"]["no_change"]] == [j for _, j, _ in base.points]
    finals = {s.name: project_scenario(contracts, s, ON).final for s in records.scenarios}
    assert {s["name"]: s["final"] for s in data["scenarios"]["scenarios"]} == finals
    assert set(finals) == {"Ask the quiet clients to close",
                           "Close the quiet ones, one rates poorly", "Two new 5-star jobs"}
    raw = load_records(DEMO_2020)  # the records as entered: what explain reads
    assert data["explain"] == explain_json(explain(raw.contracts, raw.profile.snapshots[-1],
                                                   report_on=ON))
    assert data["explain"]["detractors"]["most_likely_count"] == 2
    assert data["observed"] == {"date": "2020-06-28", "jss": 82, "would_recommend": 60}
    assert (data["jss"], data["estimate_public_only"]) == (82, 94)
    assert data["paths"][0]["jss_now"] == data["jss"]  # every path starts from it
    assert len(data["top_rated"]["weeks"]) == 16 and "checks" in data["top_rated"]
    assert data["closing_plan"] == [] and data["rolloff"]["events"]


def test_pages_have_their_sections_and_charts(demo: tuple[Path, Records, Any]) -> None:
    site, _, _ = demo
    recs = page(site, "recommendations.html")
    for heading in ("Ranked actions", "Staggered closing plan", "Roll-off calendar",
                    "Path to 90% and 80%", "Top Rated and Top Rated Plus"):
        assert f">{heading}</h" in recs, heading
    assert recs.count('<details class="draft">') == 10
    assert 'id="chart-rolloff"' in recs and 'id="chart-toprated"' in recs
    explain_page = page(site, "explain.html")
    assert ">What explains the gap</h2>" in explain_page and 'id="chart-detractors"' in \
        explain_page
    assert "Packaging design" in explain_page and ">82%</p>" in explain_page
    scenarios = page(site, "scenarios.html")
    assert 'id="chart-projections"' in scenarios and "Two new 5-star jobs" in scenarios
    assert "content/scenarios/close-quiet.yml" in scenarios
    index = page(site, "index.html")
    assert ">Top actions</h2>" in index and 'href="recommendations.html"' in index
    for name in ("index.html", "contracts.html", "model.html", *ADVICE_PAGES):
        nav = page(site, name).split("</nav>")[0]
        assert all(f'href="{p}"' in nav for p in ADVICE_PAGES), name
    for name in ADVICE_PAGES:
        html = page(site, name)
        for chart_id in re.findall(r'<div id="(chart-[a-z]+)" class="plotly-graph-div"', html):
            assert f'id="{chart_id}-title"' in html and "<figcaption>" in html
            assert "Data of this chart" in html


def test_message_drafts_are_overridable_and_escaped(make_project: MakeProject) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }}"
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": CONTRACTS.replace("CLIENT", hostile.replace('"', ""))
        .replace("TITLE", "Logo & <b>icons</b>"),
        "templates/messages/wait.txt": "Dear {{ client }},\nabout {{ title }} ({{ idle_days }} "
        "days).\n-- {{ freelancer }}\n",
    })
    build_site(project, load_settings(project))
    html = page(project / "site", "recommendations.html")
    draft = re.search(r'<pre class="message">(.*?)</pre>', row(html, "quiet"), re.S)
    assert draft is not None
    assert draft.group(1) == ("Dear &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }},\n"
                              "about Logo &amp; &lt;b&gt;icons&lt;/b&gt; (128 days).\n"
                              "-- Test Person\n")
    assert "<script>alert" not in html and "49" not in draft.group(1)


def test_a_broken_message_template_is_an_error_with_its_line(make_project: MakeProject
                                                             ) -> None:
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": CONTRACTS.replace("CLIENT", "A").replace("TITLE", "T"),
        "templates/messages/wait.txt": "Hi {{ client }},\n{% if %}\n",
    })
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert result.stderr == ("Error: templates/messages/wait.txt:2: template error: Expected "
                             "an expression, got 'end of statement block'\n")


def test_scenario_with_an_unknown_contract_is_an_error_with_file_and_line(
        make_project: MakeProject) -> None:
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": CONTRACTS.replace("CLIENT", "A").replace("TITLE", "T"),
        "content/scenarios/typo.yml": """
            name: Close the typo
            actions:
              - {close: quiet, on: 2020-07-10}
              - {close: quite, on: 2020-07-10, feedback: {stars: 5}}
        """,
    })
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert result.stderr == ("Error: content/scenarios/typo.yml:4: scenario 'Close the typo': "
                             "actions[1].close: unknown contract 'quite' (did you mean "
                             "'quiet'?)\n")
    assert not (project / "site").exists()


def test_scenario_closing_a_contract_not_started_on_the_report_date(make_project: MakeProject
                                                                   ) -> None:
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": CONTRACTS.replace("CLIENT", "A").replace("TITLE", "T"),
        "content/scenarios/later.yml": """
            name: Close it early
            actions:
              - {close: quiet, on: 2020-07-10}
              - {close: later, on: 2020-09-01, feedback: {stars: 5}}
        """,
    })
    assert run("check", "--project", project).exit_code == 0  # valid records
    for command in ("build", "score"):
        result = run(command, "--project", project)
        assert result.exit_code == 1, command
        assert result.stderr == (
            "Error: content/scenarios/later.yml:4: scenario 'Close it early': actions[1].close: "
            "contract 'later' has not started on the report date 2020-07-01 (it starts on "
            "2020-08-03)\n"), command
    assert run("build", "--as-of", "2020-08-10", "--project", project).exit_code == 0


def test_without_snapshot_or_scenarios_the_pages_say_how_to_add_them(
        make_project: MakeProject) -> None:
    project = make_project({
        "content/profile.yml": PROFILE,
        "content/contracts/a.yml": CONTRACTS.replace("CLIENT", "A").replace("TITLE", "T"),
    })
    build_site(project, load_settings(project))
    site = project / "site"
    explain_page = page(site, "explain.html")
    assert ">Add what Upwork showed</h2>" in explain_page
    assert "- {date: 2020-07-01, jss: 82, would_recommend: 60}" in explain_page
    assert "plotly" not in explain_page  # no chart, no plotly.js
    scenarios = page(site, "scenarios.html")
    assert ">Write a scenario</h2>" in scenarios
    assert "  - {close: quiet, on: 2020-07-01, feedback: {stars: 5}}" in scenarios
    data = json.loads((site / "report.json").read_text(encoding="utf-8"))
    assert data["explain"] is None and data["scenarios"]["scenarios"] == []


def test_every_action_has_a_short_polite_builtin_draft() -> None:
    from jssreport.advice import ACTIONS, Recommendation
    from jssreport.model.types import Contract, Payment
    from jssreport.output.messages import message_drafts

    job = Contract(id="job", client="Ada & Co", title="Site <redesign>", type="fixed",
                   start=date(2020, 5, 1), end=date(2020, 6, 25),
                   payments=(Payment(date(2020, 6, 25), 500.0),))
    for action in ACTIONS:
        rec = Recommendation(action, "job", (0, 0), None, "why", "ended", "upwork-2020-03",
                      since=date(2020, 6, 25))
        draft = message_drafts([rec], {"job": job}, "Bianca B.", ON)["job"]
        lines = draft.splitlines()
        assert lines[0] == "Hi Ada & Co,", action
        assert '"Site <redesign>"' in draft and lines[-1] == "Bianca B.", action
        assert draft.endswith("\n") and len(draft) < 600 and "{" not in draft, action
    asked = Recommendation("ask_feedback", "job", (0, 0), None, "", "ended", "x")
    feedback = message_drafts([asked], {"job": job}, "B", ON)["job"]
    assert "until 2020-07-09" in feedback
