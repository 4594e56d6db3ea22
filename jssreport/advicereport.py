"""The advice stage of a build: the pure advice (``jssreport.advice``) run on the records, and
its results as the values the pages, the charts and report.json lay out.

Nothing here computes a score itself: every number comes from an advice function, which
re-runs the model. This module chooses the inputs (the report date, the rule setting, the
dormancy thresholds of jssreport.yml, the report's history, the latest observed snapshot) and
turns scenario errors into problems with file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
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
    apply_scenario,
    closing_plan,
    explain,
    paths_to,
    project_baseline,
    project_scenario,
    recommend,
    removal_perk,
    rolloff_calendar,
    top_rated,
)
from jssreport.advice import Recommendation as Advised
from jssreport.advice.sim import known_on
from jssreport.advicemessages import message_drafts
from jssreport.errors import InputError, Problem
from jssreport.fields import shown
from jssreport.model.history import HistoryPoint
from jssreport.model.types import AddAction, CloseAction, Contract, Feedback, Scenario, Snapshot
from jssreport.model.windows import months_before
from jssreport.reportdata import Recommendation
from jssreport.textformat import format_money
from jssreport.yamlload import parse_yaml, read_bytes

if TYPE_CHECKING:
    from jssreport.records import Records

TARGETS = (90, 80)
SCENARIO_MONTHS = 6
OUTLOOK_MONTHS = 24  # the no-change line under the roll-off calendar: every window empties by then
SCENARIOS_DIR = "content/scenarios"
PROFILE_FILE = "content/profile.yml"


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    file: str  # content/scenarios/<slug>.yml
    actions: tuple[str, ...]  # each action in words
    notes: tuple[str, ...]  # what the reader should know (e.g. actions dated before the report)
    projection: Projection
    baseline_final: int | None  # "no change" on the same last date

    @property
    def start(self) -> int | None:
        return self.projection.points[0][1] if self.projection.points else None

    @property
    def final(self) -> int | None:
        return self.projection.final

    @property
    def final_date(self) -> date | None:
        return self.projection.points[-1][0] if self.projection.points else None

    @property
    def versus(self) -> int | None:
        """The final projected JSS minus "no change" on the same date."""
        if self.final is None or self.baseline_final is None:
            return None
        return self.final - self.baseline_final


@dataclass(frozen=True)
class TargetView:
    """The path to one target, with when the score would fall below it without new work."""

    path: PathResult
    falls_below_on: date | None  # reached now, but the no-change line drops below it then
    falls_to: int | None


@dataclass(frozen=True)
class Advice:
    on: date
    rule_setting: str
    recommendations: tuple[Advised, ...]
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

    def title(self, contract_id: str) -> str:
        return next((t for cid, t, _ in self.names if cid == contract_id), contract_id)

    def client(self, contract_id: str) -> str:
        return next((c for cid, _, c in self.names if cid == contract_id), "")

    @property
    def outlook_until_rolloff(self) -> tuple[tuple[date, int | None, float | None], ...]:
        """The no-change line up to a month after the last roll-off (all of it if none)."""
        if not self.rolloff:
            return self.outlook.points[: len(self.baseline.points)]
        last = months_before(max(r.leaves_on for r in self.rolloff), -1)
        return tuple(p for p in self.outlook.points if p[0] <= last)


def dormancy_of(thresholds: Sequence[tuple[str, int, int]]) -> Dormancy:
    """The (type, quiet, dormant) thresholds of jssreport.yml, as the advice takes them."""
    return Dormancy.from_mapping({kind: {"quiet": quiet, "dormant": dormant}
                                  for kind, quiet, dormant in thresholds})


def latest_snapshot(snapshots: Sequence[Snapshot], on: date) -> Snapshot | None:
    """The most recent observed score on or before the report date."""
    seen = [s for s in snapshots if s.jss is not None and s.date <= on]
    return max(seen, key=lambda s: s.date) if seen else None


def explain_latest(records: Records, rule_id: str, on: date) -> Explanation:
    """``jssreport explain``: the latest snapshot with a jss, explained; InputError if none."""
    snap = latest_snapshot(records.profile.snapshots, on)
    if snap is None:
        raise InputError([Problem(PROFILE_FILE, 0, "", (
            f"no snapshot with a jss on or before {on.isoformat()}, so there is no observed "
            "score to explain; add what Upwork showed under snapshots:, e.g. "
            f"'- {{date: {on.isoformat()}, jss: 82, would_recommend: 60}}'"))])
    return explain(records.contracts, snap, rule_id)


def compute_advice(records: Records, on: date, rule_id: str,
                   thresholds: Sequence[tuple[str, int, int]],
                   history: Sequence[HistoryPoint], project: Path | None = None) -> Advice:
    """Every piece of advice for the report of ``records`` on ``on``."""
    contracts = records.contracts
    recs = recommend(contracts, on, rule_id, dormancy_of(thresholds))
    outlook = project_baseline(contracts, on, rule_id, OUTLOOK_MONTHS)
    status = top_rated(contracts, history, on, rule_id)
    snap = latest_snapshot(records.profile.snapshots, on)
    baseline = project_baseline(contracts, on, rule_id, SCENARIO_MONTHS)
    return Advice(
        on=on,
        rule_setting=rule_id,
        recommendations=recs,
        plan=closing_plan(recs, contracts, on, rule_id),
        rolloff=rolloff_calendar(contracts, on, rule_id),
        outlook=outlook,
        targets=tuple(_target(p, outlook) for p in paths_to(TARGETS, contracts, on, rule_id)),
        top_rated=status,
        removal=removal_perk(contracts, on, status, rule_id),
        snapshot=snap,
        explanation=None if snap is None else explain(contracts, snap, rule_id),
        baseline=baseline,
        scenarios=scenario_results(records, on, rule_id, baseline, project),
        names=tuple((c.id, c.title, c.client) for c in contracts),
    )


def _target(path: PathResult, outlook: Projection) -> TargetView:
    if not path.reached:
        return TargetView(path, None, None)
    below = next(((d, j) for d, j, _ in outlook.points
                  if d > outlook.points[0][0] and (j is None or j < path.target)), None)
    return TargetView(path, below[0] if below else None, below[1] if below else None)


def display_recommendations(advice: Advice, records: Records, project: Path | None = None
                            ) -> tuple[Recommendation, ...]:
    """The ranked actions as the pages show them, each with its message draft."""
    by_id = {c.id: c for c in records.contracts}
    drafts = message_drafts(advice.recommendations, by_id, records.profile.name, advice.on,
                            project)
    return tuple(
        Recommendation(
            action=r.action, contract=r.contract, effect=r.effect, why=r.why,
            message=drafts[r.contract], title=advice.title(r.contract),
            client=advice.client(r.contract), status=r.status, idle_days=r.idle_days,
            shows_on=r.shows_on, close_effect=r.close_effect)
        for r in advice.recommendations)


# --- scenarios ------------------------------------------------------------------------------


def scenario_results(records: Records, on: date, rule_id: str, baseline: Projection,
                     project: Path | None = None) -> tuple[ScenarioResult, ...]:
    """Each scenario's projection; every scenario that cannot apply is a problem with file:line."""
    results, problems = [], []
    for scenario in records.scenarios:
        file = f"{SCENARIOS_DIR}/{shown(scenario.slug, 200)}.yml" if scenario.slug else ""
        try:
            projection = project_scenario(records.contracts, scenario, on, rule_id,
                                          SCENARIO_MONTHS)
        except ValueError as exc:
            problems.append(_scenario_problem(records, scenario, on, file, str(exc), project))
            continue
        final = baseline.points[-1][1] if baseline.points else None
        results.append(ScenarioResult(scenario.name, file, _in_words(records, scenario),
                                      _notes(scenario, on), projection, final))
    if problems:
        raise InputError(problems)
    return tuple(results)


