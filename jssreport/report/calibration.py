"""The fit of the free parameters: the worked examples (``input.examples``), re-estimated by
the model at build time. The Model page shows, for each, the reported score and the model's
estimate now, so any change of a parameter shows up in every report (docs/model.md, "Fit").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jssreport.input.examples import WorkedExample
from jssreport.model.windows import estimate


@dataclass(frozen=True)
class FitRow:
    """One worked example next to the model's estimate of it under the current parameters: a row
    of the Model page's fit table."""

    case: str
    era: str
    as_of: date
    reported: int
    estimate: int | None
    tolerance: int
    rules: str
    source: str
    story: str

    @property
    def error(self) -> int | None:
        return None if self.estimate is None else self.estimate - self.reported

    @property
    def within(self) -> bool:
        return self.error is not None and abs(self.error) <= self.tolerance


def fit_row(example: WorkedExample) -> FitRow:
    est = estimate(example.records.contracts, example.as_of, example.records.profile.rules)
    return FitRow(
        case=example.case,
        era=example.era,
        as_of=example.as_of,
        reported=example.reported,
        estimate=est.jss,
        tolerance=example.tolerance,
        rules=est.rules.id,
        source=example.source,
        story=example.story,
    )


def fit_table(examples: Sequence[WorkedExample]) -> tuple[FitRow, ...]:
    """The estimate of every worked example under the current parameters."""
    return tuple(fit_row(e) for e in examples)
