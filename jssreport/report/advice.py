"""The advice stage of a build: the pure advice (``jssreport.advice``) run on the records, and
its results as the values the pages, the charts and report.json lay out.

Nothing here computes a score itself: every number comes from an advice function, which
re-runs the model. This module chooses the inputs (the report date, the rule setting, the
dormancy thresholds of jssreport.yml, the report's history, the latest observed snapshot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, partial
from typing import TYPE_CHECKING

from jssreport.advice import (
    Dormancy,
    Explanation,
    PathResult,
    PlanStep,
    Projection,
    RemovalPerk,
    RollOff,
    TopRatedStatus,
    closing_plan,
    explain,
    paths_to,
    project_baseline,
    recommend,
    removal_perk,
    rolloff_calendar,
    top_rated,
)
from jssreport.advice.actions import Recommendation
from jssreport.advice.calibrate import Assessment, calibrated_assessment
from jssreport.advice.plan import CLOSING_ORDER
from jssreport.advice.sim import Projector
from jssreport.advice.toprated import CheckItem, recent_grid
from jssreport.advice.words import ACTION_LABELS
from jssreport.errors import InputError, Problem
from jssreport.model.history import HistoryPoint, verdicts_digest
from jssreport.model.types import Snapshot
from jssreport.model.windows import months_before
from jssreport.paths import PROFILE_FILE
from jssreport.report.cache import UNCACHED, ResultCache
from jssreport.report.scenarios import SCENARIO_MONTHS, ScenarioResult, scenario_results
from jssreport.textformat import format_money

if TYPE_CHECKING:
    from jssreport.input.records import Records

IN_SHORT = {  # in the order of the ranking
    "ask_feedback": "ask {n} client{s} for feedback",
    "ask_to_close": "ask {n} client{s} to close a finished contract",
    "close": "close {n} finished contract{s} yourself",
    "wait": "leave {n} quiet or dormant contract{s} open for now",
    "keep": "keep {n} earning contract{s} open",
}
TARGETS = (90, 80)
ROLLOFF_MONTHS_SHOWN = 12  # no line runs years into the future
OUTLOOK_MONTHS = 24  # the no-change line under the roll-off calendar: every window empties by then


@dataclass(frozen=True)
class TargetView:
    """The path to one target, with when the score would fall below it without new work."""

    path: PathResult
    falls_below_on: date | None  # reached now, but the no-change line drops below it then
    falls_to: int | None


@dataclass(frozen=True)
class Advice:
    """The advice stage's results on the report date: recommendations, closing plan, roll-off,
    targets, Top Rated, the explanation and the scenarios, as the outputs lay them out."""

    on: date
    rule_setting: str
    recommendations: tuple[Recommendation, ...]
    plan: tuple[PlanStep, ...]
    rolloff: tuple[RollOff, ...]
    outlook: Projection  # no change, for OUTLOOK_MONTHS
    targets: tuple[TargetView, ...]
    top_rated: TopRatedStatus
    removal: RemovalPerk | None
    snapshot: Snapshot | None  # the observation explained
    explanation: Explanation | None
    baseline: Projection  # no change, for SCENARIO_MONTHS
    scenarios: tuple[ScenarioResult, ...]
    names: tuple[tuple[str, str, str], ...]  # (contract id, title, client), every contract
    # the records plus the hidden ratings that explain the snapshots: every projection above
    # starts from it (``jssreport.advice.calibrate``)
    assessment: Assessment | None = None

    @cached_property
    def _by_id(self) -> dict[str, tuple[str, str]]:
        return {cid: (title, client) for cid, title, client in self.names}

    def title(self, contract_id: str) -> str:
        return self._by_id.get(contract_id, (contract_id, ""))[0]

    def client(self, contract_id: str) -> str:
        return self._by_id.get(contract_id, ("", ""))[1]

    def action_label(self, action: str) -> str:
        return ACTION_LABELS.get(action, action)

    @property
    def closing_order(self) -> str:
        return CLOSING_ORDER

    @property
    def top_rated_text(self) -> str:
        tr = self.top_rated
        if tr.top_rated_plus:
            return "Top Rated Plus by the records."
        if tr.top_rated:
            return "Top Rated by the records" + (
                f"; for Top Rated Plus: {_lower_first(', '.join(tr.missing_plus))}."
                if tr.missing_plus else ".")
        return f"Not Top Rated yet: {_lower_first(', '.join(tr.missing))}."

    @property
    def checklist(self) -> tuple[CheckItem, ...]:
        return self.top_rated.checklist

    @property
    def scenario_example(self) -> str:
        """An example scenario file naming this project's own open contracts."""
        open_ids = [r.contract for r in self.recommendations if r.status != "ended"][:2]
        ids = open_ids + ["some-contract", "another-contract"][len(open_ids):]
        day = self.on.isoformat()
        return (f"name: Ask the quiet clients to close\nactions:\n"
                f"  - {{close: {ids[0]}, on: {day}, feedback: {{stars: 5}}}}\n"
                f"  - {{close: {ids[1]}, on: {day}, feedback: {{stars: 4}}}}\n"
                f"  - {{add: {{id: next-job, client: New client, title: Next job, type: fixed,\n"
                f"           start: {day}, end: {months_before(self.on, -1).isoformat()},\n"
                f"           payments: [{{date: {months_before(self.on, -1).isoformat()}, "
                f"amount: 1000}}], feedback: {{stars: 5}}}}}}\n")

    @property
    def baseline_start(self) -> int | None:
        return self.baseline.points[0][1] if self.baseline.points else None

    @property
    def baseline_final(self) -> int | None:
        return self.baseline.final

    @property
    def baseline_end(self) -> date | None:
        return self.baseline.points[-1][0] if self.baseline.points else None

    @property
    def in_short(self) -> str:
        """``In short: ask 1 client for feedback and leave 7 quiet or dormant contracts open
        for now; keep 3 earning contracts open.``"""
        counts = {a: sum(1 for r in self.recommendations if r.action == a) for a in IN_SHORT}
        parts = [IN_SHORT[a].format(n=n, s="s" if n != 1 else "")
                 for a, n in counts.items() if n]
        if not parts:
            return ""
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"In short: {text}."

    @property
    def calibrated(self) -> bool:
        """Whether the advice starts from hidden ratings inferred from the snapshots."""
        return self.assessment is not None and self.assessment.calibrated

    @property
    def detractors(self) -> tuple[LikelyDetractor, ...]:
        """The likely detractors, likeliest first: the same contracts, in the same order, on
        every page (``Assessment.detractors``)."""
        a = self.assessment
        if a is None:
            return ()
        chance = {s.id: s.probability for s in a.ranked}
        return tuple(LikelyDetractor(cid, self.title(cid), self.client(cid), state,
                                     chance.get(cid, 0.0)) for cid, state in a.detractors)

    @cached_property
    def detractor_badges(self) -> dict[str, str]:
        """``likely detractor 1 of 2 (76%)`` by contract id, for the Contracts table."""
        found = self.detractors
        return {d.id: f"likely detractor {i} of {len(found)} ({d.probability:.0%})"
                for i, d in enumerate(found, 1)}

    @property
    def detractor_words(self) -> str:
        """``Packaging design (Dune Coffee, 76%) and Business cards (Elm Legal, 47%)``."""
        items = [f"{d.title} ({d.client}, {d.probability:.0%})" for d in self.detractors]
        if not items:
            return ""
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    @property
    def start_text(self) -> str:
        """Where every projection starts, in one sentence."""
        a = self.assessment
        if a is None or a.jss is None:
            return "Every line starts from your records as entered."
        rng = "" if a.range is None else f", likely {a.range[0]}-{a.range[1]}%"
        if not self.calibrated:
            return (f"Every line starts from today's estimate ({a.jss}%{rng}) from your "
                    "records as entered.")
        who = f": private ratings from {self.detractor_words}" if self.detractors else ""
        return (f"Every line starts from the calibrated estimate today ({a.jss}%{rng}): your "
                f"records plus the hidden ratings that explain what Upwork showed{who}.")

    @staticmethod
    def share(probability: float | None) -> str:
        return "" if probability is None else f"{probability:.0%}"

    @cached_property
    def _best_fit(self) -> dict[str, str]:
        return dict(self.explanation.best_fit) if self.explanation is not None else {}

    def best_fit_state(self, contract_id: str) -> str:
        return self._best_fit.get(contract_id, "")

    @property
    def uninformative_count(self) -> int:
        e = self.explanation
        return 0 if e is None else sum(1 for s in e.contracts if not s.informative)

    @property
    def method_text(self) -> str:
        e = self.explanation
        if e is None or e.method == "none":
            return "no combination (nothing is hidden)"
        if e.method == "exhaustive":
            return f"every one of the {e.evaluated:,} combinations"
        return f"{e.evaluated:,} combinations sampled by a Gibbs search (too many to try them all)"

    @property
    def outlook_until_rolloff(self) -> tuple[tuple[date, int | None, float | None], ...]:
        """The no-change line up to a month after the last roll-off (all of it if none), at
        most a year ahead, ending at the first date without a score."""
        end = months_before(self.on, -ROLLOFF_MONTHS_SHOWN)
        if self.rolloff:
            end = min(end, months_before(max(r.leaves_on for r in self.rolloff), -1))
        shown: list[tuple[date, int | None, float | None]] = []
        for p in self.outlook.points:
            if p[0] > end:
                break
            shown.append(p)
            if p[1] is None:
                break
        return tuple(shown)


