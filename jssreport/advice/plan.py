"""Closing plan, roll-off calendar and the path to a target score.

Every projection starts from the records as known on the report date (``known_on``) and
assumes no new work unless it adds some: no new payments, so a long-term contract stops
counting as one 90 days after its last payment, and idle open contracts age as the rules say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from jssreport.advice.actions import Recommendation
from jssreport.advice.sim import (
    Projector,
    Updates,
    ended,
    good_feedback,
    new_job,
    poor_feedback,
    relevant,
)
from jssreport.model.outcomes import outcome_of
from jssreport.model.rules import resolve_rules
from jssreport.model.types import Contract
from jssreport.model.windows import WINDOW_MONTHS, months_before, window_start

NO_NEW_WORK = ("Assumes no new work from the report date on: no new contracts and no new "
               "payments (so long-term contracts stop counting as such 90 days after their last "
               "payment), and open contracts stay open.")
CLOSING_ORDER = ("Oldest finished work first (the longest idle), one about every two weeks, so "
                 "one poor rating does not land with the others and each result shows before "
                 "the next step.")


@dataclass(frozen=True)
class PlanStep:
    """One step of the closing plan: a contract to close (or to ask the client to close) on a
    date, and the JSS when that shows if it is rated well, if it is rated poorly, and if
    nothing is closed."""

    step: int  # 1, 2, ...
    contract: str
    action: str  # ask_to_close | close
    on: date  # when to close it (or ask)
    shows_on: date  # the first update date after it
    jss_if_good: int | None  # this and every earlier step rated well
    jss_if_poor: int | None  # this one rated poorly, the earlier ones well
    jss_no_change: int | None  # nothing closed


def closing_plan(recommendations: Sequence[Recommendation], contracts: Sequence[Contract],
                 on: date, rule_id: str = "auto", spacing_days: int = 14,
                 projector: Projector | None = None) -> tuple[PlanStep, ...]:
    """The ``ask_to_close`` / ``close`` recommendations staggered ``spacing_days`` apart."""
    todo = [r for r in recommendations if r.action in ("ask_to_close", "close")]
    todo.sort(key=lambda r: (r.since or on, -(r.expected or 0.0), r.contract))
    if not todo:
        return ()
    p = projector or Projector(contracts, on, rule_id)
    known = p.known
    by_id = {c.id: c for c in known}
    updates = Updates(known, rule_id, on + timedelta(days=spacing_days * len(todo) + 60))
    steps: list[PlanStep] = []
    done: dict[str, Contract | None] = {}
    for i, rec in enumerate(todo):
        day = on + timedelta(days=spacing_days * i)
        shows = updates.next_on_or_after(day)
        scorer = p.scorer(shows)
        c = by_id[rec.contract]
        poor = scorer.jss_with({**done, c.id: ended(c, day, poor_feedback(day))})
        done[c.id] = ended(c, day, good_feedback(day))
        steps.append(PlanStep(i + 1, c.id, rec.action, day, shows, scorer.jss_with(done), poor,
                              scorer.jss))
    return tuple(steps)


@dataclass(frozen=True)
class RollOff:
    """When one outcome that holds the score down (negative, partial or neutral) leaves one
    window, and the JSS the day before and that day, with no new work."""

    contract: str
    kind: str  # negative | partial | neutral
    credit: float
    weight: float
    counts_on: date
    window: str  # 24m | 12m | 6m | 3m
    leaves_on: date  # the first day it is out of the window
    jss_before: int | None  # the day before, with no new work
    jss_after: int | None  # on leaves_on, with no new work


def leaves_window(counts_on: date, months: int) -> date:
    """The first day an outcome counted on ``counts_on`` is outside the ``months`` window.

    The same rule as ``window_start``: inside while ``counts_on >= months_before(day)``.
    """
    day = months_before(counts_on, -months)
    while months_before(day, months) <= counts_on:
        day += timedelta(days=1)
    return day


def rolloff_calendar(contracts: Sequence[Contract], on: date, rule_id: str = "auto",
                     projector: Projector | None = None) -> tuple[RollOff, ...]:
    """When each outcome that holds the score down leaves each window, and the JSS then."""
    p = projector or Projector(contracts, on, rule_id)
    known = p.known
    rules = resolve_rules(rule_id, on)
    found: list[tuple[Contract, str, date]] = []
    for c in relevant(known, on):
        o = outcome_of(c, on, rules)
        if not o.counted or o.counts_on is None or o.kind not in ("negative", "partial",
                                                                   "neutral"):
            continue
        for name, months in WINDOW_MONTHS.items():
            if o.counts_on >= window_start(on, name):
                found.append((c, name, leaves_window(o.counts_on, months)))
    days = sorted({d for _, _, d in found} | {d - timedelta(days=1) for _, _, d in found})
    jss = {d: j for d, j, _ in p.scores(days)}
    rows = []
    for c, name, leaves in found:
        o = outcome_of(c, on, rules)
        assert o.counts_on is not None
        rows.append(RollOff(c.id, o.kind, o.credit, o.weight, o.counts_on, name, leaves,
                            jss[leaves - timedelta(days=1)], jss[leaves]))
    rows.sort(key=lambda r: (r.leaves_on, r.contract, -WINDOW_MONTHS[r.window]))
    return tuple(rows)


@dataclass(frozen=True)
class SizePath:
    """How many new 5-star jobs of one size reach a target, and the update date and JSS when the
    last of them shows."""

    size: float  # the amount of each new job
    count: int | None  # new 5-star jobs needed (0: already there; None: not within max_new)
    by: date | None  # the update date the last of them shows
    jss: int | None  # the JSS then


@dataclass(frozen=True)
class PathResult:
    """The path to one target score (``paths_to``): new 5-star jobs of each size, or roll-off
    alone with no new work, and the assumption behind both."""

    target: int
    jss_now: int | None
    by_size: tuple[SizePath, ...]
    rolloff_on: date | None  # the first update date roll-off alone gets there, if within horizon
    rolloff_jss: int | None
    horizon: date
    every_days: int
    assumption: str

    @property
    def reached(self) -> bool:
        return self.jss_now is not None and self.jss_now >= self.target


SIZES = (250.0, 1000.0, 2000.0)


def path_to(target: int, contracts: Sequence[Contract], on: date, rule_id: str = "auto",
            sizes: Sequence[float] = SIZES, every_days: int = 14, max_new: int = 52,
            horizon_months: int = 24) -> PathResult:
    return paths_to((target,), contracts, on, rule_id, sizes, every_days, max_new,
                    horizon_months)[0]


def paths_to(targets: Sequence[int], contracts: Sequence[Contract], on: date,
             rule_id: str = "auto", sizes: Sequence[float] = SIZES, every_days: int = 14,
             max_new: int = 52, horizon_months: int = 24,
             projector: Projector | None = None) -> tuple[PathResult, ...]:
    """For each target: how many new 5-star jobs of each size reach it (one every
    ``every_days``, each from a new client, paid and rated when it ends), and the earliest
    update date roll-off alone reaches it with no new work."""
    p = projector or Projector(contracts, on, rule_id)
    known = p.known
    horizon = months_before(on, -horizon_months)
    last_new = on + timedelta(days=every_days * max_new)
    updates = Updates(known, rule_id, max(horizon, last_new) + timedelta(days=30))
    (_, now, _), = p.scores([on])
    scan = p.scores(updates.between(on, horizon))
    series: dict[float, list[tuple[date, int | None]]] = {}
    for size in sizes:
        ends = [on + timedelta(days=every_days * k) for k in range(1, max_new + 1)]
        adds = [new_job(f"new-{k}", end, size, days=every_days) for k, end in enumerate(ends, 1)]
        days = [updates.next_on_or_after(end) for end in ends]
        series[size] = [(d, j) for d, j, _ in p.scores(days, added=adds)]
    results = []
    for target in targets:
        by_size = []
        for size in sizes:
            if now is not None and now >= target:
                by_size.append(SizePath(size, 0, on, now))
                continue
            hit = next(((k, d, j) for k, (d, j) in enumerate(series[size], 1)
                        if j is not None and j >= target), None)
            by_size.append(SizePath(size, *hit) if hit else SizePath(size, None, None, None))
        roll = (on, now) if now is not None and now >= target else next(
            ((d, j) for d, j, _ in scan if j is not None and j >= target), None)
        results.append(PathResult(target, now, tuple(by_size), roll[0] if roll else None,
                                  roll[1] if roll else None, horizon, every_days, NO_NEW_WORK))
    return tuple(results)
