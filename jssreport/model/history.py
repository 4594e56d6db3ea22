"""The score over time, each contract's contribution, and the would-recommend estimate."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from jssreport.model.derived import SideTable
from jssreport.model.outcomes import Outcome, job_sizes, outcome_of, recommend_credit
from jssreport.model.rules import RULESETS, RuleSet, resolve_rules
from jssreport.model.timeline import change_dates, sweep_scores
from jssreport.model.types import (
    DESCRIPTIVE_FIELDS,
    FEEDBACK_FIELDS,
    Contract,
    Feedback,
    record_fields,
)
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
    """The score on one date of the history (an update date, or its last date): the rule set in
    force, each window's score (percent, 1 decimal) and the displayed JSS."""

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
        day += timedelta(days=resolve_rules(rule_id, day).update_days_on(day))
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
    points, found, _ = resume_history(contracts, end, rule_id, start, also_on)
    return points, found


Marks = dict[str, tuple[bytes, date]]  # contract id -> (digest, the first date it can count)


@dataclass(frozen=True)
class HistoryState:
    """What a history sweep leaves for the next build (``resume_history``): the scores, and
    a mark of each contract they were computed from."""

    context: tuple[str, date, tuple[date, ...]]  # rule setting, first date, also_on
    end: date
    marks: Marks
    points: tuple[HistoryPoint, ...]
    found: dict[date, tuple[str, dict[str, float | None]]]  # day -> (rule set id, raw scores)


def _signature(c: Contract) -> bytes:
    """A hash of what the model's rules read of the contract: every declared field but the
    descriptive ones (``model.types.DESCRIPTIVE_FIELDS``, and the feedback's comment), with
    the payment amounts replaced by the job size after each payment, which is all the rules
    read of them (``model.outcomes.judge``: the size weight of the earnings less refunds, and
    whether they are zero). Two contracts with the same signature are judged alike on every
    date under every rule set, so an edit that changes neither (a title, a payment that keeps
    the weight) leaves the history as it was. A new field is in it by itself."""
    names = _scored_fields()
    state = c.__dict__
    facts: list[Any] = [state[name] for name in names]
    for i, value in enumerate(facts):
        if type(value) is date:
            facts[i] = value.toordinal()
    # the payments' dates (also of ``earned`` as one payment) and the job size after each
    facts[names.index("payments")] = tuple(p.date.toordinal() for p in c.effective_payments)
    facts[names.index("earned")] = None
    facts[names.index("refunded")] = bool(c.refunded)
    fb = c.feedback
    if fb is not None:
        facts[names.index("feedback")] = tuple(
            d.toordinal() if type(d) is date else d
            for d in (getattr(fb, f) for f in FEEDBACK_FIELDS if f != "comment"))
    facts.append(job_sizes(c))
    try:  # marshal's version 2 has no references: equal values, equal bytes, fast
        data = marshal.dumps(tuple(facts), 2)
    except ValueError:  # a value marshal cannot write (a field of a new kind)
        data = repr(facts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).digest()


@lru_cache(maxsize=1)
def _scored_fields() -> tuple[str, ...]:
    return tuple(name for name in record_fields() if name not in DESCRIPTIVE_FIELDS)


verdict_signature: SideTable[Contract, bytes] = SideTable(_signature)  # once per object


def verdicts_digest(contracts: Sequence[Contract]) -> bytes:
    """A hash of the verdict signatures of ``contracts``, in order: equal for contracts judged
    alike on every date (what a result made of their verdicts can be kept by)."""
    return hashlib.sha256(b"".join(map(verdict_signature, contracts))).digest()


def with_private_rating(c: Contract, recommend: int) -> Contract:
    """``c`` (rated in public) with the client's private rating ``recommend``. Its verdict
    signature is derived from ``c``'s and the one fact that differs, not computed again (the
    calibrated records make thousands of such copies on every build)."""
    fb = c.feedback
    assert fb is not None
    rated = c.evolve(feedback=Feedback(date=fb.date, stars=fb.stars, scores=fb.scores,
                                       recommend=recommend, comment=fb.comment))
    verdict_signature.remember(rated, hashlib.sha256(
        b"recommend %d\0" % recommend + verdict_signature(c)).digest())
    return rated


def history_marks(contracts: Sequence[Contract]) -> Marks:
    """Each contract's signature (``verdict_signature``: the same under every rule set) and
    the first date it can change a score (its start, or an earlier date its outcome is
    judged on)."""
    marks: Marks = {}
    for c in contracts:
        changes = change_dates(c)
        marks[c.id] = (verdict_signature(c), min(c.start, changes[0]) if changes else c.start)
    return marks


