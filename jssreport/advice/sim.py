"""Re-running the model on modified contract lists, cheaply.

Every number the advice shows comes from the model (``outcome_of`` and the window sums of
``jssreport.model``) run on a modified copy of the records: a contract ended on a date with a
given feedback, a contract added or removed. Nothing is written by hand. Four shortcuts keep
this linear in the number of contracts:

- ``Scorer`` keeps one date's window sums and swaps single outcomes in and out, so the effect
  of changing one contract costs O(1) instead of re-scoring everything;
- ``relevant`` drops contracts that ended more than 24 months before a date: their outcome
  counts on their end date, so they are in no window then (this does not change any score);
- many dates at once go through the model's incremental sweep (``sweep_scores``);
- ``Projector`` advances one sweep to the report date and copies it for every projection and
  what-if from then on (the no-change line, the paths, the roll-off dates, the scorers of
  later dates), so each costs the contracts it changes and the events after the date.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache

from jssreport.model.outcomes import Outcome, Verdict, judge, outcome_of
from jssreport.model.rules import RuleSet, resolve_rules
from jssreport.model.timeline import Sweep, sweep_scores
from jssreport.model.types import Contract, Feedback, Payment
from jssreport.model.windows import (
    WINDOW_MONTHS,
    WindowSums,
    best_window,
    months_before,
    round_half_up,
    window_start,
    with_trending,
)

# How advice writes an amount: the report passes its one formatter (textformat.format_money
# with the profile's currency); advice alone imports only the model, so this is the default.
Money = Callable[[float], str]


def dollars(amount: float) -> str:
    """``$1,234.50``: an amount when no formatter is given."""
    return f"${amount:,.2f}"

# What "the client rates poorly / well" means in every effect range.
POOR_STARS, POOR_RECOMMEND = 2.0, 3
GOOD_STARS, GOOD_RECOMMEND = 5.0, 10


def poor_feedback(on: date) -> Feedback:
    return Feedback(date=on, stars=POOR_STARS, recommend=POOR_RECOMMEND)


def good_feedback(on: date) -> Feedback:
    return Feedback(date=on, stars=GOOD_STARS, recommend=GOOD_RECOMMEND)


def ended(contract: Contract, on: date, feedback: Feedback | None) -> Contract:
    """``contract`` ended on ``on`` with ``feedback`` (None: the client leaves none)."""
    return contract.evolve(end=on, feedback=feedback)


def known_on(contracts: Iterable[Contract], on: date) -> tuple[Contract, ...]:
    """The records as they stood on ``on``: later payments, ends and feedback dropped.

    Projections ("no new work") start from this, so a report built for a past date does not
    see what happened after it.
    """
    return tuple(_known(c, on) for c in contracts if c.start <= on)


def _known(c: Contract, on: date) -> Contract:
    pays = c.effective_payments
    later_pay = bool(pays) and pays[-1].date > on
    later_end = c.end is not None and c.end > on
    fb = c.feedback
    later_fb = fb is not None and (later_end or (fb.date is not None and fb.date > on))
    later_act = c.last_activity is not None and c.last_activity > on
    if not (later_pay or later_end or later_fb or later_act):
        return c
    changes: dict[str, object] = {}
    if later_end:
        changes.update(end=None, ended_by=None, end_reason=None, dispute=False)
    if later_fb:
        changes["feedback"] = None
    if later_act:
        changes["last_activity"] = None
    return c.paid_by(on, **changes) if later_pay else c.evolve(**changes)


def relevant(contracts: Iterable[Contract], on: date) -> list[Contract]:
    """Contracts that can count on or after ``on`` (the others ended before every window)."""
    oldest = months_before(on, 24)
    return [c for c in contracts if c.end is None or c.end >= oldest]


def new_job(cid: str, end: date, amount: float, stars: float = 5.0, days: int = 14) -> Contract:
    """A new fixed-price job from a new client, paid and rated on ``end``."""
    return Contract(id=cid, client=f"New client {cid}", title="New job", type="fixed",
                    start=end - timedelta(days=days), end=end,
                    payments=(Payment(end, amount),), feedback=Feedback(date=end, stars=stars))


def delta(after: int | None, before: int | None) -> int | None:
    return None if after is None or before is None else after - before


class Updates:
    """The platform's update dates (every 14 days from the first contract, or daily)."""

    def __init__(self, contracts: Sequence[Contract], rule_id: str, until: date) -> None:
        first = min((c.start for c in contracts), default=until)
        self.days = _update_days(first, rule_id, until)

    def next_on_or_after(self, day: date) -> date:
        """The first update date on or after ``day`` (the day itself past the known grid)."""
        i = bisect_left(self.days, day)
        return self.days[i] if i < len(self.days) else day

    def between(self, start: date, end: date) -> list[date]:
        """Update dates from ``start`` to ``end`` inclusive."""
        days = self.days  # ascending
        return list(days[bisect_left(days, start):bisect_right(days, end)])


