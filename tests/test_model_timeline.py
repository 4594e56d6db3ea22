"""The incremental history agrees with scoring every date from scratch."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from jssreport.model.history import compute_history, update_dates
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import estimate


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
