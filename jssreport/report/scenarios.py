"""Scenarios in the report: each ``content/scenarios/*.yml`` projected against "no change",
described in words; a scenario that cannot apply on the report date is a problem with the
file and the line of the failing action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from jssreport.advice import Projection, apply_scenario, project_scenario
from jssreport.advice.sim import Projector, known_on
from jssreport.errors import InputError, Problem
from jssreport.input.fields import shown
from jssreport.model.types import AddAction, CloseAction, Contract, Feedback, Scenario
from jssreport.paths import SCENARIOS_DIR
from jssreport.textformat import format_money, format_signed

if TYPE_CHECKING:
    from jssreport.input.records import Records

SCENARIO_MONTHS = 6


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario as the report shows it: its actions in words, notes for the reader, and its
    projection next to "no change"."""

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

    @property
    def versus_text(self) -> str:
        return format_signed(self.versus)

    @property
    def versus_class(self) -> str:
        return "" if not self.versus else "up" if self.versus > 0 else "down"


def scenario_results(records: Records, on: date, rule_id: str, baseline: Projection,
                     projector: Projector | None = None, redact: bool = False
                     ) -> tuple[ScenarioResult, ...]:
    """Each scenario's projection; every scenario that cannot apply is a problem with file:line.
    ``redact``: amounts are written as their bands."""
    results, problems = [], []
    for scenario in records.scenarios:
        file = f"{SCENARIOS_DIR}/{shown(scenario.slug, 200)}.yml" if scenario.slug else ""
        try:
            projection = project_scenario(records.contracts, scenario, on, rule_id,
                                          SCENARIO_MONTHS, projector)
        except ValueError as exc:
            problems.append(_scenario_problem(records, scenario, on, file, str(exc)))
            continue
        final = baseline.points[-1][1] if baseline.points else None
        results.append(ScenarioResult(scenario.name, file, _in_words(records, scenario, redact),
                                      _notes(scenario, on), projection, final))
    if problems:
        raise InputError(problems)
    return tuple(results)


def _scenario_problem(records: Records, scenario: Scenario, on: date, file: str, message: str
                      ) -> Problem:
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
    line = scenario.action_lines[index] if index < len(scenario.action_lines) else 0
    return Problem(file, line, f"scenario '{shown(scenario.name)}'", text)


def _failing_action(contracts: Sequence[Contract], scenario: Scenario, on: date) -> int | None:
    """The first action that cannot apply to the records as known on the report date."""
    known = known_on(contracts, on)
    for i in range(len(scenario.actions)):
        try:
            apply_scenario(known, replace(scenario, actions=scenario.actions[: i + 1]))
        except ValueError:
            return i
    return None


def _in_words(records: Records, scenario: Scenario, redact: bool) -> tuple[str, ...]:
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
                         f"{format_money(paid, currency, redact) if paid else 'nothing'} paid, "
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
