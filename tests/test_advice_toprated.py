"""Top Rated tracker and the feedback-removal perk."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from jssreport.advice.toprated import removal_perk, top_rated
from jssreport.input.records import load_records
from jssreport.model.history import compute_history
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import estimate

D = date
ON = D(2022, 6, 1)


def job(cid: str, end: date, amount: float = 400.0, stars: float = 5.0) -> Contract:
    return Contract(id=cid, client=f"Client {cid}", title="Job", type="fixed",
                    start=end - timedelta(days=20), end=end, payments=(Payment(end, amount),),
                    feedback=Feedback(date=end, stars=stars))


def steady(n: int = 24, bad: bool = False) -> list[Contract]:
    jobs = [job(f"j{i:02d}", ON - timedelta(days=30 * i + 5)) for i in range(n)]
    if bad:
        jobs.append(job("bad", ON - timedelta(days=60), stars=1.0))
    return jobs


def test_a_steady_freelancer_is_top_rated() -> None:
    jobs = steady()
    status = top_rated(jobs, None, ON, "upwork-2020-11")
    assert status.top_rated and status.missing == () and status.eligible_on == ON
    assert status.jss == 100 and status.weeks_at_90 == 16
    assert len(status.weeks) == 16 and status.weeks[-1][0] == ON
    assert status.weeks[0][0] == ON - timedelta(weeks=15)
    assert status.earnings_12m == 400.0 * 12  # dated in the last 365 days (not 365 days ago)
    assert not status.top_rated_plus
    assert status.missing_plus == ("$10,000+ earned in the last 12 months",
                                   "A large contract (about $5,000+; the bar depends on the "
                                   "category)")
    unknown = [i for i in status.checklist if i.met is None]
    assert [i.name for i in unknown] == ["Complete profile, no account hold"]


def test_weeks_use_the_score_in_force_from_history() -> None:
    jobs = steady(bad=True)
    history = compute_history(jobs, ON, "upwork-2020-11")
    status = top_rated(jobs, history, ON, "upwork-2020-11")
    assert status.jss == estimate(jobs, ON, "upwork-2020-11").jss
    for day, jss in status.weeks:
        in_force = [p.jss for p in history if p.date <= day][-1]
        assert jss == in_force
    assert status.weeks_at_90 == sum(1 for _, j in status.weeks if j is not None and j >= 90)


def test_missing_criteria_and_projection() -> None:
    contracts = load_records(Path(__file__).parent / "fixtures/examples/partial-80").contracts
    status = top_rated(contracts, None, D(2021, 6, 1))
    assert status.missing == ("JSS at least 90%", "JSS 90%+ in 13 of the last 16 weeks",
                              "$1,000+ earned in the last 12 months")
    assert status.eligible_on is None
    assert "earnings in the last 12 months stay below $1,000" in status.eligible_why


def test_removal_perk_only_when_it_raises_the_score() -> None:
    jobs = steady(bad=True)
    status = top_rated(jobs, None, ON, "upwork-2020-11")
    perk = removal_perk(jobs, ON, status, "upwork-2020-11")
    assert perk is not None and perk.contract == "bad"
    without = [c for c in jobs if c.id != "bad"]
    after = estimate(without, perk.shows_on, "upwork-2020-11").jss
    before = estimate(jobs, perk.shows_on, "upwork-2020-11").jss
    assert after is not None and before is not None and perk.effect == after - before
    assert perk.effect is not None and perk.effect > 0
    assert perk.eligible == status.top_rated
    assert removal_perk(steady(), ON, status, "upwork-2020-11") is None  # nothing negative
