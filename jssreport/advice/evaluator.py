"""The model's window sums on the snapshot dates with the free contracts' states swapped in
and out cheaply: what ``search`` scores each assignment with (docs/model.md, section 7, and
the "explain search" row of section 4).

A free contract's state changes only its credit, so its count, client and weight go into
the fixed totals once and a swap touches two floats per window; a trial state is scored
without touching the sums, from the window scores it does not change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jssreport.model.outcomes import Verdict
from jssreport.model.rules import RuleSet
from jssreport.model.windows import WINDOW_MONTHS, window_start

_NAMES = tuple(WINDOW_MONTHS)  # 24m, 12m, 6m, 3m
class _Stale:
    """An Evaluator's score not computed since the last change: one object, which a copy of
    an Evaluator keeps (``copy`` and ``pickle`` take it by name)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "_STALE"


_STALE = _Stale()
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
        fast = self.fast[i]
        if fast is None:
            self.add(free[i].verdicts[state], free[i].client, sign)
            self.ok = self._minimums()
            return
        ks, dpos, dneg = fast[state]
        if not ks:  # in no window in any state: the sums, and the score, stay as they are
            return
        self._score = _STALE
        self._values = None
        for k in ks:
            self.pos[k] += sign * dpos
            self.neg[k] += sign * dneg

    def move(self, free: Sequence[Free], i: int, old: int, new: int) -> None:
        """``put`` free contract ``i`` out of state ``old`` and in state ``new``: the same float
        operations, in one call (the sampler moves thousands of times)."""
        fast = self.fast[i]
        if fast is None:
            self.put(free, i, old, -1)
            self.put(free, i, new, 1)
            return
        if not fast[old][0]:  # in no window in any state: nothing moves
            return
        self._score = _STALE
        self._values = None
        ks, out_pos, out_neg = fast[old]
        _, in_pos, in_neg = fast[new]
        pos, neg = self.pos, self.neg
        for k in ks:
            pos[k] = pos[k] - out_pos + in_pos
            neg[k] = neg[k] - out_neg + in_neg

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

    def move(self, free: Sequence[Free], i: int, old: int, new: int) -> None:
        for ev, own in self.moving:
            ev.move(own, i, old, new)

    def now(self) -> float | None | object:
        """The watched date's score (UNSEEN without one)."""
        return UNSEEN if self.watched is None else self.watched[0].score()

    def score_in(self, free: Sequence[Free], i: int, old: int, new: int
                 ) -> tuple[float | None, ...]:
        return tuple([ev.score_in(own, i, old, new) if own[i].moves_score else ev.score()
                      for ev, own in self.parts])

    def score(self) -> tuple[float | None, ...]:
        return tuple(ev.score() for ev, _ in self.parts)
