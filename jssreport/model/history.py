"""The score over time, each contract's contribution, and the would-recommend estimate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from jssreport.model.outcomes import Outcome, outcome_of, recommend_credit
from jssreport.model.rules import RuleSet, resolve_rules
from jssreport.model.timeline import sweep_scores
from jssreport.model.types import Contract
from jssreport.model.windows import (
    WINDOW_MONTHS,
    best_window,
    displayed_jss,
    window_start,
    window_sums,
    with_trending,
)

RECOMMEND_STARS = 4.5  # without private feedback, this many public stars reads as "would recommend"


@dataclass(frozen=True)
class HistoryPoint:
    date: date
    rules: str
    windows: dict[str, float | None]
    jss: int | None


def update_dates(start: date, end: date, rule_id: str = "auto") -> tuple[date, ...]:
    """The platform's recomputation dates from ``start`` to ``end`` (``end`` always included)."""
    dates = []
    day = start
    while day < end:
        dates.append(day)
        day += timedelta(days=resolve_rules(rule_id, day).update_days)
    dates.append(end)
    return tuple(dates)


def compute_history(contracts: Sequence[Contract], end: date, rule_id: str = "auto",
                    start: date | None = None) -> tuple[HistoryPoint, ...]:
    return sweep_history(contracts, end, rule_id, start)[0]


Scores = tuple[RuleSet, dict[str, float | None]]  # the rule set and the unrounded windows


def sweep_history(contracts: Sequence[Contract], end: date, rule_id: str = "auto",
                  start: date | None = None, also_on: Sequence[date] = ()
                  ) -> tuple[tuple[HistoryPoint, ...], dict[date, Scores]]:
    """``compute_history``, and from the same sweep the scores on each of ``also_on`` (dates
    up to ``end`` from the first contract's start on; e.g. the snapshots)."""
    if not contracts:
        return (), {}
    first = start or min(c.start for c in contracts)
    if first > end:
        return (), {}
    updates = set(update_dates(first, end, rule_id))
    extra = {d for d in also_on if first <= d <= end}
    points, found = [], {}
    for day, rules, raw in sweep_scores(contracts, sorted(extra | updates), rule_id):
        if day in extra:
            found[day] = (rules, raw)
        if day in updates:
            jss, _ = displayed_jss(raw)
            windows = {k: None if v is None else round(v, 1) for k, v in raw.items()}
            points.append(HistoryPoint(day, rules.id, windows, jss))
    return tuple(points), found


def contributions(contracts: Sequence[Contract], on: date, rule_id: str = "auto",
                  outcomes: Sequence[Outcome] | None = None) -> dict[str, float | None]:
    """Points of the displayed score (unrounded) with each contract minus without it.

    ``outcomes``: the contracts' outcomes on ``on`` when already known (the estimate's).
    """
    rules = resolve_rules(rule_id, on)
    if outcomes is None:
        outcomes = [outcome_of(c, on, rules) for c in contracts]
    sums = window_sums(outcomes, on)
    base_raw = with_trending({n: s.score(rules) for n, s in sums.items()}, rules)
    base, _ = best_window(base_raw)
    starts = {name: window_start(on, name) for name in WINDOW_MONTHS}
    result: dict[str, float | None] = {}
    for o in outcomes:
        if base is None or not o.counted or o.counts_on is None or o.counts_on > on:
            result[o.contract_id] = None
            continue
        without = {
            name: (s.score_without(o, rules) if o.counts_on >= starts[name] else base_raw[name])
            for name, s in sums.items()
        }
        other, _ = best_window(with_trending(without, rules))
        result[o.contract_id] = None if other is None else round(base - other, 2)
    return result


def client_recommends(contract: Contract, on: date) -> bool | None:
    """Whether the client (probably) would recommend, from private or else public feedback."""
    fb = contract.feedback
    if fb is None or contract.is_open(on) or not fb.visible_on(on):
        return None
    if fb.recommend is not None:
        return recommend_credit(fb.recommend) >= 1
    if fb.stars is not None:
        return fb.stars >= RECOMMEND_STARS
    return None


def would_recommend(contracts: Sequence[Contract], on: date) -> int | None:
    """Percent of rated clients (lifetime) whose latest feedback recommends you."""
    latest: dict[str, tuple[date, bool]] = {}
    for c in contracts:
        if c.client_flagged or c.removed:
            continue
        verdict = client_recommends(c, on)
        if verdict is None:
            continue
        assert c.end is not None
        when = c.feedback.date if c.feedback and c.feedback.date else c.end
        if c.client not in latest or when >= latest[c.client][0]:
            latest[c.client] = (when, verdict)
    if not latest:
        return None
    positive = sum(1 for _, ok in latest.values() if ok)
    return round(100 * positive / len(latest))