def _scenario_problem(records: Records, scenario: Scenario, on: date, file: str, message: str,
                      project: Path | None) -> Problem:
    """Which action fails, where it is, and a message that says why in the report's terms."""
    text = message.removeprefix(f"scenario '{scenario.name}': ")
    index = _failing_action(records.contracts, scenario, on)
    if index is None:
        return Problem(file, 0, f"scenario '{shown(scenario.name)}'", text)
    action = scenario.actions[index]
    later = {c.id: c for c in records.contracts if c.start > on}
    if isinstance(action, CloseAction) and action.contract in later:
        start = later[action.contract].start
        text = (f"actions[{index}].close: contract '{shown(action.contract)}' has not started "
                f"on the report date {on.isoformat()} (it starts on {start.isoformat()})")
    else:
        text = f"actions[{index}]: {text}"
    return Problem(file, _action_line(project, file, index),
                   f"scenario '{shown(scenario.name)}'", text)


def _failing_action(contracts: Sequence[Contract], scenario: Scenario, on: date) -> int | None:
    """The first action that cannot apply to the records as known on the report date."""
    known = known_on(contracts, on)
    for i in range(len(scenario.actions)):
        try:
            apply_scenario(known, replace(scenario, actions=scenario.actions[: i + 1]))
        except ValueError:
            return i
    return None


def _action_line(project: Path | None, file: str, index: int) -> int:
    """The line of ``actions[index]`` in the scenario file (0 when it cannot be read)."""
    if project is None or not file:
        return 0
    data, problem = read_bytes(project / file, file)
    if problem or data is None:
        return 0
    value, _ = parse_yaml(data, file)
    actions = getattr(value, "values", {}).get("actions")
    lines = getattr(actions, "lines", [])
    return int(lines[index]) if index < len(lines) else 0


def _in_words(records: Records, scenario: Scenario) -> tuple[str, ...]:
    by_id = {c.id: c for c in records.contracts}
    added = {a.contract.id: a.contract for a in scenario.actions if isinstance(a, AddAction)}
    currency = records.profile.currency
    words = []
    for action in scenario.actions:
        if isinstance(action, CloseAction):
            c = by_id.get(action.contract) or added.get(action.contract)
            name = f"{c.title} ({c.client})" if c else action.contract
            words.append(f"Close {name} on {action.on.isoformat()}: "
                         f"{_feedback_words(action.feedback)}.")
        else:
            c = action.contract
            when = (f"{c.start.isoformat()} to {c.end.isoformat()}" if c.end
                    else f"from {c.start.isoformat()}, left open")
            paid = c.total_earned
            words.append(f"Add {c.title} ({c.client}), {c.type}, {when}: "
                         f"{format_money(paid, currency) if paid else 'nothing'} paid, "
                         f"{_feedback_words(c.feedback)}.")
    return tuple(words)


def _feedback_words(fb: Feedback | None) -> str:
    if fb is None or (fb.stars is None and fb.recommend is None):
        return "no feedback"
    parts = []
    if fb.stars is not None:
        parts.append(f"{fb.stars:g} stars")
    if fb.recommend is not None:
        parts.append(f"private {fb.recommend}/10")
    return " with ".join(parts)


def _notes(scenario: Scenario, on: date) -> tuple[str, ...]:
    notes = []
    for i, action in enumerate(scenario.actions):
        day = action.on if isinstance(action, CloseAction) else action.contract.start
        if day < on:
            notes.append(f"actions[{i}] is dated {day.isoformat()}, before the report date "
                         f"{on.isoformat()}: it is applied as if it had happened then.")
    return tuple(notes)
