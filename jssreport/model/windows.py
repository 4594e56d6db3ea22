"""Window scores and the displayed JSS on one date."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from jssreport.model.outcomes import Outcome, outcome_of
from jssreport.model.rules import RuleSet, resolve_rules
from jssreport.model.types import Contract

WINDOW_MONTHS: dict[str, int] = {"24m": 24, "12m": 12, "6m": 6, "3m": 3}
WINDOW_NAMES: tuple[str, ...] = (*WINDOW_MONTHS, "trending")
CANDIDATES = ("24m", "12m", "6m", "trending")  # the 3-month window only feeds Trending


@lru_cache(maxsize=8192)
def months_before(on: date, months: int) -> date:
    """The same day ``months`` earlier, clamped to the month's last day (asked for every
    window on every date a history is scored: kept)."""
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in (on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def window_start(on: date, name: str) -> date:
    """The first date an outcome must count on to be inside window ``name`` on ``on``.

    An outcome leaves the 6-month window 6 months and 1 day after it counts.
    """
    return months_before(on, WINDOW_MONTHS[name])


@dataclass
class WindowSums:
    """Additive totals of the outcomes in one window, so one can be taken out cheaply."""

    weight: float = 0.0
    positive: float = 0.0
    negative: float = 0.0
    count: int = 0
    clients: dict[str, int] = field(default_factory=dict)  # outcomes per client, all > 0
    # the last ``score`` and the rule set it was for, until an outcome is put in or taken
    # out (a history asks every window on every date; on most, nothing entered or left it)
    _scored: tuple[RuleSet, float | None] | None = field(default=None, repr=False,
                                                          compare=False)

    def add(self, o: Outcome, sign: int = 1) -> None:
        self.put(o.weight, o.credit, o.client, sign)

    def put(self, weight: float, credit: float, client: str, sign: int = 1) -> None:
        """Add (sign 1) or take out (-1) an outcome with this weight, credit and client."""
        self._scored = None
        self.weight += sign * weight
        if credit > 0:
            self.positive += sign * weight * credit
        elif credit < 0:
            self.negative += sign * weight * -credit
        self.count += sign
        # A plain dict: this runs for every outcome entering or leaving a window, and a
        # Counter's missing-key and delete hooks are Python code.
        clients = self.clients
        left = clients.get(client, 0) + sign
        if left > 0:
            clients[client] = left
        else:
            clients.pop(client, None)

    def copy(self) -> WindowSums:
        return WindowSums(self.weight, self.positive, self.negative, self.count,
                          self.clients.copy(), self._scored)

    def score(self, rules: RuleSet) -> float | None:
        """Percent, unrounded; None below the rule set's minimum."""
        scored = self._scored
        if scored is not None and scored[0] is rules:
            return scored[1]
        score = self._score(rules)
        self._scored = (rules, score)
        return score

    def _score(self, rules: RuleSet) -> float | None:
        if self.count < rules.min_outcomes or len(self.clients) < rules.min_clients:
            return None
        # Sums are rounded so that adding and removing outcomes in any order (the incremental
        # history) gives the same digits as summing from scratch.
        weight = round(self.weight, 9)
        if weight <= 0:
            return None
        raw = (round(self.positive, 9) - rules.negative_penalty * round(self.negative, 9)) / weight
        return 100.0 * min(1.0, max(0.0, raw))

    def score_without(self, o: Outcome, rules: RuleSet) -> float | None:
        self.add(o, -1)
        try:
            return self.score(rules)
        finally:
            self.add(o, 1)


def window_sums(outcomes: Iterable[Outcome], on: date) -> dict[str, WindowSums]:
    starts = {name: window_start(on, name) for name in WINDOW_MONTHS}
    sums = {name: WindowSums() for name in WINDOW_MONTHS}
    for o in outcomes:
        if not o.counted or o.counts_on is None or o.counts_on > on:
            continue
        for name, start in starts.items():
            if o.counts_on >= start:
                sums[name].add(o)
    return sums


