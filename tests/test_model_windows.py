"""Windows, minimums, Trending and the displayed score."""

from __future__ import annotations

from datetime import date

from jssreport.model.history import compute_history, contributions, update_dates, would_recommend
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import displayed_jss, estimate, months_before

D = date


def job(cid: str, end: date, stars: float | None = 5.0, amount: float = 100.0,
        client: str | None = None, recommend: int | None = None) -> Contract:
    start = date.fromordinal(end.toordinal() - 20)
    fb = None if stars is None and recommend is None else Feedback(date=end, stars=stars,
                                                                 recommend=recommend)
    return Contract(id=cid, client=client or f"Client {cid}", title="Job", type="fixed",
                    start=start, end=end, payments=(Payment(end, amount),), feedback=fb)


def test_official_example_trending_wins() -> None:
    windows = {"24m": 92.0, "12m": 88.0, "6m": 94.0, "3m": 98.0, "trending": (94 + 98) / 2}
    assert displayed_jss(windows) == (96, "trending")


def test_three_month_window_alone_is_not_a_candidate() -> None:
    assert displayed_jss({"24m": 80.0, "12m": None, "6m": None, "3m": 100.0,
                          "trending": None}) == (80, "24m")
    assert displayed_jss({"24m": None, "12m": None, "6m": None, "3m": None,
                          "trending": None}) == (None, None)


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(D(2021, 8, 31), 6) == D(2021, 2, 28)
    assert months_before(D(2024, 8, 31), 6) == D(2024, 2, 29)
    assert months_before(D(2021, 1, 15), 24) == D(2019, 1, 15)


def test_published_formula_with_fitted_penalty() -> None:
    jobs = [job(f"j{i}", D(2021, i, 10)) for i in range(1, 7)] + [job("bad", D(2021, 7, 10), 2.0)]
    est = estimate(jobs, D(2021, 8, 1), "upwork-2020-11")
    # (6 - 0.6 * 1) / 7 with every job at $100 (weight 1)
    assert est.windows["24m"] == 77.1
    assert est.windows["6m"] == 73.3  # (5 - 0.6) / 6
    assert est.windows["3m"] == 46.7  # (2 - 0.6) / 3
    assert est.windows["trending"] == 60.0
    assert (est.jss, est.window) == (77, "24m")


def test_an_outcome_leaves_the_6_month_window_6_months_and_1_day_later() -> None:
    jobs = [job("a", D(2021, 1, 10)), job("b", D(2021, 1, 10)), job("bad", D(2021, 1, 10), 1.0)]
    inside = estimate(jobs, D(2021, 7, 10), "upwork-2020-11")
    outside = estimate(jobs, D(2021, 7, 11), "upwork-2020-11")
    assert inside.windows["6m"] is not None
    assert outside.windows["6m"] is None


def test_negatives_are_gone_after_24_months() -> None:
    jobs = [job("bad", D(2020, 1, 15), 1.0), job("a", D(2021, 6, 1)), job("b", D(2021, 7, 1)),
            job("c", D(2021, 8, 1))]
    assert estimate(jobs, D(2022, 1, 15), "upwork-2020-11").windows["24m"] == 60.0
    after = estimate(jobs, D(2022, 1, 16), "upwork-2020-11")
    assert after.windows["24m"] == 100.0
    assert after.jss == 100


def test_no_score_below_the_minimum() -> None:
    one_client = [job("a", D(2021, 5, 1), client="Same"), job("b", D(2021, 6, 1), client="Same")]
    est = estimate(one_client, D(2021, 7, 1), "upwork-2020-11")
    assert (est.jss, est.window, est.eligible_outcomes, est.clients) == (None, None, 2, 1)
    two = one_client + [job("c", D(2021, 6, 2), client="Other")]
    assert estimate(two, D(2021, 7, 1), "upwork-2020-11").jss == 100
    assert estimate(two, D(2021, 7, 1), "upwork-2015").jss is None  # needs 3 clients


def test_weights_follow_job_size() -> None:
    jobs = [job("big", D(2021, 5, 1), 5.0, 5000), job("small", D(2021, 6, 1), 2.0, 100)]
    est = estimate(jobs, D(2021, 7, 1), "upwork-2020-11")
    # (1.5 - 0.6 * 1) / 2.5
    assert est.windows["24m"] == 36.0


def test_contributions_are_with_minus_without() -> None:
    jobs = [job(f"j{i}", D(2021, i, 10)) for i in range(1, 4)] + [job("bad", D(2021, 4, 10), 1.0)]
    on = D(2021, 12, 1)
    result = contributions(jobs, on, "upwork-2020-11")
    base = estimate(jobs, on, "upwork-2020-11").score
    without_bad = estimate(jobs[:3], on, "upwork-2020-11").score
    assert base is not None and without_bad is not None
    assert result["bad"] == round(base - without_bad, 2) == -40.0
    without_j1 = estimate(jobs[1:], on, "upwork-2020-11").score
    assert without_j1 is not None
    assert result["j1"] == round(base - without_j1, 2)


def test_would_recommend_counts_clients_from_private_then_public_feedback() -> None:
    jobs = [job("a", D(2021, 1, 1), recommend=10), job("b", D(2021, 2, 1), recommend=6),
            job("c", D(2021, 3, 1), 5.0), job("d", D(2021, 4, 1), 4.0),
            job("e", D(2021, 5, 1), None)]
    assert would_recommend(jobs, D(2021, 6, 1)) == 50


def test_history_follows_the_update_cadence_of_each_era() -> None:
    # every 14 days before 2024-09-01, daily from then (DAILY_UPDATES_FROM)
    dates = update_dates(D(2024, 8, 18), D(2024, 9, 3))
    assert dates == (D(2024, 8, 18), D(2024, 9, 1), D(2024, 9, 2), D(2024, 9, 3))
    daily = update_dates(D(2025, 1, 1), D(2025, 1, 4))
    assert daily == (D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 4))
    jobs = [job("a", D(2021, 1, 10)), job("b", D(2021, 2, 10))]
    history = compute_history(jobs, D(2021, 3, 1), "upwork-2020-11")
    assert history[0].date == D(2020, 12, 21)
    assert history[-1].date == D(2021, 3, 1)
    assert history[-1].jss == 100
    assert all(p.rules == "upwork-2020-11" for p in history)