def resume_history(contracts: Sequence[Contract], end: date, rule_id: str = "auto",
                   start: date | None = None, also_on: Sequence[date] = (),
                   previous: HistoryState | None = None
                   ) -> tuple[tuple[HistoryPoint, ...], dict[date, Scores], HistoryState | None]:
    """``sweep_history``, reusing ``previous`` (the state an earlier sweep left) where the
    records cannot have changed the scores.

    A score on a date depends only on the contracts that can count by then. So the points of
    ``previous`` before the first date any added, removed or changed contract can count
    stay as they were, and the sweep starts afresh from there: a new payment this month
    re-sweeps weeks, not ten years. The result is the same as sweeping from the start (the
    window sums are rounded so that the order outcomes enter and leave them changes no digit;
    tests/test_model_history_resume.py checks it).
    """
    if not contracts:
        return (), {}, None
    first = start or min(c.start for c in contracts)
    if first > end:
        return (), {}, None
    updates = set(update_dates(first, end, rule_id))
    extra = {d for d in also_on if first <= d <= end}
    context = (rule_id, first, tuple(sorted(set(also_on))))
    marks = history_marks(contracts)
    points: list[HistoryPoint] = []
    found: dict[date, Scores] = {}
    cut = first
    if previous is not None and previous.context == context:
        changed = [when for cid in marks.keys() | previous.marks.keys()
                   if marks.get(cid) != previous.marks.get(cid)
                   for when in (marks.get(cid), previous.marks.get(cid)) if when is not None]
        if not changed and previous.end == end:
            return previous.points, _scores(previous.found), previous
        # The last point of each sweep is on its end date, which may be off the update grid:
        # it is always swept again.
        cut = min([previous.end, end, *(day for _, day in changed)])
        points = [p for p in previous.points if p.date < cut]
        found = {day: scores for day, scores in _scores(previous.found).items() if day < cut}
    days = sorted(d for d in extra | updates if d >= cut)
    for day, rules, raw in sweep_scores(contracts, days, rule_id):
        if day in extra:
            found[day] = (rules, raw)
        if day in updates:
            jss, _ = displayed_jss(raw)
            windows = {k: None if v is None else round(v, 1) for k, v in raw.items()}
            points.append(HistoryPoint(day, rules.id, windows, jss))
    state = HistoryState(context, end, marks, tuple(points),
                         {day: (rules.id, raw) for day, (rules, raw) in found.items()})
    return state.points, found, state


def _scores(found: dict[date, tuple[str, dict[str, float | None]]]) -> dict[date, Scores]:
    return {day: (RULESETS[rules], dict(raw)) for day, (rules, raw) in found.items()}


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
    # The score without an outcome depends only on its weight and credit, the windows it is
    # in and whether it is its client's last one there: thousands of outcomes share a few
    # such shapes, and each shape is scored once.
    seen: dict[tuple[object, ...], float | None] = {}
    for o in outcomes:
        if base is None or not o.counted or o.counts_on is None or o.counts_on > on:
            result[o.contract_id] = None
            continue
        inside = tuple(name for name in sums if o.counts_on >= starts[name])
        shape = (o.weight, o.credit, inside,
                 tuple(sums[name].clients.get(o.client) == 1 for name in inside))
        if shape not in seen:
            without = {name: (s.score_without(o, rules) if name in inside else base_raw[name])
                       for name, s in sums.items()}
            seen[shape] = best_window(with_trending(without, rules))[0]
        other = seen[shape]
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
    return would_recommend_on(contracts, (on,))[on]


def would_recommend_on(contracts: Sequence[Contract], days: Sequence[date]
                       ) -> dict[date, int | None]:
    """``would_recommend`` on each of ``days``, in one pass over the contracts.

    A contract's verdict (``client_recommends``), once it has one, stays the same on every
    later day (it has ended and its feedback shows): one that has it on the first of the days
    has it on all of them."""
    latest: dict[date, dict[str, tuple[date, bool]]] = {day: {} for day in days}
    first = min(days, default=None)
    for c in contracts:
        if c.client_flagged or c.removed or c.feedback is None or c.end is None:
            continue
        when = c.feedback.date or c.end
        settled = client_recommends(c, first) if first is not None else None
        for day, found in latest.items():
            verdict = settled if settled is not None else client_recommends(c, day)
            if verdict is not None and (c.client not in found or when >= found[c.client][0]):
                found[c.client] = (when, verdict)
    return {day: round(100 * sum(1 for _, ok in found.values() if ok) / len(found))
            if found else None for day, found in latest.items()}