@lru_cache(maxsize=32)
def _update_days(first: date, rule_id: str, until: date) -> tuple[date, ...]:
    """The update dates from ``first`` to the first one past ``until`` (the advice asks for
    the same grid several times)."""
    days = [first]
    while days[-1] <= until:
        step = resolve_rules(rule_id, days[-1]).update_days_on(days[-1])
        days.append(days[-1] + timedelta(days=step))
    return tuple(days)


class Scorer:
    """The model's window sums on one date, with single contracts swapped in and out."""

    def __init__(self, contracts: Sequence[Contract], on: date, rule_id: str = "auto") -> None:
        rules = resolve_rules(rule_id, on)
        self._start(on, rules, contracts, [judge(c, on, rules) for c in contracts], None)

    @classmethod
    def of_sweep(cls, sweep: Sweep, index: dict[str, int] | None = None) -> Scorer:
        """The scorer on the sweep's current date, from its sums (no contract re-scored);
        ``index``: the position of each contract id in the sweep, when already known."""
        assert sweep.day is not None and sweep.rules is not None
        verdicts = sweep.current.copy()
        assert all(v is not None for v in verdicts), "every contract has been judged"
        scorer = cls.__new__(cls)
        scorer._start(sweep.day, sweep.rules, sweep.contracts, verdicts,  # type: ignore[arg-type]
                      {name: s.copy() for name, s in sweep.sums.items()}, index)
        return scorer

    def _start(self, on: date, rules: RuleSet, contracts: Sequence[Contract],
               verdicts: list[Verdict], sums: dict[str, WindowSums] | None,
               index: dict[str, int] | None = None) -> None:
        self.on = on
        self.rules = rules
        self.contracts = contracts
        self.index = index if index is not None else {c.id: i for i, c in enumerate(contracts)}
        self.verdicts = verdicts
        self.starts = {name: window_start(on, name) for name in WINDOW_MONTHS}
        self._outcomes: dict[int, Outcome] = {}
        self._seen: dict[tuple[object, ...], float | None] = {}  # scores by shape (_shape)
        if sums is None:  # as ``window_sums`` adds them: in order
            self.sums = {name: WindowSums() for name in WINDOW_MONTHS}
            for c, v in zip(contracts, verdicts, strict=True):
                self._place(v, c.client, 1)
        else:
            self.sums = sums
        self.base = self._score()

    def _score(self) -> float | None:
        raw = with_trending({n: s.score(self.rules) for n, s in self.sums.items()}, self.rules)
        return best_window(raw)[0]

    def _place(self, v: Verdict, client: str, sign: int) -> None:
        _, credit, weight, counts_on, _ = v
        if counts_on is None or weight <= 0 or counts_on > self.on:
            return
        for name, start in self.starts.items():
            if counts_on >= start:
                self.sums[name].put(weight, credit, client, sign)

    @property
    def score(self) -> float | None:
        return self.base

    @property
    def jss(self) -> int | None:
        return None if self.base is None else round_half_up(self.base)

    def verdict(self, contract_id: str) -> Verdict:
        return self.verdicts[self.index[contract_id]]

    def outcome(self, contract_id: str) -> Outcome:
        """The contract's outcome on the date, reason included."""
        i = self.index[contract_id]
        if i not in self._outcomes:
            self._outcomes[i] = outcome_of(self.contracts[i], self.on, self.rules)
        return self._outcomes[i]

    def score_with(self, changed: Mapping[str, Contract | None] | None = None,
                   added: Sequence[Contract] = ()) -> float | None:
        """The unrounded displayed score with some contracts replaced (None: removed) or added."""
        verdicts = {cid: None if new is None else (judge(new, self.on, self.rules), new.client)
                    for cid, new in (changed or {}).items()}
        return self._swapped(verdicts, [(judge(c, self.on, self.rules), c.client) for c in added])

    def jss_with_verdicts(self, changed: Mapping[str, Verdict]) -> int | None:
        """``jss_with`` given the changed contracts' verdicts on the date (the same contracts:
        their clients stay)."""
        value = self._swapped({cid: (v, self.contracts[self.index[cid]].client)
                               for cid, v in changed.items()}, [])
        return None if value is None else round_half_up(value)

    def _swapped(self, changed: Mapping[str, tuple[Verdict, str] | None],
                 added: Sequence[tuple[Verdict, str]]) -> float | None:
        shape = self._shape(changed) if len(changed) == 1 and not added else None
        if shape is not None and shape in self._seen:
            return self._seen[shape]
        value = self._swap(changed, added)
        if shape is not None:
            self._seen[shape] = value
        return value

    def _shape(self, changed: Mapping[str, tuple[Verdict, str] | None]
               ) -> tuple[object, ...] | None:
        """What the score with one contract's outcome replaced depends on: the two outcomes'
        numbers and how many outcomes its client has in each window (none, one, more). The
        advice asks this for thousands of contracts that share a few shapes."""
        ((cid, new),) = changed.items()
        if new is None or cid not in self.index:
            return None
        i = self.index[cid]
        client = self.contracts[i].client
        if new[1] != client:
            return None
        return (self.verdicts[i][:4], new[0][:4],
                tuple(min(s.clients.get(client, 0), 2) for s in self.sums.values()))

    def _swap(self, changed: Mapping[str, tuple[Verdict, str] | None],
              added: Sequence[tuple[Verdict, str]]) -> float | None:
        swaps: list[tuple[Verdict, str, int]] = []
        for cid, new in changed.items():
            if cid in self.index:  # else it ended before every window: nothing to take out
                i = self.index[cid]
                swaps.append((self.verdicts[i], self.contracts[i].client, -1))
            if new is not None:
                swaps.append((*new, 1))
        swaps.extend((v, client, 1) for v, client in added)
        for v, client, sign in swaps:
            self._place(v, client, sign)
        try:
            return self._score()
        finally:
            for v, client, sign in reversed(swaps):
                self._place(v, client, -sign)

    def jss_with(self, changed: Mapping[str, Contract | None] | None = None,
                 added: Sequence[Contract] = ()) -> int | None:
        value = self.score_with(changed, added)
        return None if value is None else round_half_up(value)


