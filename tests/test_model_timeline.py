"""The incremental history agrees with scoring every date from scratch."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from jssreport.model.history import compute_history, sweep_history, update_dates
from jssreport.model.outcomes import judge, outcome_of
from jssreport.model.rules import resolve_rules
from jssreport.model.timeline import Sweep, change_dates
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import (
    displayed_jss,
    estimate,
    scores_from_sums,
    window_start,
    window_sums,
)


def random_contracts(seed: int, n: int = 40) -> list[Contract]:
    rng = random.Random(seed)
    base = date(2018, 6, 1)
    out = []
    for i in range(n):
        start = base + timedelta(days=rng.randrange(0, 2400))
        length = rng.choice([10, 30, 90, 200, 500])
        end = start + timedelta(days=length) if rng.random() < 0.75 else None
        stop = end or start + timedelta(days=length)
        pays = []
        day = start + timedelta(days=rng.randrange(0, 20))
        while day <= stop and rng.random() < 0.95:
            pays.append(Payment(day, round(rng.uniform(20, 900), 2)))
            day += timedelta(days=rng.choice([0, 7, 7, 14, 30, 60, 95]))
        feedback = None
        if end is not None and rng.random() < 0.8:
            feedback = Feedback(
                date=end + timedelta(days=rng.randrange(0, 12)),
                stars=rng.choice([5.0, 5.0, 5.0, 4.8, 4.4, 3.9, 2.0, 1.0]),
                recommend=rng.choice([None, None, None, 10, 8, 4]),
            )
        out.append(Contract(
            id=f"c{i}", client=f"Client {rng.randrange(n // 2)}", title="T",
            type=rng.choice(["fixed", "hourly"]), start=start, end=end, payments=tuple(pays),
            feedback=feedback, refunded=0.0, dispute=rng.random() < 0.03,
            client_flagged=rng.random() < 0.03, paused=end is None and rng.random() < 0.1,
        ))
    return out


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("rule_id", ["auto", "upwork-2015", "upwork-2020-03"])
def test_incremental_history_matches_scoring_each_date(seed: int, rule_id: str) -> None:
    contracts = random_contracts(seed)
    end = date(2025, 3, 1)
    history = compute_history(contracts, end, rule_id)
    dates = update_dates(min(c.start for c in contracts), end, rule_id)
    assert [p.date for p in history] == list(dates)
    for point in history:
        est = estimate(contracts, point.date, rule_id)
        assert (point.date, point.rules, point.windows, point.jss) == (
            point.date, est.rules.id, est.windows, est.jss)


def varied_contracts(seed: int, n: int = 30) -> list[Contract]:
    """More kinds than ``random_contracts``: earned totals, refunds, $0 payments, removed and
    flagged, private-only ratings, feedback without a date or before the end, late payments."""
    rng = random.Random(seed)
    base = date(2018, 6, 1)
    out = []
    for i in range(n):
        start = base + timedelta(days=rng.randrange(0, 2400))
        length = rng.choice([0, 10, 30, 90, 200, 500])
        end = start + timedelta(days=length) if rng.random() < 0.75 else None
        stop = (end or start + timedelta(days=length)) + timedelta(days=rng.choice([0, 0, 20]))
        pays = []
        day = start + timedelta(days=rng.randrange(0, 20))
        while day <= stop and rng.random() < 0.95:
            amount = rng.choice([0.0, rng.uniform(5, 900), rng.uniform(500, 3000)])
            pays.append(Payment(day, round(amount, 2)))
            day += timedelta(days=rng.choice([0, 7, 14, 30, 60, 89, 90, 91, 95, 181]))
        earned = None
        if rng.random() < 0.1:
            pays, earned = [], round(rng.uniform(0, 3000), 2)
        feedback = None
        if rng.random() < 0.8:
            when = rng.choice([None, (end or start) + timedelta(days=rng.randrange(-3, 20))])
            feedback = Feedback(date=when, stars=rng.choice([None, 5.0, 5.0, 4.8, 4.0, 3.9, 2.0]),
                                recommend=rng.choice([None, None, 10, 8, 4]))
        out.append(Contract(
            id=f"c{i}", client=f"Client {rng.randrange(n // 2)}", title="T",
            type=rng.choice(["fixed", "hourly"]), start=start, end=end, payments=tuple(pays),
            earned=earned, feedback=feedback, refunded=rng.choice([0.0, 0.0, 50.0, 5000.0]),
            dispute=rng.random() < 0.03, client_flagged=rng.random() < 0.03,
            removed=rng.random() < 0.03, paused=end is None and rng.random() < 0.1,
        ))
    return out


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("rule_id", ["auto", "upwork-2015"])
def test_sweep_keeps_every_verdict_current_day_by_day(seed: int, rule_id: str) -> None:
    """Stronger than the update dates: every other day, each contract that can still count has
    the verdict judging it from scratch gives (so no change date is missing), and the window
    scores are those of scoring from scratch."""
    contracts = varied_contracts(seed)
    sweep = Sweep(contracts)
    day = min(c.start for c in contracts)
    while day <= date(2025, 3, 1):
        rules = resolve_rules(rule_id, day)
        scores = sweep.advance(day, rules)
        outcomes = [outcome_of(c, day, rules) for c in contracts]
        assert scores == scores_from_sums(window_sums(outcomes, day), rules), day
        oldest = window_start(day, "24m")
        for i, c in enumerate(contracts):
            if c.start <= day and (c.end is None or c.end >= oldest):
                verdict, fresh = sweep.verdict(i), judge(c, day, rules)
                if verdict is None:  # not judged yet: it cannot count yet
                    assert fresh[3] is None or fresh[2] <= 0, (day, c)
                else:
                    assert verdict[:4] == fresh[:4], (day, c)
        day += timedelta(days=2)


@pytest.mark.parametrize("seed", range(6))
def test_a_copy_goes_on_with_changes_as_a_fresh_sweep_would(seed: int) -> None:
    contracts = varied_contracts(seed, 40)
    rng = random.Random(seed)
    fork_on = date(2022, 5, 17)
    days = [fork_on + timedelta(days=k) for k in range(0, 900, 5)]
    sweep = Sweep(contracts)
    for day in update_dates(min(c.start for c in contracts), fork_on):
        sweep.advance(day, resolve_rules("auto", day))
    changed = list(contracts)
    copy = sweep.copy()
    for i in rng.sample(range(len(contracts)), 8):  # ended now, rated at random, or removed
        c = contracts[i]
        if rng.random() < 0.3:
            new = c.evolve(removed=True)
        else:
            new = c.evolve(end=fork_on - timedelta(days=rng.randrange(0, 30)),
                           feedback=Feedback(date=fork_on, stars=rng.choice([2.0, 4.5, 5.0])))
        changed[i] = new
        copy.put(new, i)
    for k in range(3):  # new jobs, some starting later
        end = fork_on + timedelta(days=30 * k + 10)
        new = Contract(id=f"new-{k}", client=f"New {k}", title="T", type="fixed",
                       start=end - timedelta(days=20), end=end,
                       payments=(Payment(end, 400.0),), feedback=Feedback(date=end, stars=5.0))
        changed.append(new)
        copy.put(new)
    for fresh_list, forked in ((changed, copy), (contracts, sweep)):
        fresh = Sweep(fresh_list)
        for day in days:
            rules = resolve_rules("auto", day)
            assert forked.advance(day, rules) == fresh.advance(day, rules), day


def test_evolve_is_replace_without_rebuilding_the_payment_tables() -> None:
    for c in varied_contracts(7, 60):
        for changes in ({"end": c.start + timedelta(days=30)}, {"feedback": Feedback(stars=2.0)},
                        {"removed": True}, {"end": c.start, "feedback": None},
                        {"payments": ()}):
            fast, slow = c.evolve(**changes), replace(c, **changes)
            assert fast == slow
            assert (fast.effective_payments, fast.earned_on(date(2030, 1, 1)),
                    fast.paid_periods(date(2030, 1, 1)), change_dates(fast)) == \
                (slow.effective_payments, slow.earned_on(date(2030, 1, 1)),
                 slow.paid_periods(date(2030, 1, 1)), change_dates(slow))
    with pytest.raises(TypeError):
        varied_contracts(1, 2)[0].evolve(colour="red")


def test_paid_by_is_replace_with_the_earlier_payments() -> None:
    later = date(2030, 1, 1)
    for c in varied_contracts(8, 60):
        for on in (c.start, c.start + timedelta(days=45), c.start + timedelta(days=400)):
            fast = c.paid_by(on, end=None, feedback=None)
            slow = replace(c, payments=tuple(p for p in c.effective_payments if p.date <= on),
                           earned=None, last_payment=None, end=None, feedback=None)
            assert fast == slow
            assert (fast.effective_payments, fast.earned_on(later), fast.paid_periods(later),
                    fast.max_payment_gap(later), fast.last_paid(later), change_dates(fast)) == \
                (slow.effective_payments, slow.earned_on(later), slow.paid_periods(later),
                 slow.max_payment_gap(later), slow.last_paid(later), change_dates(slow))


@pytest.mark.parametrize("seed", range(4))
def test_the_history_sweep_also_scores_other_dates_without_changing_the_points(seed: int) -> None:
    contracts = random_contracts(seed)
    end = date(2025, 3, 1)
    rng = random.Random(seed)
    also = [date(2018, 1, 1), end, *(date(2019, 1, 1) + timedelta(days=rng.randrange(2200))
                                     for _ in range(6))]
    points, found = sweep_history(contracts, end, "auto", also_on=also)
    assert points == compute_history(contracts, end, "auto")
    first = min(c.start for c in contracts)
    assert set(found) == {d for d in also if first <= d <= end}
    for day, (rules, raw) in found.items():
        est = estimate(contracts, day)
        assert (rules, {k: None if v is None else round(v, 1) for k, v in raw.items()}) == \
            (est.rules, est.windows)
        assert displayed_jss(raw) == (est.jss, est.window)


@pytest.mark.parametrize("seed", range(4))
def test_copies_of_copies_keep_their_own_due_dates(seed: int) -> None:
    """A copy shares its original's lists of contracts due on each day until either adds to
    one: contracts added to the original, to a copy and to a copy of the copy, all due on the
    same days, leave each sweep as a fresh one of its contracts."""
    contracts = varied_contracts(seed, 30)
    fork_on = date(2022, 5, 17)
    sweep = Sweep(contracts)
    for day in update_dates(min(c.start for c in contracts), fork_on):
        sweep.advance(day, resolve_rules("auto", day))

    def job(name: str, k: int) -> Contract:
        end = fork_on + timedelta(days=40 + 14 * (k % 3))
        return Contract(id=name, client=name, title="T", type="fixed",
                        start=end - timedelta(days=20), end=end,
                        payments=(Payment(end, 300.0 + k),),
                        feedback=Feedback(date=end, stars=4.0 + (k % 2)))

    first = job("before", 0)  # due on a day both will add to, listed before the copy
    sweep.put(first)
    lists = {"original": [*contracts, first]}
    sweeps = {"original": sweep}
    sweeps["copy"], lists["copy"] = sweep.copy(), list(lists["original"])
    for k in range(4):
        # the original adds twice as many, to the day it listed before the copy; the copy
        # never adds to that day
        for name, j in (("original", 0), ("original", 3), ("copy", 1)):
            new = job(f"{name}-{k}-{j}", j)
            sweeps[name].put(new)
            lists[name].append(new)
        if k == 1:
            sweeps["copy of copy"] = sweeps["copy"].copy()
            lists["copy of copy"] = list(lists["copy"])
        if k >= 1:
            new = job(f"deep-{k}", k + 1)
            sweeps["copy of copy"].put(new)
            lists["copy of copy"].append(new)
    days = [fork_on + timedelta(days=k) for k in range(0, 200, 3)]
    for name, forked in sweeps.items():
        fresh = Sweep(lists[name])
        for day in days:
            rules = resolve_rules("auto", day)
            assert forked.advance(day, rules) == fresh.advance(day, rules), (name, day)


@pytest.mark.parametrize("seed", range(8))
def test_would_recommend_on_several_days_is_each_day_on_its_own(seed: int) -> None:
    """``would_recommend_on`` reads a contract's verdict once when it is settled on the first
    day; on every day it gives what ``would_recommend`` gives for that day alone."""
    from jssreport.model.history import would_recommend, would_recommend_on

    rng = random.Random(seed)
    contracts = varied_contracts(seed, 60)
    days = sorted({date(2018, 6, 1) + timedelta(days=rng.randrange(0, 1500)) for _ in range(6)})
    assert would_recommend_on(contracts, days) == {d: would_recommend(contracts, d) for d in days}
