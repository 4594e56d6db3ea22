"""Recommendations: actions, reasons, and effects that the model reproduces."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from jssreport.advice.actions import ACTIONS, Recommendation, recommend
from jssreport.advice.sim import ended, good_feedback, known_on, poor_feedback
from jssreport.input.records import load_records
from jssreport.model.types import Contract
from jssreport.model.windows import estimate
from jssreport.output.reportjson import recommendations_json

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECTS = [FIXTURES / "examples" / n for n in ("seed-82", "seed-explain", "one-bad-77",
                                                "partial-80", "unresponsive-75")]
PROJECTS.append(FIXTURES / "advice" / "mixed-2022")


def load(path: Path) -> tuple[tuple[Contract, ...], date]:
    records = load_records(path)
    assert records.profile.as_of is not None
    return records.contracts, records.profile.as_of


def by_id(recs: tuple[Recommendation, ...]) -> dict[str, Recommendation]:
    return {r.contract: r for r in recs}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_effect_is_what_the_model_gives(project: Path) -> None:
    contracts, on = load(project)
    known = {c.id: c for c in known_on(contracts, on)}
    for rec in recommend(contracts, on):
        assert rec.action in ACTIONS
        c = known[rec.contract]
        day = rec.shows_on
        assert day is not None
        base = estimate(list(known.values()), day).jss

        def jss_with(new: Contract, c: Contract = c, day: date = day) -> int | None:
            jss: int | None = estimate([new if k == c.id else v for k, v in known.items()],
                                       day).jss
            return jss

        if rec.action == "ask_feedback":
            poor = jss_with(replace(c, feedback=poor_feedback(on)))
            good = jss_with(replace(c, feedback=good_feedback(on)))
            assert base is not None and poor is not None and good is not None
            assert rec.effect == (poor - base, good - base)
            continue
        poor = jss_with(ended(c, on, poor_feedback(on)))
        good = jss_with(ended(c, on, good_feedback(on)))
        assert base is not None and poor is not None and good is not None
        assert rec.close_effect == (poor - base, good - base)
        if rec.action in ("keep", "wait"):
            assert rec.effect == (0, 0)
        else:
            assert rec.effect == rec.close_effect


def test_mid_2020_never_claims_that_ending_dormant_contracts_raises_the_score() -> None:
    for name in ("seed-82", "seed-explain"):
        contracts, on = load(FIXTURES / "examples" / name)
        recs = by_id(recommend(contracts, on))
        assert {r.action for r in recs.values()} <= {"keep", "wait"}
        assert recs["grove-web"].action == recs["nimbus-retainer"].action == "keep"
        assert "long-term relationship success" in recs["nimbus-retainer"].why
        for cid in ("haven-illustrations", "iris-logo", "juniper-flyer", "kestrel-ads"):
            rec = recs[cid]
            assert (rec.action, rec.status) == ("wait", "dormant")
            assert "raise" not in rec.why and "if they rate well" not in rec.why
            assert "only risks poor feedback" in rec.why


def test_old_rules_say_when_an_idle_contract_starts_to_count() -> None:
    contracts, on = load(FIXTURES / "examples" / "seed-82")
    recs = by_id(recommend(contracts, on))
    haven = recs["haven-illustrations"]
    assert str(haven.counts_from) == "2020-08-08"  # 180 days after the payment of 2020-02-10
    assert ("Under the upwork-2020-03 rules an open contract counts after 180 days without "
            "payment, as a no-feedback outcome; this one will from 2020-08-08") in haven.why
    assert "until 2020-11-08, when open contracts stop counting" in haven.why
    orchid = recs["orchid-tshirt"]  # 180 days after its start falls after 2020-11-08
    assert orchid.counts_from is None
    assert "but the 2020-11-08 rules come first" in orchid.why


def test_mixed_project_actions_and_order() -> None:
    contracts, on = load(FIXTURES / "advice" / "mixed-2022")
    recs = recommend(contracts, on)
    assert [(r.action, r.contract) for r in recs] == [
        ("ask_feedback", "fresh-copy"),
        ("ask_to_close", "h-new"),
        ("close", "q-new"),
        ("wait", "ghost"),
        ("wait", "quiet-fix"),
        ("keep", "hourly-now"),
    ]
    first = recs[0]
    assert first.effect == (-8, 2)
    assert str(first.shows_on) == "2022-06-17"  # the update after the feedback window closes
    assert first.why.startswith("Ended on 2022-05-25; the client can leave feedback until "
                                "2022-06-08. Since 2020-11-08 a contract that ends without "
                                "feedback does not count.")
    ask = recs[1]
    assert (ask.good_chance, ask.effect, ask.expected) == (0.9, (-8, 2), 1.0)
    assert "this client rated you well before" in ask.why
    assert "end it yourself" in recs[2].why  # silent for 142 days
    assert "Nothing was paid" in recs[3].why


def test_json_has_the_spec_keys_first() -> None:
    contracts, on = load(FIXTURES / "advice" / "mixed-2022")
    rows = recommendations_json(recommend(contracts, on))
    assert list(rows[0])[:4] == ["action", "contract", "effect", "why"]
    assert rows[0]["effect"] == [-8, 2]
    assert rows[0]["shows_on"] == "2022-06-17"
