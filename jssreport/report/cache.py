"""What the compute stage may be handed to reuse earlier builds' results: a ``ResultCache``.

The stage never knows where results are kept; ``UNCACHED`` computes everything, and the
pipeline hands it ``jssreport.incremental.memo.Memo`` (docs/architecture.md). Either way the
results are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from jssreport.advice.explain import Explanation, explain
from jssreport.advice.sim import scores_on
from jssreport.model.history import HistoryPoint, Scores, resume_history
from jssreport.model.outcomes import Outcome
from jssreport.model.types import Contract, Snapshot
from jssreport.model.windows import outcomes_on

T = TypeVar("T")
Scored = list[tuple[date, int | None, float | None]]  # (day, displayed JSS, unrounded score)
History = tuple[tuple[HistoryPoint, ...], dict[date, Scores]]  # points, scores on snapshots


class ResultCache(Protocol):
    def history(self, contracts: Sequence[Contract], end: date, rule_id: str,
                also_on: Sequence[date]) -> History:
        """``model.history.sweep_history`` (the score at every update date and ``also_on``)."""
        ...

    def explain(self, contracts: Sequence[Contract], snapshot: Snapshot,
                rule_id: str, earlier: Sequence[Snapshot] = (),
                report_on: date | None = None) -> Explanation:
        """``advice.explain.explain``."""
        ...

    def scores(self, contracts: Sequence[Contract], days: Sequence[date],
               rule_id: str) -> Scored:
        """``advice.sim.scores_on``."""
        ...

    def outcomes(self, contracts: Sequence[Contract], on: date,
                 rule_id: str) -> tuple[Outcome, ...]:
        """``model.windows.outcomes_on``."""
        ...

    def kept(self, name: str, compute: Callable[[], T], verdicts: bytes, *key: object) -> T:
        """``compute()``, a result made of nothing but the verdicts of some contracts
        (``verdicts``: ``model.history.verdicts_digest`` of them) and ``key``."""
        ...


class Uncached:
    def history(self, contracts: Sequence[Contract], end: date, rule_id: str,
                also_on: Sequence[date]) -> History:
        points, found, _ = resume_history(contracts, end, rule_id, also_on=also_on,
                                          previous=None)
        return points, found

    def explain(self, contracts: Sequence[Contract], snapshot: Snapshot,
                rule_id: str, earlier: Sequence[Snapshot] = (),
                report_on: date | None = None) -> Explanation:
        return explain(contracts, snapshot, rule_id, earlier=earlier, report_on=report_on)

    def scores(self, contracts: Sequence[Contract], days: Sequence[date],
               rule_id: str) -> Scored:
        return scores_on(contracts, days, rule_id)

    def outcomes(self, contracts: Sequence[Contract], on: date,
                 rule_id: str) -> tuple[Outcome, ...]:
        return outcomes_on(contracts, on, rule_id)

    def kept(self, name: str, compute: Callable[[], T], verdicts: bytes, *key: object) -> T:
        return compute()


UNCACHED: ResultCache = Uncached()