@dataclass(frozen=True)
class LikelyDetractor:
    """A contract whose client likely would not recommend you, as the pages list it: its likelier
    state and the chance."""

    id: str
    title: str
    client: str
    state: str  # passive | negative
    probability: float  # the chance the client would not recommend you

    @property
    def share(self) -> str:
        return f"{self.probability:.0%}"


def _lower_first(text: str) -> str:
    """``Active in ...`` -> ``active in ...``; an acronym (``JSS at least 90%``) stays."""
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def latest_snapshot(snapshots: Sequence[Snapshot], on: date) -> Snapshot | None:
    """The most recent observed score on or before the report date."""
    seen = [s for s in snapshots if s.jss is not None and s.date <= on]
    return max(seen, key=lambda s: s.date) if seen else None


# Evidence besides the latest snapshot: each costs the search one more date to score on every
# move (about +50% of the explanation's time each on the benchmark's histories).
EARLIER_SNAPSHOTS = 1


def earlier_snapshots(snapshots: Sequence[Snapshot], latest: Snapshot) -> tuple[Snapshot, ...]:
    """The latest snapshots with a score before ``latest`` (at most EARLIER_SNAPSHOTS):
    evidence too."""
    return tuple(sorted((s for s in snapshots if s.jss is not None and s.date < latest.date),
                        key=lambda s: s.date)[-EARLIER_SNAPSHOTS:])


