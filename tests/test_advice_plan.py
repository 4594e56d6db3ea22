"""Closing plan, roll-off calendar and the path to a target score."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from jssreport.advice.actions import recommend
from jssreport.advice.plan import closing_plan, leaves_window, path_to, paths_to, rolloff_calendar
from jssreport.advice.sim import ended, good_feedback, known_on, new_job, poor_feedback
from jssreport.input.records import load_records
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import estimate, window_start

D = date
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load(name: str) -> tuple[tuple[Contract, ...], date]:
    records = load_records(FIXTURES / name)
    assert records.profile.as_of is not None
    return records.contracts, records.profile.as_of


def job(cid: str, end: date, stars: float = 5.0) -> Contract:
    return Contract(id=cid, client=f"Client {cid}", title="Job", type="fixed",
                    start=end - timedelta(days=20), end=end, payments=(Payment(end, 100.0),),
                    feedback=Feedback(date=end, stars=stars))


def test_leaves_window_is_the_first_day_outside() -> None:
    assert leaves_window(D(2021, 1, 10), 6) == D(2021, 7, 11)
    assert leaves_window(D(2021, 8, 31), 6) == D(2022, 3, 1)  # no Feb 31st: clamped, then out
    assert leaves_window(D(2020, 2, 29), 12) == D(2021, 3, 1)
    assert leaves_window(D(2019, 10, 14), 24) == D(2021, 10, 15)
    for counts_on in (D(2021, 1, 10), D(2021, 8, 31), D(2020, 2, 29), D(2021, 12, 31)):
        for name, months in (("6m", 6), ("12m", 12), ("24m", 24), ("3m", 3)):
            out = leaves_window(counts_on, months)
            assert counts_on < window_start(out, name)
            assert counts_on >= window_start(out - timedelta(days=1), name)


def test_rolloff_calendar_dates_and_scores() -> None:
    contracts, on = load("examples/one-bad-77")
    rows = rolloff_calendar(contracts, on)
    assert [(r.contract, r.window, str(r.leaves_on)) for r in rows] == [
        ("j7", "3m", "2020-01-15"),
        ("j7", "6m", "2020-04-15"),
        ("j7", "12m", "2020-10-15"),
        ("j7", "24m", "2021-10-15"),
    ]
    for r in rows:  # with no new work, the model's own score that day
        assert r.jss_after == estimate(contracts, r.leaves_on).jss
        assert r.jss_before == estimate(contracts, r.leaves_on - timedelta(days=1)).jss
    assert rows[0].kind == "negative" and rows[0].weight == 1.0


def test_rolloff_of_a_bad_job_among_good_ones() -> None:
    jobs = [job(f"g{i}", D(2021, 1 + i, 5)) for i in range(6)] + [job("bad", D(2021, 7, 20), 1.0)]
    rows = rolloff_calendar(jobs, D(2021, 8, 1), "upwork-2020-11")
    six = next(r for r in rows if r.window == "6m")
    assert six.leaves_on == D(2022, 1, 21)
    assert (six.jss_before, six.jss_after) == (
        estimate(jobs, D(2022, 1, 20), "upwork-2020-11").jss,
        estimate(jobs, D(2022, 1, 21), "upwork-2020-11").jss)


def test_closing_plan_is_staggered_oldest_first_and_cumulative() -> None:
    contracts, on = load("advice/mixed-2022")
    recs = recommend(contracts, on)
    plan = closing_plan(recs, contracts, on)
    assert [(s.step, s.contract, s.action, str(s.on)) for s in plan] == [
        (1, "q-new", "close", "2022-06-01"),  # paid 2022-01-10: the oldest finished work
        (2, "h-new", "ask_to_close", "2022-06-15"),
    ]
    assert (plan[1].on - plan[0].on).days == 14
    known = {c.id: c for c in known_on(contracts, on)}
    q, h = known["q-new"], known["h-new"]
    second = plan[1]
    good = dict(known, **{"q-new": ended(q, plan[0].on, good_feedback(plan[0].on)),
                          "h-new": ended(h, second.on, good_feedback(second.on))})
    poor = dict(good, **{"h-new": ended(h, second.on, poor_feedback(second.on))})
    assert second.jss_if_good == estimate(list(good.values()), second.shows_on).jss
    assert second.jss_if_poor == estimate(list(poor.values()), second.shows_on).jss
    assert second.jss_no_change == estimate(list(known.values()), second.shows_on).jss
    assert (plan[0].jss_no_change, plan[0].jss_if_good, plan[0].jss_if_poor) == (76, 78, 68)


def test_no_plan_when_nothing_should_close() -> None:
    contracts, on = load("examples/seed-82")
    assert closing_plan(recommend(contracts, on), contracts, on) == ()


def test_path_to_counts_new_jobs_and_roll_off() -> None:
    contracts, on = load("examples/one-bad-77")
    ninety, eighty = paths_to((90, 80), contracts, on)
    assert ninety.jss_now == 77 and not ninety.reached
    sizes = {p.size: p for p in ninety.by_size}
    assert [sizes[s].count for s in (250.0, 1000.0, 2000.0)] == [9, 7, 6]
    # re-run: 6 new $2,000 jobs, one every two weeks
    adds = [new_job(f"new-{k}", on + timedelta(days=14 * k), 2000.0) for k in range(1, 7)]
    last = sizes[2000.0]
    assert last.by is not None and last.jss == estimate([*contracts, *adds], last.by).jss
    assert last.jss is not None and last.jss >= 90
    assert estimate([*contracts, *adds[:5]], last.by).jss < 90  # type: ignore[operator]
    assert ninety.rolloff_on is None  # no new work: the score never comes back to 90
    assert eighty.by_size[0].count == 1
    assert path_to(80, contracts, on) == eighty


def test_path_when_roll_off_alone_gets_there() -> None:
    contracts, on = load("examples/seed-82")
    ninety = path_to(90, contracts, on)
    assert ninety.rolloff_on == D(2020, 8, 17)  # dune-packaging leaves the 6-month window
    assert ninety.rolloff_jss == estimate(contracts, D(2020, 8, 17)).jss
    reached = path_to(80, contracts, on)
    assert reached.reached and reached.rolloff_on == on
    assert all(p.count == 0 for p in reached.by_size)