class Scorers:
    """One ``Scorer`` per date, built on demand (from ``projector`` on and after its date)."""

    def __init__(self, contracts: Sequence[Contract], rule_id: str = "auto",
                 projector: Projector | None = None) -> None:
        self.contracts = contracts
        self.rule_id = rule_id
        self.projector = projector
        self._by_date: dict[date, Scorer] = {}

    def on(self, day: date) -> Scorer:
        if day not in self._by_date:
            p = self.projector
            self._by_date[day] = p.scorer(day) if p is not None and day >= p.on else \
                Scorer(relevant(self.contracts, day), day, self.rule_id)
        return self._by_date[day]


class Projector:
    """The model's sweep over the records as known on ``on``, advanced to ``on`` once.

    Every projection from ``on`` (no change, what-ifs, scorers on later dates) copies it and
    moves the copy forward, so only the contracts that change are scored again; the scores are
    the model's on the whole records, exactly as a fresh sweep would give them.
    """

    def __init__(self, contracts: Sequence[Contract], on: date, rule_id: str = "auto") -> None:
        self.on = on
        self.rule_id = rule_id
        self.known = known_on(contracts, on)
        pool = relevant(self.known, on)
        self.index = {c.id: i for i, c in enumerate(pool)}
        self.base = Sweep(pool)
        self.base.advance(on, resolve_rules(rule_id, on))
        self._scorers: dict[date, Scorer] = {}
        # The no-change line: several projections ask for it over the same months, so one copy
        # goes forward as far as asked and keeps what it found.
        self._line: dict[date, tuple[int | None, float | None]] = {}
        self._line_sweep = self.base.copy()

    def sweep(self, changed: Mapping[str, Contract] | None = None,
              added: Sequence[Contract] = ()) -> Sweep:
        """A copy on ``on`` with some known contracts replaced and some added."""
        sweep = self.base.copy()
        for cid, new in (changed or {}).items():
            # One that ended before every window is not in the pool: added, it is scored anew.
            sweep.put(new, self.index.get(cid))
        for c in added:
            sweep.put(c)
        return sweep

    def scores(self, days: Sequence[date], changed: Mapping[str, Contract] | None = None,
               added: Sequence[Contract] = ()) -> list[tuple[date, int | None, float | None]]:
        """``scores_on`` the known records with the changes, on ``days`` (none before ``on``)."""
        wanted = sorted(set(days))
        if not wanted:
            return []
        if wanted[0] < self.on:
            raise ValueError(f"cannot project back to {wanted[0]} from {self.on}")
        if changed or added:
            found = self._advance(self.sweep(changed, added), wanted)
        else:
            found = self._line
            line = self._line_sweep
            assert line.day is not None
            missing = [d for d in wanted if d not in found]
            passed = [d for d in missing if d < line.day]  # scored by a copy from the start
            found.update(self._advance(line, [d for d in missing if d >= line.day]))
            found.update(self._advance(self.base.copy(), passed))
        return [(d, *found[d]) for d in days]

    def _advance(self, sweep: Sweep, days: Sequence[date]
                 ) -> dict[date, tuple[int | None, float | None]]:
        """The displayed JSS and the unrounded score on each of ``days`` (ascending)."""
        found = {}
        for day in days:
            score = best_window(sweep.advance(day, resolve_rules(self.rule_id, day)))[0]
            found[day] = (None if score is None else round_half_up(score), score)
        return found

    def scorer(self, day: date) -> Scorer:
        """The known records' scorer on ``day`` (on or after ``on``)."""
        if day not in self._scorers:
            sweep = self.base.copy()
            sweep.advance(day, resolve_rules(self.rule_id, day))
            self._scorers[day] = Scorer.of_sweep(sweep, self.index)
        return self._scorers[day]


def scores_on(contracts: Sequence[Contract], days: Sequence[date],
              rule_id: str = "auto") -> list[tuple[date, int | None, float | None]]:
    """(day, displayed JSS, unrounded score) on each of ``days`` (any order), by the model."""
    wanted = sorted(set(days))
    if not wanted:
        return []
    found: dict[date, tuple[int | None, float | None]] = {}
    pool = relevant(contracts, wanted[0])
    for day, _rules, raw in sweep_scores(pool, wanted, rule_id):
        score = best_window(raw)[0]
        found[day] = (None if score is None else round_half_up(score), score)
    return [(d, *found[d]) for d in days]


def sums_copy(sums: Mapping[str, WindowSums]) -> dict[str, WindowSums]:
    return {n: s.copy() for n, s in sums.items()}
