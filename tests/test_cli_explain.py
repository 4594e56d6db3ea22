"""``jssreport explain`` and the advice in ``jssreport score`` (text and --json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from jssreport.advice import ACTIONS
from jssreport.cli import main

MakeProject = Callable[..., Path]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "examples" / "seed-explain"
NO_SNAPSHOT = "Error: content/profile.yml: no snapshot with a jss on or before {day}, so there " \
    "is no observed score to explain; add what Upwork showed under snapshots:, e.g. " \
    "'- {{date: {day}, jss: 82, would_recommend: 60}}'\n"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_explain_json_has_the_issue_shape() -> None:
    result = run("explain", "--json", "--project", SEED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data)[:4] == ["observed", "rules", "estimate_public_only", "detractors"]
    assert {"observed", "estimate_public_only", "detractors", "summary"} <= set(data)
    assert data["observed"] == {"date": "2020-06-28", "jss": 82, "would_recommend": 60}
    assert data["estimate_public_only"] == 94
    detractors = data["detractors"]
    assert detractors["most_likely_count"] == 2
    contracts = detractors["contracts"]
    assert [c["id"] for c in contracts][:2] == ["elm-cards", "dune-packaging"]
    assert sorted(c["id"] for c in contracts) == [  # every rated contract
        "acme-logo", "birch-brochure", "cobalt-social", "dune-packaging", "elm-cards"]
    assert all(0.0 <= c["probability"] <= 1.0 for c in contracts)
    probabilities = [c["probability"] for c in contracts]
    assert probabilities == sorted(probabilities, reverse=True)
    assert "dune-packaging" in data["summary"] and "Open contracts are not the cause" in \
        data["summary"]


def test_explain_text_reads_like_the_json() -> None:
    result = run("explain", "--project", SEED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Observed on 2020-06-28: JSS 82%, would recommend 60% (rules upwork-2020-03)",
        "Estimate from public feedback alone: 94%",
        "Best fit with hidden private ratings: 82%",
        "Most likely number of rated clients who would not recommend you: 2",
    ]
    assert lines[5].split()[:2] == ["elm-cards", "100%"]
    assert any(line.startswith("Method: every one of the 243 combinations") for line in lines)
    assert result.stdout.isascii()


def test_explain_without_a_snapshot_is_a_clear_error(make_project: MakeProject) -> None:
    project = make_project({
        "content/profile.yml": "name: Someone\nas_of: 2020-07-01\n",
        "content/contracts/a.yml": """
            contracts:
              - {id: one, client: A, title: Job, type: fixed, start: 2020-01-06,
                 end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
                 feedback: {date: 2020-02-02, stars: 5}}
        """,
    })
    result = run("explain", "--project", project)
    assert result.exit_code == 1
    assert result.stderr == NO_SNAPSHOT.format(day="2020-07-01")
    assert result.stdout == ""


def test_explain_uses_only_snapshots_up_to_the_report_date() -> None:
    result = run("explain", "--as-of", "2020-06-27", "--project", SEED)
    assert result.exit_code == 1
    assert result.stderr == NO_SNAPSHOT.format(day="2020-06-27")


def test_score_json_recommendations_have_the_spec_keys() -> None:
    result = run("score", "--json", "--project", SEED)
    assert result.exit_code == 0, result.output
    recs = json.loads(result.stdout)["recommendations"]
    assert recs, "the seed project has open contracts"
    for rec in recs:
        assert list(rec)[:4] == ["action", "contract", "effect", "why"]
        assert rec["action"] in ACTIONS
        assert isinstance(rec["effect"], list) and len(rec["effect"]) == 2
        assert all(isinstance(v, int) for v in rec["effect"])
        assert rec["effect"][0] <= rec["effect"][1]
        assert rec["why"]
    # mid-2020 rules: nothing claims that ending a dormant contract raises the score
    assert not [r for r in recs if r["status"] == "dormant" and r["action"] in
                ("close", "ask_to_close") and r["effect"][0] > 0]


def test_score_text_prints_the_top_actions() -> None:
    result = run("score", "--project", SEED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Top actions:")
    assert lines[start + 1] == ("  1. Wait (leave it open) - haven-illustrations (Cover "
                                "illustrations, Haven Books): 0 now; -2")
    assert lines[start + 2] == ("     from 2020-08-08 if nothing changes; closing it now: -12 "
                                "to +1 points if the client rates")
    assert sum(1 for line in lines if line[:5] in ("  1. ", "  2. ", "  3. ")) == 3
