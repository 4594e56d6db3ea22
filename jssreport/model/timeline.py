"""The score at many dates, computed incrementally over events.

Re-scoring every window from scratch at every update date costs dates x contracts. Instead a
sweep keeps each window's additive sums and only touches a contract when something about it
can change (a payment, its end, its feedback, a grace period running out) or when its outcome
leaves a window. The cost grows with the number of events, not with dates x contracts:

- only dates that can change what a contract counts for are events (``change_dates``): a
  payment to an open contract that stays pending, or a grace period that ends after the
  contract did, is none;
- a contract ended before the 24-month window is never scored again (it cannot count again);
- a long-term contract paid again keeps its place in the windows (its date moves on);
- the work is on verdicts, an outcome's numbers without its words (``outcomes.judge``).

``tests/test_model_timeline.py`` checks all of it against scoring each day from scratch.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from jssreport.model.derived import SideTable
from jssreport.model.outcomes import (
    FEEDBACK_DAYS,
    LONG_TERM_GAP,
    LONG_TERM_SPAN,
    Verdict,
    judge,
)
from jssreport.model.rules import RULESETS, RuleSet, resolve_rules
from jssreport.model.types import Contract
from jssreport.model.windows import WINDOW_MONTHS, WindowSums, window_start, with_trending

_IDLE_DAYS = sorted({r.idle_open_days for r in RULESETS.values() if r.idle_open_days})
_IDLE_GRACES = tuple(_IDLE_DAYS)  # days after a touch until a grace period runs out
_GRACES = (LONG_TERM_GAP + 1, *_IDLE_GRACES)
_SHORTEST_GRACE = min(LONG_TERM_GAP, *_IDLE_DAYS)


def _change_dates(c: Contract) -> tuple[date, ...]:
    """Every date on which ``judge(c, day, rules)`` may count differently than the day before.

    Over-inclusion is harmless (the contract is merely re-scored); a missing date would leave a
    stale outcome, so every threshold the outcome rules test appears here. The start is one
    only when the contract can count on its first day (ended then, or paid before) or was
    judged before: otherwise it is pending then, as before it started.

    While a contract is open it counts only as a long-term relationship (paid at least every
    90 days over at least 90 days, still paying) or, under older rules, once idle for months;
    otherwise it is pending, and a payment that leaves it pending changes nothing the scores
    read (its weight only matters once it counts, and it is scored again then).
    """
    dates = c._dates
    days = {c.start} if (c.end is not None and c.end <= c.start) or \
        (dates and dates[0] <= c.start) else set()
    # Day numbers, so the loop over (possibly hundreds of) payments does no date arithmetic.
    touches = [c.start.toordinal(), *[d.toordinal() for d in dates]]
    gaps = c._max_gap
    end = None if c.end is None else c.end.toordinal()
    long_term = [False] * len(touches)  # per touch: long-term right after it
    for i, paid_on in enumerate(dates):
        # A payment matters when the contract is long-term after it (each moves the date the
        # outcome counts on, and may change its weight), when it comes after the end (the
        # weight), or when it renews a grace period that had run out (long-term or idle).
        day = touches[i + 1]
        now = i + 1  # payments up to and including that day
        while now < len(dates) and touches[now + 1] == day:
            now += 1
        long_term[i + 1] = day - touches[1] >= LONG_TERM_SPAN and gaps[now] <= LONG_TERM_GAP
        late = end is not None and day >= end
        renews = day - touches[i] > _SHORTEST_GRACE
        if long_term[i + 1] or late or renews:
            days.add(paid_on)
    # A grace period after a touch (payment or start) only runs out if no later touch renews it,
    # and only matters while the contract is open (an ended one's outcome reads the payments,
    # the feedback and the end, never how long ago it was paid): the long-term one only after
    # a payment that left the contract long-term, the idle ones after any touch.
    for i, touched in enumerate(touches):
        gap = touches[i + 1] - touched if i + 1 < len(touches) else None
        if gap is not None and gap <= _SHORTEST_GRACE:
            continue  # renewed before any grace period could run out
        for grace in _IDLE_GRACES if not long_term[i] else _GRACES:
            if (gap is None or gap > grace) and (end is None or touched + grace < end):
                days.add(date.fromordinal(touched + grace))
    if c.end is not None and end is not None:
        # On its end day an ended contract is pending (the client has 14 days to rate it)
        # unless it ended in a dispute or its feedback is already visible; the day matters
        # then, or when it counted while open: long-term, or idle under the older rules.
        fb = c.feedback
        paid = bisect_left(touches, end, 1)  # touches before the end day: start and payments
        last = touches[paid - 1]
        open_counted = long_term[paid - 1] or end - last > _IDLE_GRACES[0]
        visible = fb is not None and (fb.date is None or fb.date <= c.end)
        if c.dispute or c.end_reason == "dispute" or visible or open_counted or end <= touches[0]:
            days.add(c.end)
        if fb is None:  # else it stays pending until the feedback shows
            days.add(c.end + timedelta(days=FEEDBACK_DAYS))
    if c.feedback is not None and c.feedback.date is not None:
        days.add(c.feedback.date)
    if days and min(days) < c.start:  # judged before it started: judged again when it does
        days.add(c.start)
    return tuple(sorted(days))


class Sweep:
    """Window sums that move forward in time one date at a time.

    A copy goes on independently, with some contracts changed or added from its current date
    (``put``): the advice's what-ifs fork one sweep instead of re-scoring every contract.
    """

    def __init__(self, contracts: Sequence[Contract]) -> None:
        self.contracts = list(contracts)
        self.changes = [change_dates(c) for c in contracts]
        self.current: list[Verdict | None] = [None] * len(contracts)
        self.version = [0] * len(contracts)
        self.sums = {name: WindowSums() for name in WINDOW_MONTHS}
        # per window: heap of (counts_on, index, version) for outcomes inside it
        self.members: dict[str, list[tuple[date, int, int]]] = {n: [] for n in WINDOW_MONTHS}
        self.inside: dict[str, set[int]] = {n: set() for n in WINDOW_MONTHS}
        # the contracts to re-score on each date, and those dates as a heap
        self.due: dict[date, list[int]] = {}
        self.due_days: list[date] = []
        # the days whose list in ``due`` is this sweep's alone (a copy shares the others with
        # its original until either adds to them: copying them all made a what-if cost O(n))
        self.owned: set[date] = set()
        for i, changes in enumerate(self.changes):
            if changes:  # none: it never counts
                self._due(changes[0], i)
        self.rules: RuleSet | None = None
        self.day: date | None = None
        self.starts: dict[str, date] = {}

    def copy(self) -> Sweep:
        new = Sweep(())
        new.contracts, new.changes = list(self.contracts), list(self.changes)
        new.current, new.version = list(self.current), list(self.version)
        new.sums = {name: s.copy() for name, s in self.sums.items()}
        new.members = {name: list(heap) for name, heap in self.members.items()}
        new.inside = {name: set(found) for name, found in self.inside.items()}
        new.due = dict(self.due)
        self.owned = set()  # every list is shared now
        new.due_days = list(self.due_days)
        new.rules, new.day, new.starts = self.rules, self.day, dict(self.starts)
        return new

    def put(self, contract: Contract, index: int | None = None) -> int:
        """Put ``contract`` in place of contract ``index`` (None: add it), scored from the
        current date on; returns its index."""
        if index is None:
            index = len(self.contracts)
            self.contracts.append(contract)
            self.changes.append(change_dates(contract))
            self.current.append(None)
            self.version.append(0)
        else:
            self._remove(index)
            self.contracts[index] = contract
            self.changes[index] = change_dates(contract)
        if self.rules is not None and self.day is not None and contract.start <= self.day:
            self._rescore(index, self.day, self.rules)
        else:
            self._due(contract.start, index)
        return index

    def _due(self, day: date, i: int) -> None:
        found = self.due.get(day)
        if found is None:
            self.due[day] = [i]
            self.owned.add(day)
            heapq.heappush(self.due_days, day)
        elif day in self.owned:
            found.append(i)
        else:  # shared with a copy: this sweep's own list from now on
            self.due[day] = [*found, i]
            self.owned.add(day)

    def verdict(self, index: int) -> Verdict | None:
        """The verdict on contract ``index`` as far as the scores go (its reason may be from an
        earlier date); None before it is first judged, which may be after its start while it
        cannot count yet (see ``change_dates``)."""
        return self.current[index]

    def _remove(self, i: int) -> None:
        old = self.current[i]
        if old is None:
            return
        _, credit, weight, _, _ = old
        client = self.contracts[i].client
        for name in WINDOW_MONTHS:
            if i in self.inside[name]:
                self.inside[name].discard(i)
                self.sums[name].put(weight, credit, client, -1)
        self.current[i] = None
        self.version[i] += 1

    def _place(self, i: int, v: Verdict, day: date) -> None:
        self.current[i] = v
        _, credit, weight, counts_on, _ = v
        if counts_on is None or weight <= 0 or counts_on > day:
            return
        client = self.contracts[i].client
        for name, start in self.starts.items():
            if counts_on >= start:
                self.sums[name].put(weight, credit, client)
                self.inside[name].add(i)
                heapq.heappush(self.members[name], (counts_on, i, self.version[i]))

    def _later(self, i: int, v: Verdict) -> None:
        """The same outcome counting on a later date (a long-term contract paid again): it
        stays in its windows and enters those it had left. Its heap entries keep the old date;
        when one comes up, the outcome is put back in the heap with its date then."""
        self.current[i] = v
        _, credit, weight, counts_on, _ = v
        assert counts_on is not None
        client = self.contracts[i].client
        for name, start in self.starts.items():
            if counts_on >= start and i not in self.inside[name]:
                self.sums[name].put(weight, credit, client)
                self.inside[name].add(i)
                heapq.heappush(self.members[name], (counts_on, i, self.version[i]))

    def _rescore(self, i: int, day: date, rules: RuleSet) -> None:
        new = judge(self.contracts[i], day, rules)
        old = self.current[i]
        # What the scores read (the reason may change daily; the client never does).
        if old is not None and old[:4] == new[:4]:
            self.current[i] = new
        elif old is not None and old[:3] == new[:3] and old.weight > 0 and \
                old.counts_on is not None and new.counts_on is not None and \
                old.counts_on < new.counts_on <= day:
            self._later(i, new)
        else:
            self._remove(i)
            self._place(i, new, day)
        changes = self.changes[i]
        nxt = bisect_right(changes, day)
        if nxt < len(changes):
            self._due(changes[nxt], i)

    def advance(self, day: date, rules: RuleSet) -> dict[str, float | None]:
        self.day = day
        self.starts = {name: window_start(day, name) for name in WINDOW_MONTHS}
        # A contract that ended before the 24-month window counts on its end date if at all,
        # so it is in no window now or later (window starts only move forward): retired.
        oldest = self.starts["24m"]
        contracts = self.contracts
        if rules is not self.rules:
            # A new rule set changes every outcome: re-score everything that has started.
            self.rules = rules
            started = {i for found in self.due.values() for i in found
                       if contracts[i].start <= day}
            started |= {i for i, v in enumerate(self.current) if v is not None}
            for when in list(self.due):
                self.due[when] = [i for i in self.due[when] if i not in started]
            self.due_days = sorted(when for when, found in self.due.items() if found)
            self.due = {when: self.due[when] for when in self.due_days}
            for i in sorted(started):
                end = contracts[i].end
                if end is None or end >= oldest:
                    self._rescore(i, day, rules)
        due: set[int] = set()
        while self.due_days and self.due_days[0] <= day:
            due.update(self.due.pop(heapq.heappop(self.due_days)))
        for i in sorted(due):
            end = contracts[i].end
            if end is None or end >= oldest:
                self._rescore(i, day, rules)
        for name, start in self.starts.items():
            heap = self.members[name]
            while heap and heap[0][0] < start:
                _, i, version = heapq.heappop(heap)
                if version == self.version[i] and i in self.inside[name]:
                    v = self.current[i]
                    assert v is not None and v.counts_on is not None
                    if v.counts_on >= start:  # it counts on a later date now (see _later)
                        heapq.heappush(heap, (v.counts_on, i, version))
                        continue
                    self.inside[name].discard(i)
                    self.sums[name].put(v.weight, v.credit, contracts[i].client, -1)
        return with_trending({n: s.score(rules) for n, s in self.sums.items()}, rules)


def sweep_scores(contracts: Sequence[Contract], days: Sequence[date],
                 rule_id: str = "auto") -> Iterator[tuple[date, RuleSet, dict[str, float | None]]]:
    """Unrounded window scores at each of ``days`` (ascending)."""
    sweep = Sweep(contracts)
    for day in days:
        rules = resolve_rules(rule_id, day)
        yield day, rules, sweep.advance(day, rules)


# Every date on which the contract may count differently (``_change_dates``), once per object.
change_dates: SideTable[Contract, tuple[date, ...]] = SideTable(_change_dates)
