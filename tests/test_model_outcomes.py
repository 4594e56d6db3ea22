"""Outcomes and weights of single contracts, with literal records and exact numbers."""

from __future__ import annotations

from datetime import date

import pytest

from jssreport.model.outcomes import (
    outcome_of,
    paid_periods,
    size_weight,
    stars_credit,
    weight_of,
)
from jssreport.model.rules import RULESETS, resolve_rules, rules_in_force
from jssreport.model.types import Contract, Feedback, Payment

R2015 = RULESETS["upwork-2015"]
R2020 = RULESETS["upwork-2020-03"]
R2020_11 = RULESETS["upwork-2020-11"]
R2023 = RULESETS["upwork-2023-12"]
R2025 = RULESETS["upwork-2025"]
D = date


def ended(cid: str = "c1", amount: float = 500.0, stars: float | None = 5.0,
          recommend: int | None = None, client: str = "Client", **kw: object) -> Contract:
    fields: dict[str, object] = dict(
        id=cid, client=client, title="Job", type="fixed", start=D(2021, 1, 4), end=D(2021, 2, 1),
        payments=(Payment(D(2021, 2, 1), amount),) if amount else (),
        feedback=None if stars is None and recommend is None
        else Feedback(date=D(2021, 2, 2), stars=stars, recommend=recommend),
    )
    fields.update(kw)
    return Contract(**fields)  # type: ignore[arg-type]


def test_auto_picks_the_rules_in_force_on_each_date() -> None:
    assert rules_in_force(D(2019, 12, 1)).id == "upwork-2015"
    assert rules_in_force(D(2020, 3, 1)).id == "upwork-2020-03"
    assert rules_in_force(D(2020, 11, 7)).id == "upwork-2020-03"
    assert rules_in_force(D(2020, 11, 8)).id == "upwork-2020-11"
    assert rules_in_force(D(2023, 11, 30)).id == "upwork-2020-11"
    assert rules_in_force(D(2023, 12, 1)).id == "upwork-2023-12"
    assert rules_in_force(D(2025, 1, 1)).id == "upwork-2025"
    assert rules_in_force(D(2010, 1, 1)).id == "upwork-2015"
    assert resolve_rules("upwork-2015", D(2026, 1, 1)).id == "upwork-2015"


@pytest.mark.parametrize(("stars", "credit"), [
    (5.0, 1.0), (4.6, 0.6), (4.5, 0.5), (4.0, 0.0), (3.7, 0.0), (3.4, -1.0), (1.0, -1.0),
])
def test_public_stars_give_partial_credit_between_4_and_5(stars: float, credit: float) -> None:
    assert stars_credit(stars, R2025) == credit


@pytest.mark.parametrize(("earned", "weight"), [
    (1, 1.0), (250, 1.0), (250.01, 1.25), (1000, 1.25), (1000.5, 1.5), (50000, 1.5),
])
def test_job_size_bands(earned: float, weight: float) -> None:
    assert size_weight(earned) == weight


