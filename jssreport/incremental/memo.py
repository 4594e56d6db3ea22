"""Compute results kept between builds, so a rebuild after a small edit redoes little.

The compute stage stays pure: it asks a ``Memo`` for an earlier result and hands it the new
one; ``Memo(None)`` keeps nothing (every result is computed), ``Memo(project)`` keeps them in
the user's cache directory (``jssreport.incremental.store``). Four kinds are kept:

- the JSS history, with a mark (verdict signature, first date it can count) of each contract
  it was swept from: the next build re-sweeps only from the first date a changed contract can
  touch (``model.history.resume_history``);
- the explanation of a snapshot, keyed by what ``explain`` reads of the records as they stood
  on the last date it reads (``explain_mark``): an edit after that date, or one that keeps
  every job size, keeps it;
- the outcomes on the report date, each by its contract's verdict signature;
- results made of verdicts alone (``kept``: Top Rated's 16 weeks, the outlook, the roll-off
  calendar, the paths to 90%/80% of the calibrated records), keyed by the contracts' verdict
  signatures (``model.history.verdicts_digest``).

Every key holds a fingerprint of jssreport's code, and a result is reused only for the same
inputs, so a kept result is never stale; ``JSSREPORT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from jssreport.incremental.store import CacheStore, entry_key
from jssreport.model.derived import SideTable
from jssreport.model.history import (
    HistoryPoint,
    HistoryState,
    Scores,
    resume_history,
    verdict_signature,
    verdicts_digest,
)
from jssreport.model.outcomes import Outcome, outcome_of
from jssreport.model.rules import resolve_rules
from jssreport.model.types import DESCRIPTIVE_FIELDS, Contract, Snapshot
from jssreport.model.windows import outcomes_on

if TYPE_CHECKING:
    from jssreport.advice.explain import Explanation

T = TypeVar("T")
KINDS = ("history", "explain", "outcomes", "kept")


class Memo:
    def __init__(self, store: CacheStore) -> None:
        self.store = store
        # outcomes by (rule setting, date): (those kept, those this build asked for), each by
        # verdict signature; written by ``prune`` when they differ
        self._outcomes: dict[tuple[str, date], tuple[dict[bytes, Outcome],
                                                      dict[bytes, Outcome]]] = {}

    def prune(self) -> None:
        """Keep the outcomes this build judged; forget what earlier builds kept and this one
        did not use."""
        for (rule_id, on), (kept, used) in self._outcomes.items():
            if used.keys() != kept.keys():  # a new judgement, or one no longer asked for
                self._put("outcomes", _outcomes_key(rule_id, on), used)
        self._outcomes.clear()
        for kind in KINDS:
            self.store.prune(kind)

    def _get(self, kind: str, key: str) -> object | None:
        return self.store.read(kind, key)

    def _put(self, kind: str, key: str, value: object) -> None:
        self.store.write(kind, key, value)

    def history(self, contracts: Sequence[Contract], end: date, rule_id: str,
                also_on: Sequence[date]) -> tuple[tuple[HistoryPoint, ...], dict[date, Scores]]:
        """``model.history.sweep_history``, resumed from the last build's sweep."""
        key = entry_key("history", repr((rule_id, sorted(set(also_on)))).encode())
        previous = self._get("history", key)
        if not isinstance(previous, HistoryState):
            previous = None
        points, found, state = resume_history(contracts, end, rule_id, also_on=also_on,
                                              previous=previous)
        if state is not None and state is not previous:
            self._put("history", key, state)
        return points, found

    def explain(self, contracts: Sequence[Contract], snapshot: Snapshot,
                rule_id: str, earlier: Sequence[Snapshot] = (),
                report_on: date | None = None) -> Explanation:
        """``advice.explain.explain``, or the explanation an earlier build found for the same
        records as they stood on the last date it reads (the report date, else the
        snapshot's)."""
        from jssreport.advice.explain import Explanation, explain
        from jssreport.advice.sim import known_on

        if not self.store:
            return explain(contracts, snapshot, rule_id, earlier=earlier, report_on=report_on)
        last = max(snapshot.date, report_on or snapshot.date)
        view = hashlib.sha256()
        for c in known_on(contracts, last):
            view.update(explain_mark(c))
        key = entry_key("explain", repr((snapshot, rule_id, tuple(earlier), report_on)).encode(),
                        view.digest())
        found = self._get("explain", key)
        if isinstance(found, Explanation):
            return found
        result = explain(contracts, snapshot, rule_id, earlier=earlier, report_on=report_on)
        self._put("explain", key, result)
        return result


    def scores(self, contracts: Sequence[Contract], days: Sequence[date],
               rule_id: str) -> list[tuple[date, int | None, float | None]]:
        """``advice.sim.scores_on``, or what an earlier build found for contracts of the same
        verdict signatures (``model.history``: judged alike on every date), in the same
        order, on the same days."""
        from jssreport.advice.sim import scores_on

        return self.kept("scores", lambda: scores_on(contracts, days, rule_id),
                         verdicts_digest(contracts), rule_id, list(days))


    def outcomes(self, contracts: Sequence[Contract], on: date,
                 rule_id: str) -> tuple[Outcome, ...]:
        """``model.windows.outcomes_on``, taking each contract's outcome from an earlier build
        where one of the same verdict signature was judged on the same date under the same
        rules (the outcome, its words included, is made of what the signature holds)."""
        if not self.store:
            return outcomes_on(contracts, on, rule_id)
        found = self._outcomes.get((rule_id, on))
        if found is None:
            kept = self._get("outcomes", _outcomes_key(rule_id, on))
            found = (kept if isinstance(kept, dict) else {}, {})
            self._outcomes[(rule_id, on)] = found
        kept, used = found
        rules = resolve_rules(rule_id, on)
        out = []
        for c in contracts:
            mark = verdict_signature(c)
            outcome = kept.get(mark)  # the signature holds the id: it is this contract's
            if outcome is None:
                outcome = outcome_of(c, on, rules)  # judged again: written by ``prune``
            used[mark] = outcome
            out.append(outcome)
        return tuple(out)


    def kept(self, name: str, compute: Callable[[], T], verdicts: bytes, *key: object) -> T:
        """``compute()``, or what an earlier build computed for contracts of the same verdict
        signatures (``verdicts``: ``model.history.verdicts_digest``) and the same ``key``."""
        if not self.store:
            return compute()
        entry = entry_key("kept", repr((name, key)).encode(), verdicts)
        found = self._get("kept", entry)
        if found is not None:
            return found  # type: ignore[return-value]
        result = compute()
        self._put("kept", entry, result)
        return result


