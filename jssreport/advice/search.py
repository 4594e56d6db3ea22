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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jssreport.model.outcomes import Verdict
from jssreport.model.rules import RuleSet
from jssreport.model.windows import WINDOW_MONTHS, window_start

EXHAUSTIVE_MAX = 10
EXHAUSTIVE_LEAVES = 30_000  # assignments the would-recommend share allows, enumerated up to
SWEEPS, BURN_IN = 150, 30  # at most; fewer for long histories (see sweeps_for)
BUDGET = 30_000  # single-site updates in all, so the time stays about linear
SWAPS = 300  # swap moves per sweep, at most


def sweeps_for(n: int) -> tuple[int, int]:
    sweeps = max(20, min(SWEEPS, BUDGET // max(1, n)))
    return sweeps, max(BURN_IN * sweeps // SWEEPS, 5)


_NAMES = tuple(WINDOW_MONTHS)  # 24m, 12m, 6m, 3m
_NEVER = -1e18
_STALE = object()  # an Evaluator's score not computed since the last change
UNSEEN = object()  # no score on the report date was asked for


def _counted(v: Verdict) -> bool:
    """``Outcome.counted`` of a verdict."""
    return v.counts_on is not None and v.weight > 0


@dataclass(frozen=True)
class Free:
    """One free contract: its verdict (see ``model.outcomes.judge``) and log prior in each
    state, its client, and its would-recommend role."""

    verdicts: tuple[Verdict, ...]  # per state: positive, passive, negative (may be left out
    # when it does not move the score)
    client: str
    log_prior: tuple[float, ...]
    counts_for_wr: bool  # the client's latest rated contract
    moves_score: bool = True  # False: outside every window on the date (would-recommend only)


class Evaluator:
    """The model's window sums on one date, with free contracts' outcomes swapped cheaply.

    A free contract's state changes only its credit (its weight, windows and client stay), so
    its count, client and weight go into the fixed totals once and a swap touches two floats
    per window. The rare contract whose states differ otherwise ($0 with positive feedback is
    excluded) is swapped in full.
    """

    def __init__(self, fixed: Sequence[tuple[Verdict, str]], free: Sequence[Free], on: date,
                 rules: RuleSet) -> None:
        """``fixed``: the verdicts of the other contracts, with their clients."""
        self.on, self.rules = on, rules
        self.starts = [window_start(on, n) for n in _NAMES]
        self.pos = [0.0] * 4
        self.neg = [0.0] * 4
        self.wt = [0.0] * 4
        self.cnt = [0] * 4
        self.clients: list[Counter[str]] = [Counter() for _ in _NAMES]
        for v, client in fixed:
            self.add(v, client, 1)
        # per free contract: None (swap in full) or per state (windows, positive, negative)
        self.fast: list[list[tuple[tuple[int, ...], float, float]] | None] = []
        for f in free:
            if not f.moves_score:  # in no window in any state: a swap changes nothing
                self.fast.append([((), 0.0, 0.0)] * 3)
                continue
            shapes = {(self._windows(v), v.weight if _counted(v) else 0.0) for v in f.verdicts}
            if len(shapes) != 1:
                self.fast.append(None)
                continue
            ks, weight = shapes.pop()
            for k in ks:
                self.wt[k] += weight
                self.cnt[k] += 1
                self.clients[k][f.client] += 1
            self.fast.append([(ks, *self._credit(v)) for v in f.verdicts])
        self.ok = self._minimums()
        self._score: float | None | object = _STALE
        self._values: list[float | None] | None = None  # per window, as ``score`` reads them

    def _windows(self, v: Verdict) -> tuple[int, ...]:
        counts_on = v.counts_on
        if not _counted(v) or counts_on is None or counts_on > self.on:
            return ()
        return tuple(k for k, start in enumerate(self.starts) if counts_on >= start)

    @staticmethod
    def _credit(v: Verdict) -> tuple[float, float]:
        _, credit, weight, _, _ = v
        if credit > 0:
            return weight * credit, 0.0
        return 0.0, -weight * credit if credit < 0 else 0.0

    def _minimums(self) -> list[bool]:
        r = self.rules
        return [self.cnt[k] >= r.min_outcomes and len(self.clients[k]) >= r.min_clients
                and self.wt[k] > 0 for k in range(4)]

    def put(self, free: Sequence[Free], i: int, state: int, sign: int) -> None:
        """Add (sign 1) or take out (-1) free contract ``i`` in ``state``."""
        self._score = _STALE
        self._values = None
        fast = self.fast[i]
        if fast is None:
            self.add(free[i].verdicts[state], free[i].client, sign)
            self.ok = self._minimums()
            return
        ks, dpos, dneg = fast[state]
        for k in ks:
            self.pos[k] += sign * dpos
            self.neg[k] += sign * dneg

    def score_in(self, free: Sequence[Free], i: int, old: int, new: int) -> float | None:
        """The score with free contract ``i`` in state ``new`` instead of ``old``, leaving it in
        ``old`` and the sums untouched: the same float operations as two ``put`` calls (the
        sampler asks this twice per update, so only the windows the contract is in are
        worked out again)."""
        fast = self.fast[i]
        if fast is None:
            self.put(free, i, old, -1)
            self.put(free, i, new, 1)
            score = self.score()
            self.put(free, i, new, -1)
            self.put(free, i, old, 1)
            return score
        ks, out_pos, out_neg = fast[old]
        _, in_pos, in_neg = fast[new]
        values = self._values if self._values is not None else self._window_values()
        if ks:
            values = list(values)
            pos, neg, wt, ok = self.pos, self.neg, self.wt, self.ok
            lam = self.rules.negative_penalty
            for k in ks:
                if ok[k]:
                    raw = (pos[k] - out_pos + in_pos - lam * (neg[k] - out_neg + in_neg)) / wt[k]
                    values[k] = 100.0 * (raw if 0.0 < raw < 1.0 else 1.0 if raw >= 1.0 else 0.0)
        return self._best(values)

    def add(self, v: Verdict, client: str, sign: int) -> None:
        self._score = _STALE
        self._values = None
        _, credit, w, _, _ = v
        for k in self._windows(v):
            self.wt[k] += sign * w
            if credit > 0:
                self.pos[k] += sign * w * credit
            elif credit < 0:
                self.neg[k] -= sign * w * credit
            self.cnt[k] += sign
            self.clients[k][client] += sign
            if self.clients[k][client] <= 0:
                del self.clients[k][client]

    def score(self) -> float | None:
        """The displayed score, unrounded (kept until a contract is put in or taken out)."""
        found = self._score
        if found is _STALE:
            found = self._score = self._compute()
        return found  # type: ignore[return-value]

    def _compute(self) -> float | None:
        return self._best(self._values if self._values is not None else self._window_values())

    def _window_values(self) -> list[float | None]:
        """Each window's score (None where its minimums are not met), kept until a contract is
        put in or taken out."""
        lam = self.rules.negative_penalty
        pos, neg, wt = self.pos, self.neg, self.wt
        values: list[float | None] = [None] * 4
        for k, ok in enumerate(self.ok):
            if ok:
                raw = (pos[k] - lam * neg[k]) / wt[k]
                values[k] = 100.0 * (raw if 0.0 < raw < 1.0 else 1.0 if raw >= 1.0 else 0.0)
        self._values = values
        return values

    def _best(self, values: Sequence[float | None]) -> float | None:
        """``best_window`` of the window scores (written out: the sampler asks for it tens of
        thousands of times)."""
        best, twelve, six, three = values
        if twelve is not None and (best is None or twelve > best + 1e-9):
            best = twelve
        if six is not None and (best is None or six > best + 1e-9):
            best = six
        if self.rules.trending and six is not None and three is not None:
            trend = (six + three) / 2
            if best is None or trend > best + 1e-9:
                best = trend
        return best


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


class MultiEvaluator:
    """Several ``Evaluator``s (one per snapshot date) moved together: a free contract's state
    is one private rating, which every date sees. ``score`` is the tuple of their scores; the
    search passes it to the likelihood as it is. ``watched`` (the report date) moves too, but
    is scored only when a sample is kept (``now``): it is no evidence."""

    def __init__(self, evaluators: Sequence[tuple[Evaluator, Sequence[Free]]],
                 watched: tuple[Evaluator, Sequence[Free]] | None = None) -> None:
        self.parts = list(evaluators)
        self.watched = watched
        self.moving = self.parts + ([watched] if watched is not None else [])

    def put(self, free: Sequence[Free], i: int, state: int, sign: int) -> None:
        for ev, own in self.moving:
            ev.put(own, i, state, sign)

    def now(self) -> float | None | object:
        """The watched date's score (UNSEEN without one)."""
        return UNSEEN if self.watched is None else self.watched[0].score()

    def score_in(self, free: Sequence[Free], i: int, old: int, new: int
                 ) -> tuple[float | None, ...]:
        return tuple([ev.score_in(own, i, old, new) if own[i].moves_score else ev.score()
                      for ev, own in self.parts])

    def score(self) -> tuple[float | None, ...]:
        return tuple(ev.score() for ev, _ in self.parts)


Searchable = Evaluator | MultiEvaluator


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
    ev.put(free, i, states[i], -1)
    ev.put(free, i, s, 1)
    states[i] = s