def test_one_extra_job_per_further_three_months_with_payment_capped_at_8() -> None:
    monthly = tuple(Payment(D(2020 + (m // 12), m % 12 + 1, 15), 100) for m in range(40))
    c = Contract(id="r", client="C", title="T", type="hourly", start=D(2020, 1, 1),
                 payments=monthly)
    assert paid_periods(c, D(2020, 3, 31)) == 1
    assert weight_of(c, D(2020, 3, 31), R2025) == 1.25  # $300 in one period
    assert paid_periods(c, D(2020, 7, 31)) == 3
    assert weight_of(c, D(2020, 7, 31), R2025) == 1.25 + 2
    assert weight_of(c, D(2023, 6, 1), R2025) == 8.0  # 14 periods, capped
    assert weight_of(c, D(2023, 6, 1), R2015) == 1.0  # 2015: every outcome weighs 1


def test_refunds_reduce_the_size_and_a_full_refund_makes_a_zero_contract() -> None:
    assert weight_of(ended(amount=1200, refunded=300), D(2021, 3, 1), R2025) == 1.25
    full = ended(amount=400, refunded=400)
    o = outcome_of(full, D(2021, 3, 1), R2025)
    assert (o.kind, o.counted) == ("excluded", False)
    assert o.reason == "5.0 stars on a $0 contract: excluded"


def test_zero_dollar_positive_feedback_excluded_from_2020_03_but_counted_before() -> None:
    c = ended(amount=0)
    assert outcome_of(c, D(2021, 3, 1), R2020).kind == "excluded"
    assert outcome_of(c, D(2021, 3, 1), R2015).kind == "success"


def test_zero_dollar_negative_feedback_counts() -> None:
    o = outcome_of(ended(amount=0, stars=2.0), D(2021, 3, 1), R2025)
    assert (o.kind, o.credit, o.weight, o.counts_on) == ("negative", -1.0, 1.0, D(2021, 2, 1))


def test_no_feedback_excluded_from_2020_11_and_mildly_counted_before() -> None:
    c = ended(stars=None)
    on = D(2021, 3, 1)
    assert outcome_of(c, on, R2020_11).kind == "excluded"
    assert outcome_of(c, on, R2020_11).reason == "ended without feedback: excluded since 2020-11-08"
    old = outcome_of(c, on, R2020)
    assert (old.kind, old.credit, old.weight) == ("neutral", 0.0, 0.25 * 1.25)
    zero = outcome_of(ended(stars=None, amount=0), on, R2015)
    assert (zero.kind, zero.weight) == ("neutral", 1.0)


def test_waiting_for_feedback_is_pending_for_14_days() -> None:
    c = ended(stars=None)
    assert outcome_of(c, D(2021, 2, 14), R2025).kind == "pending"
    assert outcome_of(c, D(2021, 2, 15), R2025).kind == "excluded"


def test_feedback_dated_after_the_day_is_not_seen_yet() -> None:
    c = ended(stars=2.0)
    assert outcome_of(c, D(2021, 2, 1), R2025).kind == "pending"
    assert outcome_of(c, D(2021, 2, 2), R2025).kind == "negative"


def test_flagged_clients_removed_contracts_and_disputes() -> None:
    on = D(2021, 3, 1)
    assert outcome_of(ended(client_flagged=True, stars=1.0), on, R2025).kind == "excluded"
    assert outcome_of(ended(removed=True, stars=1.0), on, R2025).kind == "excluded"
    d = outcome_of(ended(dispute=True), on, R2025)
    assert (d.kind, d.credit, d.reason) == ("negative", -1.0, "ended in a dispute")


def test_private_feedback_dominates_until_2023_and_shares_after() -> None:
    c = ended(stars=5.0, recommend=5)
    on = D(2021, 3, 1)
    assert outcome_of(c, on, R2020_11).credit == -1.0
    assert outcome_of(c, on, R2023).credit == 0.0
    assert outcome_of(ended(stars=5.0, recommend=8), on, R2020_11).credit == 0.5
    assert outcome_of(ended(stars=4.6, recommend=10), on, R2025).credit == 0.8


def long_term(**kw: object) -> Contract:
    fields: dict[str, object] = dict(
        id="lt", client="Retainer", title="Retainer", type="hourly", start=D(2021, 1, 4),
        payments=tuple(Payment(D(2021, m, 1), 500) for m in range(2, 8)),
    )
    fields.update(kw)
    return Contract(**fields)  # type: ignore[arg-type]


def test_open_contract_paid_every_90_days_is_a_long_term_success() -> None:
    o = outcome_of(long_term(), D(2021, 7, 15), R2025)
    assert (o.kind, o.credit, o.counts_on) == ("success", 1.0, D(2021, 7, 1))
    assert o.weight == 1.5 + 1  # $3,000; payments in periods 0 and 1 of the contract's life
    assert o.reason == "long-term relationship: paid at least every 90 days for 5 months"
    # 91 days after the last payment it no longer counts
    assert outcome_of(long_term(), D(2021, 9, 30), R2025).kind == "pending"
    # too short a span
    short = long_term(payments=(Payment(D(2021, 2, 1), 10), Payment(D(2021, 3, 1), 10)))
    assert outcome_of(short, D(2021, 3, 15), R2025).kind == "pending"


def test_idle_open_contracts_count_only_under_the_old_rules() -> None:
    c = Contract(id="idle", client="Quiet", title="T", type="fixed", start=D(2019, 1, 7),
                 payments=(Payment(D(2019, 1, 20), 300),))
    on = D(2019, 8, 1)  # 193 days after the last payment
    old = outcome_of(c, on, R2015)
    assert (old.kind, old.weight, old.counts_on) == ("neutral", 0.25, D(2019, 7, 19))
    assert outcome_of(c, D(2019, 7, 18), R2015).kind == "pending"
    assert outcome_of(c, on, R2020_11).kind == "pending"
    assert outcome_of(c, on, R2020_11).reason == "open: not counted while open"