def explain_latest(records: Records, rule_id: str, on: date) -> Explanation:
    """``jssreport explain``: the latest snapshot with a jss, explained; InputError if none."""
    snap = latest_snapshot(records.profile.snapshots, on)
    if snap is None:
        raise InputError([Problem(PROFILE_FILE, 0, "", (
            f"no snapshot with a jss on or before {on.isoformat()}, so there is no observed "
            "score to explain; add what Upwork showed under snapshots:, e.g. "
            f"'- {{date: {on.isoformat()}, jss: 82, would_recommend: 60}}'"))])
    return explain(records.contracts, snap, rule_id,
                   earlier=earlier_snapshots(records.profile.snapshots, snap), report_on=on)


def explanation_of(records: Records, on: date, rule_id: str,
                   cache: ResultCache = UNCACHED) -> Explanation | None:
    """The explanation of the latest snapshot up to ``on`` (None without one)."""
    snap = latest_snapshot(records.profile.snapshots, on)
    if snap is None:
        return None
    return cache.explain(records.contracts, snap, rule_id,
                         earlier_snapshots(records.profile.snapshots, snap), on)


def assessment_of(records: Records, on: date, rule_id: str,
                  explanation: Explanation | None, cache: ResultCache = UNCACHED
                  ) -> Assessment:
    """The calibrated assessment on ``on`` (``explanation``: ``explanation_of``'s)."""
    started = tuple(c for c in records.contracts if c.start <= on)
    return calibrated_assessment(started, records.profile.snapshots, on, rule_id, explanation,
                                 outcomes=cache.outcomes)


