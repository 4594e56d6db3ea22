"""The search behind ``explain``: which hidden private ratings reproduce an observed score.

Each free contract (rated in public, private rating unknown) takes one of three states; the
posterior weight of an assignment is its prior times the likelihood of the observation:

- the observed JSS: exp(-d^2 / 2 sigma^2), d = distance from the model's unrounded score to
  the observed whole percent's rounding interval (0 when the model would display it), sigma =
  the model's typical error in points (exact matching is sigma -> 0);
- the observed would-recommend share, when given: a hard constraint (the model's rounding).

Window sums are kept as plain floats and only the changed contract is swapped in and out, so
one evaluation costs O(windows). Up to ``EXHAUSTIVE_MAX`` informative contracts (those in a
window on the date, or deciding a client's would-recommend verdict) every assignment is
enumerated (3^n, 59,049 at most); beyond, a seeded Gibbs sampler (single-site updates plus
swap moves that keep the would-recommend count) estimates the posterior. Its sweeps shrink as
the history grows (about 30,000 single-site updates in all, at least 20 sweeps), so the time
stays about linear: about 0.1 s for 600 informative contracts, 0.3 s for 6,000 (2,000 and
20,000 contracts in the benchmark). A contract outside every window only moves the
would-recommend count, so its update needs no score.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jssreport.advice.evaluator import UNSEEN, Evaluator, Free, MultiEvaluator

Searchable = Evaluator | MultiEvaluator

EXHAUSTIVE_MAX = 10
EXHAUSTIVE_LEAVES = 30_000  # assignments the would-recommend share allows, enumerated up to
SWEEPS, BURN_IN = 150, 30  # at most; fewer for long histories (see sweeps_for)
BUDGET = 30_000  # single-site updates in all, so the time stays about linear
SWAPS = 300  # swap moves per sweep, at most


def sweeps_for(n: int) -> tuple[int, int]:
    sweeps = max(20, min(SWEEPS, BUDGET // max(1, n)))
    return sweeps, max(BURN_IN * sweeps // SWEEPS, 5)


_NEVER = -1e18


@dataclass
class Tally:
    """Posterior mass per contract and state, and of the count of non-positive states."""

    state_mass: list[list[float]]
    count_mass: dict[int, float]  # clients who would not recommend (passive or negative)
    negative_mass: dict[int, float]  # negative ones only
    best: tuple[float, tuple[int, ...]] | None = None  # (log weight, states) of the top one
    total: float = 0.0
    evaluated: int = 0
    # posterior mass of the score on the report date (``MultiEvaluator``'s last score)
    now_mass: dict[float | None, float] = field(default_factory=dict)
    # posterior mass of each assignment, keyed by its non-positive (index, state) pairs
    world_mass: dict[tuple[tuple[int, int], ...], float] = field(default_factory=dict)
    world_now: dict[tuple[tuple[int, int], ...], float | None] = field(default_factory=dict)

    def add(self, states: Sequence[int], weight: float, log_weight: float,
            now: Any = UNSEEN) -> None:
        """One assignment, with its score on the report date (``now``) when watched."""
        self.evaluated += 1
        if self.best is None or log_weight > self.best[0] + 1e-12:
            self.best = (log_weight, tuple(states))
        if weight <= 0:
            return
        if now is not UNSEEN:
            key = None if now is None else round(now, 2)
            self.now_mass[key] = self.now_mass.get(key, 0.0) + weight
        self.total += weight
        world = tuple((i, s) for i, s in enumerate(states) if s)
        if world not in self.world_mass and now is not UNSEEN:
            self.world_now[world] = now
        self.world_mass[world] = self.world_mass.get(world, 0.0) + weight
        for i, s in enumerate(states):
            self.state_mass[i][s] += weight
        k = sum(1 for s in states if s != 0)
        self.count_mass[k] = self.count_mass.get(k, 0.0) + weight
        k = sum(1 for s in states if s == 2)
        self.negative_mass[k] = self.negative_mass.get(k, 0.0) + weight


LogLik = Callable[[Any, int], float]  # (score(s), positives among wr contracts) -> log L


def leaves(free: Sequence[Free], allowed: set[int]) -> int:
    """How many assignments give a count of positive deciders in ``allowed``."""
    deciders = sum(1 for f in free if f.counts_for_wr)
    others = len(free) - deciders
    return int(3 ** others) * sum(math.comb(deciders, p) * int(2 ** (deciders - p))
                             for p in allowed if 0 <= p <= deciders)


def enumerate_all(ev: Searchable, free: Sequence[Free], loglik: LogLik,
                  allowed: set[int] | None = None) -> Tally:
    """Every assignment, depth first, swapping one outcome at a time (``allowed``: only
    those whose count of positive deciders is in it)."""
    n = len(free)
    tally = Tally([[0.0] * 3 for _ in free], {}, {})
    states = [0] * n
    after = [0] * (n + 1)  # deciders from i on
    for i in range(n - 1, -1, -1):
        after[i] = after[i + 1] + free[i].counts_for_wr
    low, high = (min(allowed), max(allowed)) if allowed else (0, n)

    def walk(i: int, wr_pos: int, log_prior: float) -> None:
        if wr_pos > high or wr_pos + after[i] < low:
            return
        if i == n:
            score = ev.score()
            lw = log_prior + loglik(score, wr_pos)
            weight = math.exp(lw) if lw > -700 else 0.0
            tally.add(states, weight, lw, _now(ev) if weight > 0 else UNSEEN)
            return
        f = free[i]
        for s in range(3):
            ev.put(free, i, s, 1)
            states[i] = s
            walk(i + 1, wr_pos + (1 if f.counts_for_wr and s == 0 else 0),
                 log_prior + f.log_prior[s])
            ev.put(free, i, s, -1)

    walk(0, 0, 0.0)
    return tally


def gibbs(ev: Searchable, free: Sequence[Free], loglik: LogLik, start: Sequence[int],
          seed: int = 2020) -> Tally:
    """A seeded Gibbs sampler; ``start`` must satisfy the would-recommend constraint."""
    rng = random.Random(seed)
    # the budget counts scored dates: each snapshot's evaluator costs as much as one more
    # free contract per update
    parts = len(ev.parts) if isinstance(ev, MultiEvaluator) else 1
    sweeps, burn_in = sweeps_for(len(free) * parts)
    states = list(start)
    for i in range(len(free)):
        ev.put(free, i, states[i], 1)
    wr_pos = sum(1 for i, f in enumerate(free) if f.counts_for_wr and states[i] == 0)
    tally = Tally([[0.0] * 3 for _ in free], {}, {})
    wr_idx = [i for i, f in enumerate(free) if f.counts_for_wr]

    exp, score_in = math.exp, ev.score_in
    for sweep in range(sweeps):
        score = ev.score()
        here: dict[int, float] = {}  # loglik(score, positives) at the current score
        for i, f in enumerate(free):
            old = states[i]
            wr, lp = f.counts_for_wr, f.log_prior
            others = wr_pos - (wr and old == 0)  # positives among the other deciders
            if f.moves_score:
                # the state it is in scores ``score``: its likelihood is known once asked
                positives = others + wr if old == 0 else others
                stay = here.get(positives)
                if stay is None:
                    stay = here[positives] = loglik(score, positives)
                l0 = lp[0] + (stay if old == 0 else loglik(score_in(free, i, old, 0), others + wr))
                l1 = lp[1] + (stay if old == 1 else loglik(score_in(free, i, old, 1), others))
                l2 = lp[2] + (stay if old == 2 else loglik(score_in(free, i, old, 2), others))
            else:  # only the would-recommend count differs between its states
                same = here.get(others)
                if same is None:
                    same = here[others] = loglik(score, others)
                if wr:
                    up = here.get(others + 1)
                    if up is None:
                        up = here[others + 1] = loglik(score, others + 1)
                    l0 = lp[0] + up
                else:
                    l0 = lp[0] + same
                l1, l2 = lp[1] + same, lp[2] + same
            top = l0 if l0 >= l1 else l1
            if l2 > top:
                top = l2
            if top <= _NEVER / 2:
                continue
            w0, w1, w2 = exp(l0 - top), exp(l1 - top), exp(l2 - top)
            pick = rng.random() * (w0 + w1 + w2)
            new = 0 if pick < w0 else 1 if pick < w0 + w1 else 2
            if new == old:
                continue
            _move(ev, free, states, i, new)
            wr_pos += (f.counts_for_wr and new == 0) - (f.counts_for_wr and old == 0)
            if f.moves_score:
                score = ev.score()
                here = {}
        # Swap moves: a positive and a non-positive decider trade states, which keeps the
        # would-recommend count (single-site moves alone cannot change it under the constraint).
        for _ in range(min(len(wr_idx), SWAPS)):
            i, j = rng.choice(wr_idx), rng.choice(wr_idx)
            if states[i] != 0:
                i, j = j, i
            if states[i] != 0 or states[j] == 0:
                continue
            sj = states[j]
            old_lw = loglik(score, wr_pos) + free[i].log_prior[0] + free[j].log_prior[sj]
            _move(ev, free, states, i, sj)
            _move(ev, free, states, j, 0)
            moved = ev.score() if free[i].moves_score or free[j].moves_score else score
            new_lw = loglik(moved, wr_pos) + free[i].log_prior[sj] + free[j].log_prior[0]
            if new_lw < old_lw and rng.random() >= math.exp(max(-700.0, new_lw - old_lw)):
                _move(ev, free, states, j, sj)
                _move(ev, free, states, i, 0)
            else:
                score = moved
                here = {}
        if sweep >= burn_in:
            lw = loglik(score, wr_pos) + sum(free[i].log_prior[s] for i, s in enumerate(states))
            tally.add(states, 1.0, lw, _now(ev))
    return tally


def _now(ev: Searchable) -> object:
    return ev.now() if isinstance(ev, MultiEvaluator) else UNSEEN


def _move(ev: Searchable, free: Sequence[Free], states: list[int], i: int, s: int) -> None:
    ev.move(free, i, states[i], s)
    states[i] = s
