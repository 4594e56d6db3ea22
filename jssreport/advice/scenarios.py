"""What-if scenarios: the projected JSS line with some contracts closed or added.

Both lines start from the records as known on the report date and assume no other new work
(see ``plan.NO_NEW_WORK``); they are scored by the model at the report date and at every
update date of the next months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from jssreport.advice.plan import NO_NEW_WORK
from jssreport.advice.sim import Projector, Updates
from jssreport.model.types import AddAction, CloseAction, Contract, Scenario
from jssreport.model.windows import months_before


@dataclass(frozen=True)
class Projection:
    """A projected JSS line (no change, or a scenario): the score on the report date and on each
    update date of the next months, and what it assumes."""

    name: str
    points: tuple[tuple[date, int | None, float | None], ...]  # (date, JSS, unrounded score)
    assumption: str

    @property
    def final(self) -> int | None:
        return self.points[-1][1] if self.points else None


def apply_scenario(contracts: Sequence[Contract], scenario: Scenario) -> tuple[Contract, ...]:
    """The records with the scenario's actions applied; ValueError names what is wrong."""
    result = list(contracts)
    where = {c.id: i for i, c in enumerate(result)}
    label = f"scenario '{scenario.name}'"
    for action in scenario.actions:
        if isinstance(action, CloseAction):
            if action.contract not in where:
                raise ValueError(f"{label}: unknown contract '{action.contract}'")
            c = result[where[action.contract]]
            if action.on < c.start:
                raise ValueError(f"{label}: contract '{c.id}' cannot close on "
                                 f"{action.on.isoformat()}, before it starts on "
                                 f"{c.start.isoformat()}")
            if c.end is not None and c.end <= action.on:
                raise ValueError(f"{label}: contract '{c.id}' already ended on "
                                 f"{c.end.isoformat()}")
            fb = action.feedback
            if fb is not None and fb.date is None:
                fb = replace(fb, date=action.on)
            result[where[c.id]] = replace(c, end=action.on, feedback=fb)
        elif isinstance(action, AddAction):
            new = action.contract
            if new.id in where:
                raise ValueError(f"{label}: contract id '{new.id}' is already used")
            where[new.id] = len(result)
            result.append(new)
        else:  # pragma: no cover - the types allow nothing else
            raise ValueError(f"{label}: unknown action {action!r}")
    return tuple(result)


def projection_dates(contracts: Sequence[Contract], on: date, rule_id: str = "auto",
                     months: int = 6) -> list[date]:
    """The report date and every update date of the next ``months`` months."""
    end = months_before(on, -months)
    updates = Updates(contracts, rule_id, end + timedelta(days=15))
    return [on, *(d for d in updates.between(on, end) if d > on)]


def project_baseline(contracts: Sequence[Contract], on: date, rule_id: str = "auto",
                     months: int = 6, projector: Projector | None = None) -> Projection:
    p = projector or Projector(contracts, on, rule_id)
    days = projection_dates(p.known, on, rule_id, months)
    return Projection("No change", tuple(p.scores(days)), NO_NEW_WORK)


def project_scenario(contracts: Sequence[Contract], scenario: Scenario, on: date,
                     rule_id: str = "auto", months: int = 6,
                     projector: Projector | None = None) -> Projection:
    p = projector or Projector(contracts, on, rule_id)
    known = p.known
    days = projection_dates(known, on, rule_id, months)
    result = apply_scenario(known, scenario)
    changed = {c.id: new for c, new in zip(known, result[: len(known)], strict=True)
               if new is not c}
    return Projection(scenario.name, tuple(p.scores(days, changed, result[len(known):])),
                      NO_NEW_WORK + " The scenario's closures and additions are applied.")