def explained(advice: Advice, records: Records, explanation: Explanation | None) -> Advice:
    """``advice`` with the explanation of its snapshot (``explanation_of``). The advice was
    computed from the calibrated records already (``advice_unexplained``'s assessment)."""
    return replace(advice, explanation=explanation)


def advice_unexplained(records: Records, on: date, rule_id: str, dormancy: Dormancy,
                       history: Sequence[HistoryPoint], assessment: Assessment | None = None,
                       redact: bool = False, cache: ResultCache = UNCACHED) -> Advice:
    """Every piece of advice but the explanation of the latest snapshot (``explained``), from
    the calibrated records of ``assessment`` when given (the records as entered otherwise).
    Sentences write amounts through the one formatter, in the profile's currency, as bands
    with ``redact``."""
    if assessment is not None and assessment.calibrated:
        later = tuple(c for c in records.contracts if c.start > on)
        records = replace(records, contracts=assessment.contracts + later)
        history = ()  # the records' history is public-only: the 16 weeks are scored again
    contracts = records.contracts
    projector = Projector(contracts, on, rule_id)  # the work every projection shares
    money = partial(format_money, currency=records.profile.currency, redact=redact)
    recs = recommend(contracts, on, rule_id, dormancy, projector, money)
    # made of the verdicts alone (no amount, title or client): kept by their signatures
    verdicts = verdicts_digest(contracts)
    outlook = cache.kept("outlook", lambda: project_baseline(
        contracts, on, rule_id, OUTLOOK_MONTHS, projector), verdicts, on, rule_id, OUTLOOK_MONTHS)
    # without the public history, the 16 weeks of the calibrated records (kept between builds)
    recent = None if history else cache.scores(
        projector.known, recent_grid(projector.known, on, rule_id), rule_id)
    status = top_rated(contracts, history, on, rule_id, projector, money,
                       observed=tuple((s.date, s.jss) for s in records.profile.snapshots
                                      if s.jss is not None), recent=recent)
    snap = latest_snapshot(records.profile.snapshots, on)
    # The first six months of the outlook: the same update dates, one sweep fewer.
    end = months_before(on, -SCENARIO_MONTHS)
    baseline = replace(outlook, points=tuple(p for p in outlook.points if p[0] <= end))
    return Advice(
        on=on,
        rule_setting=rule_id,
        recommendations=recs,
        plan=closing_plan(recs, contracts, on, rule_id, projector=projector),
        rolloff=cache.kept("rolloff", lambda: rolloff_calendar(contracts, on, rule_id, projector),
                           verdicts, on, rule_id),
        outlook=outlook,
        targets=tuple(_target(p, outlook) for p in cache.kept(
            "paths", lambda: paths_to(TARGETS, contracts, on, rule_id, projector=projector),
            verdicts, TARGETS, on, rule_id)),
        top_rated=status,
        removal=removal_perk(contracts, on, status, rule_id, projector),
        snapshot=snap,
        explanation=None,
        baseline=baseline,
        scenarios=scenario_results(records, on, rule_id, baseline, projector, redact),
        names=tuple((c.id, c.title, c.client) for c in contracts),
        assessment=assessment,
    )


def _target(path: PathResult, outlook: Projection) -> TargetView:
    """When the no-change line drops below the target again after reaching it (now or by
    roll-off)."""
    start = path.horizon if path.rolloff_on is None else path.rolloff_on
    below = next(((d, j) for d, j, _ in outlook.points
                  if d > start and (j is None or j < path.target)), None)
    return TargetView(path, below[0] if below else None, below[1] if below else None)


def display_recommendations(advice: Advice) -> tuple[Recommendation, ...]:
    """The ranked actions as the pages show them: each with its contract's title and client
    (the message drafts are written with the pages: ``output.messages``)."""
    return tuple(replace(r, title=advice.title(r.contract), client=advice.client(r.contract))
                 for r in advice.recommendations)