def with_trending(scores: dict[str, float | None], rules: RuleSet) -> dict[str, float | None]:
    six, three = scores.get("6m"), scores.get("3m")
    trending = (six + three) / 2 if rules.trending and six is not None and three is not None \
        else None
    return {**scores, "trending": trending}


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5 + 1e-9)


def best_window(windows: Mapping[str, float | None]) -> tuple[float | None, str | None]:
    """The highest candidate (unrounded) and its name; earlier names win ties."""
    best: tuple[float | None, str | None] = (None, None)
    for name in CANDIDATES:
        value = windows.get(name)
        if value is not None and (best[0] is None or value > best[0] + 1e-9):
            best = (value, name)
    return best


def displayed_jss(windows: Mapping[str, float | None]) -> tuple[int | None, str | None]:
    """The shown score: the best of 24m, 12m, 6m and Trending, a whole percent."""
    value, name = best_window(windows)
    return (None, None) if value is None else (round_half_up(value), name)


@dataclass(frozen=True)
class Estimate:
    """The model's estimate on one date: each window's score, the displayed JSS and its window,
    every contract's outcome, and the outcomes and clients counted in the 24-month window."""

    as_of: date
    rules: RuleSet
    windows: dict[str, float | None]  # percent, 1 decimal
    jss: int | None
    window: str | None
    outcomes: tuple[Outcome, ...]
    eligible_outcomes: int
    clients: int
    score: float | None  # the displayed score before rounding


def scores_from_sums(sums: Mapping[str, WindowSums], rules: RuleSet) -> dict[str, float | None]:
    return with_trending({name: s.score(rules) for name, s in sums.items()}, rules)


def estimate_outcomes(outcomes: tuple[Outcome, ...], on: date, rules: RuleSet) -> Estimate:
    sums = window_sums(outcomes, on)
    raw = scores_from_sums(sums, rules)
    score, window = best_window(raw)
    jss = None if score is None else round_half_up(score)
    eligible = sums["24m"]
    return Estimate(
        as_of=on,
        rules=rules,
        windows={k: None if v is None else round(v, 1) for k, v in raw.items()},
        jss=jss,
        window=window,
        outcomes=outcomes,
        eligible_outcomes=eligible.count,
        clients=len(eligible.clients),
        score=score,
    )


OutcomesOf = Callable[[Sequence[Contract], date, str], tuple[Outcome, ...]]


def outcomes_on(contracts: Sequence[Contract], on: date, rule_id: str = "auto"
                ) -> tuple[Outcome, ...]:
    """How each contract counts on ``on`` (``model.outcomes.outcome_of``)."""
    rules = resolve_rules(rule_id, on)
    return tuple(outcome_of(c, on, rules) for c in contracts)


def estimate(contracts: Sequence[Contract], on: date, rule_id: str = "auto",
             like: tuple[Sequence[Contract], Estimate] | None = None,
             outcomes: OutcomesOf = outcomes_on) -> Estimate:
    """The estimated JSS on ``on`` under ``rule_id`` ("auto": the rules in force then).

    ``like``: other contracts and their estimate on the same date under the same rules; the
    outcome of each contract that is the very object at the same place there is taken from
    it (a contract is a frozen value: judging it again gives the same outcome).
    ``outcomes``: how the others are judged (``outcomes_on``, or the same kept between
    builds)."""
    rules = resolve_rules(rule_id, on)
    if like is not None and like[1].rules == rules and like[1].as_of == on \
            and len(like[0]) == len(contracts):
        before, known = like[0], like[1].outcomes
        judged = iter(outcomes([c for c, b in zip(contracts, before, strict=True) if c is not b],
                               on, rule_id))
        return estimate_outcomes(tuple(known[i] if c is before[i] else next(judged)
                                       for i, c in enumerate(contracts)), on, rules)
    return estimate_outcomes(outcomes(contracts, on, rule_id), on, rules)
