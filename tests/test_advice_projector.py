"""The advice's shortcuts agree with re-running the model the slow way on random histories:
a forked sweep (``Projector``) with what-ifs against a fresh sweep of the changed records, its
scorers against scorers built from scratch, and the sampler's trial scores against puts."""

from __future__ import annotations

import copy
import math
import random
from datetime import date, timedelta

import pytest
from test_model_timeline import varied_contracts

from jssreport.advice.evaluator import Evaluator, Free
from jssreport.advice.sim import (
    Projector,
    Scorer,
    ended,
    good_feedback,
    known_on,
    new_job,
    poor_feedback,
    relevant,
    scores_on,
)
from jssreport.model.outcomes import judge, outcome_of
from jssreport.model.rules import resolve_rules
from jssreport.model.types import Contract, Feedback

ON = date(2022, 5, 17)


def what_ifs(contracts: tuple[Contract, ...], rng: random.Random) -> dict[str, Contract]:
    """Some open or recent contracts ended now (rated well, poorly or not) or removed."""
    changed: dict[str, Contract] = {}
    for c in rng.sample(contracts, min(6, len(contracts))):
        if c.end is not None and c.end <= ON:
            changed[c.id] = c.evolve(removed=True)
        else:
            fb = rng.choice([good_feedback(ON), poor_feedback(ON), None])
            changed[c.id] = ended(c, ON, fb)
    return changed


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("rule_id", ["auto", "upwork-2015"])
def test_projections_equal_a_fresh_sweep_of_the_changed_records(seed: int, rule_id: str) -> None:
    rng = random.Random(seed)
    contracts = varied_contracts(seed, 40)
    projector = Projector(contracts, ON, rule_id)
    known = known_on(contracts, ON)
    days = sorted({ON + timedelta(days=rng.randrange(0, 800)) for _ in range(40)} | {ON})
    changed = what_ifs(known, rng)
    added = [new_job(f"new-{k}", ON + timedelta(days=14 * k), 500.0) for k in range(1, 6)]
    slow = [changed.get(c.id, c) for c in known] + added
    assert projector.scores(days) == scores_on(known, days, rule_id)
    assert projector.scores(days, changed, added) == scores_on(slow, days, rule_id)
    assert projector.scores(days[::-1]) == scores_on(known, days[::-1], rule_id)  # any order


@pytest.mark.parametrize("seed", range(6))
def test_the_no_change_line_is_kept_for_later_projections(seed: int) -> None:
    rng = random.Random(seed)
    contracts = varied_contracts(seed, 40)
    projector = Projector(contracts, ON)
    for _ in range(6):  # overlapping asks, in any order, some before days already passed
        days = [ON + timedelta(days=rng.randrange(0, 900)) for _ in range(rng.randrange(1, 30))]
        assert projector.scores(days) == scores_on(projector.known, days)


@pytest.mark.parametrize("seed", range(8))
def test_scorers_from_the_sweep_equal_scorers_from_scratch(seed: int) -> None:
    rng = random.Random(seed)
    contracts = varied_contracts(seed, 40)
    projector = Projector(contracts, ON)
    known = projector.known
    for day in (ON, ON + timedelta(days=14), ON + timedelta(days=rng.randrange(15, 700))):
        fast, slow = projector.scorer(day), Scorer(relevant(known, day), day)
        assert (fast.score, fast.jss) == (slow.score, slow.jss)
        for _ in range(10):
            changed = what_ifs(known, rng)
            assert fast.score_with(changed) == slow.score_with(changed)
            one = dict([next(iter(changed.items()))])
            assert fast.jss_with(one) == slow.jss_with(one)
        for c in relevant(known, day):
            assert fast.verdict(c.id) == slow.verdict(c.id)[:4] + (fast.verdict(c.id)[4],)
            assert fast.outcome(c.id) == outcome_of(c, day, resolve_rules("auto", day))


@pytest.mark.parametrize("seed", range(5))
def test_the_samplers_trial_scores_are_two_puts_exactly(seed: int) -> None:
    """A trial score is the score after taking the contract out and putting it back in the
    other state, to the last bit; and trying leaves the sums exactly as they were."""
    rng = random.Random(seed)
    on = ON
    rules = resolve_rules("auto", on)
    contracts = [c for c in varied_contracts(seed, 40) if c.start <= on]
    fixed = [(judge(c, on, rules), c.client) for c in contracts[:20]]
    free = []
    for c in contracts[20:]:
        fb = c.feedback or Feedback(date=on, stars=5.0)
        states = tuple(judge(c.evolve(end=c.end or on, feedback=Feedback(
            date=fb.date, stars=fb.stars or 5.0, recommend=r)), on, rules) for r in (10, 8, 5))
        free.append(Free(states, c.client, (math.log(0.75), math.log(0.1), math.log(0.15)),
                         rng.random() < 0.5))
    fast = Evaluator(fixed, free, on, rules)
    chosen = [rng.randrange(3) for _ in free]
    for i, s in enumerate(chosen):
        fast.put(free, i, s, 1)
    for _ in range(300):
        i, new = rng.randrange(len(free)), rng.randrange(3)
        old = chosen[i]
        before = (list(fast.pos), list(fast.neg))
        trial = fast.score_in(free, i, old, new)
        assert (fast.pos, fast.neg) == before
        slow = copy.deepcopy(fast)
        slow.put(free, i, old, -1)
        slow.put(free, i, new, 1)
        assert trial == slow.score()
        if rng.random() < 0.3:
            fast.put(free, i, old, -1)
            fast.put(free, i, new, 1)
            chosen[i] = new
