"""The calibrated assessment: the records plus the hidden private ratings that explain what the
platform showed, computed once and read by every page, chart and command.

The records as entered cannot see private feedback; the snapshots can. ``explain`` (with every
snapshot up to the report date as evidence) gives the posterior over the hidden ratings and of
the score on the report date. From it:

- the likely detractors: the ``k`` informative contracts with the highest chance of a
  non-positive private rating, ``k`` the likeliest count (one ranking, used everywhere);
- the calibrated records: those contracts with their likelier non-positive state, every other
  free contract positive (the states the search tries);
- the calibrated estimate on any date: the model on the calibrated records; its range is the
  posterior's 10-90% spread of the score on the report date plus the model's typical error.

Without a snapshot the calibrated records are the records and the range is the model error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from jssreport.advice.explain import (
    STATE_RECOMMEND,
    STATES,
    Explanation,
    Suspect,
    explain,
)
from jssreport.advice.worlds import central_world
from jssreport.model.history import with_private_rating, would_recommend
from jssreport.model.types import Contract, Snapshot
from jssreport.model.windows import Estimate, OutcomesOf, estimate, outcomes_on

MODEL_ERROR = 3  # points either side: the model's typical error on the worked examples
QUANTILES = (0.1, 0.9)


@dataclass(frozen=True)
class Assessment:
    """The calibrated assessment on ``on``: the score of the records as entered, the calibrated
    score and its range, and the likely detractors (docs/model.md, "The calibrated
    assessment")."""

    on: date
    rules: str
    observed: Snapshot | None  # the latest snapshot on or before ``on`` (None: none)
    public_only: int | None  # the records as entered, on ``on``
    jss: int | None  # calibrated
    low: int | None
    high: int | None
    would_recommend_public: int | None
    would_recommend: int | None  # calibrated
    detractors: tuple[tuple[str, str], ...]  # (contract id, passive | negative), by chance
    ranked: tuple[Suspect, ...]  # every rated contract without a known private rating
    likely_count: int | None
    rated: int  # rated contracts with an unknown private rating
    explanation: Explanation | None
    contracts: tuple[Contract, ...] = field(repr=False, compare=False, default=())
    # the records as entered and their estimate on ``on`` (``public_only`` is its score)
    public: tuple[tuple[Contract, ...], Estimate] | None = field(repr=False, compare=False,
                                                                 default=None)

    @property
    def calibrated(self) -> bool:
        """Whether hidden ratings were inferred (a snapshot with a score to explain)."""
        return self.explanation is not None

    @property
    def range(self) -> tuple[int, int] | None:
        return None if self.low is None or self.high is None else (self.low, self.high)

    @property
    def detractor_ids(self) -> tuple[str, ...]:
        return tuple(cid for cid, _ in self.detractors)

    @property
    def open_effect(self) -> int | None:
        return None if self.explanation is None else self.explanation.open_effect


def calibrated_assessment(contracts: Sequence[Contract], snapshots: Sequence[Snapshot], on: date,
           rule_id: str = "auto", explanation: Explanation | None = None,
           outcomes: OutcomesOf = outcomes_on) -> Assessment:
    """The assessment on ``on`` (``explanation``: ``explain`` of the latest snapshot with
    the earlier ones and ``report_on=on``, when computed already; ``outcomes``: how the
    contracts are judged, ``model.windows.outcomes_on`` or the same kept between builds)."""
    seen = sorted((s for s in snapshots if s.date <= on), key=lambda s: s.date)
    scored = [s for s in seen if s.jss is not None]
    observed = seen[-1] if seen else None
    public = estimate(contracts, on, rule_id, outcomes=outcomes)
    wr_public = would_recommend(contracts, on)
    if not scored:
        return Assessment(on, public.rules.id, observed, public.jss, public.jss,
                          *_around(public.jss, ()), wr_public, wr_public, (), (), None, 0, None,
                          tuple(contracts), (tuple(contracts), public))
    e = explanation or explain(contracts, scored[-1], rule_id, earlier=scored[:-1],
                               report_on=on)
    detractors = central_world(e)
    calibrated = with_hidden(contracts, detractors, {s.id for s in e.contracts if s.informative})
    est = estimate(calibrated, on, rule_id, like=(contracts, public), outcomes=outcomes)
    # the likely detractors' score: near the posterior median (NEAR_MEDIAN) whenever the
    # search found such a combination (the median itself tracks the truth less well)
    jss = est.jss
    return Assessment(on, est.rules.id, observed, public.jss, jss,
                      *_around(jss, e.now_scores), wr_public,
                      would_recommend(calibrated, on), detractors, e.contracts, len(detractors),
                      len(e.contracts), e, calibrated, (tuple(contracts), public))


def with_hidden(contracts: Sequence[Contract], detractors: Sequence[tuple[str, str]],
                free: set[str]) -> tuple[Contract, ...]:
    """The records with each free contract's private rating: the detractors' state, the
    others positive."""
    states = dict(detractors)
    out = []
    for c in contracts:
        fb = c.feedback
        if c.id in free and fb is not None:
            state = STATES.index(states.get(c.id, "positive"))
            c = with_private_rating(c, STATE_RECOMMEND[state])
        out.append(c)
    return tuple(out)


def _around(jss: int | None, posterior: Sequence[tuple[float | None, float]]
            ) -> tuple[int | None, int | None]:
    """The range: the posterior's 10-90% of the score (with ``jss``) widened by the model
    error, within 0-100."""
    if jss is None:
        return None, None
    scores = [(s, p) for s, p in posterior if s is not None]
    lo = hi = float(jss)
    total = sum(p for _, p in scores)
    if total > 0:
        cum = 0.0
        qlo = qhi = None
        for s, p in sorted(scores):
            cum += p / total
            if qlo is None and cum >= QUANTILES[0]:
                qlo = s
            if qhi is None and cum >= QUANTILES[1] - 1e-9:
                qhi = s
        lo, hi = min(lo, qlo if qlo is not None else lo), max(hi, qhi if qhi is not None else hi)
    return max(0, int(round(lo)) - MODEL_ERROR), min(100, int(round(hi)) + MODEL_ERROR)