def _outcomes_key(rule_id: str, on: date) -> str:
    return entry_key("outcomes", repr((rule_id, on)).encode())


def _amountless(c: Contract) -> bytes:
    """What ``explain`` reads of a contract: everything but the payment amounts, which reach
    the model only through the outcome's weight (``model.outcomes.judge``: the job size of the
    earnings, less refunds, after each payment, and whether they are zero): so a payment that
    keeps every size keeps the explanation, for an ended contract and an open one (whose end
    the search may judge on any date) alike, under every rule set. Computed once per contract
    and kept with the parsed records."""
    return amountless_of(c, verdict_signature(c))


def amountless_of(c: Contract, signature: bytes) -> bytes:
    """``_amountless(c)`` given ``c``'s verdict signature."""
    # the verdict signature holds every field the rules read, with the amounts as job sizes
    # (model.history); the descriptive fields are added as they are
    described = tuple(getattr(c, name) for name in DESCRIPTIVE_FIELDS)
    comment = None if c.feedback is None else c.feedback.comment
    return hashlib.sha256(repr((described, comment)).encode("utf-8", "surrogatepass")
                          + signature).digest()


amountless_mark: SideTable[Contract, bytes] = SideTable(_amountless)  # once per object
explain_mark = amountless_mark  # what explain reads of a contract (``_amountless``)
