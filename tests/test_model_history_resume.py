"""A history resumed from an earlier sweep's state equals the history swept from the start."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from test_model_timeline import random_contracts, varied_contracts

from jssreport.model.history import resume_history, sweep_history
from jssreport.model.types import Contract, Feedback, Payment

END = date(2025, 3, 1)
SNAPSHOTS = (date(2021, 7, 3), date(2024, 11, 20))


def edited(contracts: list[Contract], seed: int) -> list[Contract]:
    """The records after one edit a freelancer makes: a payment, a rating, a new contract,
    one taken out, an end date moved."""
    rng = random.Random(seed)
    out = list(contracts)
    i = rng.randrange(len(out))
    c = out[i]
    kind = seed % 5
    if kind == 0:
        day = max(c.start, (c.payments[-1].date if c.payments else c.start)) + timedelta(days=9)
        out[i] = replace(c, payments=(*c.payments, Payment(day, 123.45)))
    elif kind == 1:
        when = c.end or c.start + timedelta(days=40)
        out[i] = replace(c, end=when, feedback=Feedback(date=when, stars=2.0))
    elif kind == 2:
        start = c.start + timedelta(days=rng.randrange(1, 300))
        out.append(Contract(id="added", client="New client", title="T", type="fixed",
                            start=start, end=start + timedelta(days=5),
                            payments=(Payment(start + timedelta(days=5), 600.0),),
                            feedback=Feedback(date=start + timedelta(days=6), stars=5.0)))
    elif kind == 3:
        del out[i]
    else:
        out[i] = replace(c, end=(c.end or c.start) + timedelta(days=rng.randrange(1, 200)))
    return out


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("rule_id", ["auto", "upwork-2020-03"])
def test_resumed_history_equals_a_full_sweep(seed: int, rule_id: str) -> None:
    before = (random_contracts if seed % 2 else varied_contracts)(seed)
    _, _, state = resume_history(before, END, rule_id, also_on=SNAPSHOTS)
    after = edited(before, seed)
    points, found, _ = resume_history(after, END, rule_id, also_on=SNAPSHOTS, previous=state)
    assert (points, found) == sweep_history(after, END, rule_id, also_on=SNAPSHOTS)


@pytest.mark.parametrize("seed", range(6))
def test_a_later_or_earlier_end_date_resumes_too(seed: int) -> None:
    contracts = random_contracts(seed)
    _, _, state = resume_history(contracts, END, "auto", also_on=SNAPSHOTS)
    for end in (END + timedelta(days=1), END + timedelta(days=200), END - timedelta(days=90)):
        started = [c for c in contracts if c.start <= end]
        resumed = resume_history(started, end, "auto", also_on=SNAPSHOTS, previous=state)
        assert resumed[:2] == sweep_history(started, end, "auto", also_on=SNAPSHOTS)


def test_unchanged_records_reuse_every_point_and_an_edit_resweeps_from_its_date() -> None:
    contracts = random_contracts(3)
    points, _, state = resume_history(contracts, END, "auto")
    assert state is not None
    again = resume_history(contracts, END, "auto", previous=state)
    assert again[0] is points  # nothing swept
    # A title changes no outcome: the history is kept whole.
    late = max(contracts, key=lambda c: c.start)
    renamed = [replace(c, title="Renamed") if c is late else c for c in contracts]
    assert resume_history(renamed, END, "auto", previous=state)[0] is points
    # A rating does: the points before the contract started are kept, the rest swept again.
    rated = max((c for c in contracts if c.end is not None and c.end < END),
                key=lambda c: c.start)
    changed = [replace(c, feedback=Feedback(date=c.end, stars=1.0)) if c is rated else c
               for c in contracts]
    resumed, _, new_state = resume_history(changed, END, "auto", previous=state)
    assert new_state is not None and new_state.marks[rated.id] != state.marks[rated.id]
    assert resumed == sweep_history(changed, END, "auto")[0] and resumed != points
    kept = [p for p in resumed if p.date < rated.start]
    assert kept and all(a is b for a, b in zip(kept, points, strict=False))


@pytest.mark.parametrize("seed", range(12))
def test_edits_that_keep_every_outcome_keep_the_history(seed: int) -> None:
    """Amounts that keep each weight, titles, notes: the signatures stay, the points stay,
    and they equal a full sweep."""
    before = (random_contracts if seed % 2 else varied_contracts)(seed)
    _, _, state = resume_history(before, END, "auto", also_on=SNAPSHOTS)
    rng = random.Random(seed)
    after = [replace(c, title=c.title + "!", notes="n",
                     payments=tuple(Payment(p.date, p.amount + rng.choice([0.0, 0.01]))
                                    for p in c.payments))
             for c in before]
    points, found, _ = resume_history(after, END, "auto", also_on=SNAPSHOTS, previous=state)
    assert (points, found) == sweep_history(after, END, "auto", also_on=SNAPSHOTS)


def test_another_rule_setting_or_snapshot_list_starts_over() -> None:
    contracts = random_contracts(4)
    _, _, state = resume_history(contracts, END, "auto")
    for rule_id, also_on in (("upwork-2015", ()), ("auto", SNAPSHOTS)):
        resumed = resume_history(contracts, END, rule_id, also_on=also_on, previous=state)
        assert resumed[:2] == sweep_history(contracts, END, rule_id, also_on=also_on)


@pytest.mark.parametrize("seed", range(6))
def test_contributions_equal_scoring_without_each_contract(seed: int) -> None:
    from jssreport.model.history import contributions
    from jssreport.model.windows import estimate

    contracts = (random_contracts if seed % 2 else varied_contracts)(seed, 60)
    on = date(2024, 6, 1)
    started = [c for c in contracts if c.start <= on]
    base = estimate(started, on, "auto").score
    found = contributions(started, on, "auto")
    for c in started:
        if found[c.id] is None:
            continue
        others = [o for o in started if o is not c]
        without = estimate(others, on, "auto").score
        assert base is not None and without is not None
        assert found[c.id] == round(base - without, 2)
