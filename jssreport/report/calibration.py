"""The fit of the free parameters: the worked examples, re-estimated by the model at build time.

The examples (real cases reported in public, shipped in ``jssreport/examples``) are report
projects with what the platform showed. The Model page shows, for each, the reported score and
the model's estimate now, so any change of a parameter shows up in every report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from jssreport.input.records import load_records
from jssreport.model.windows import estimate
from jssreport.paths import examples_dir

EXAMPLES_DIR = examples_dir()
# seed-explain shows what the platform showed without the hidden private ratings: it is the
# case the Explain page answers, not a test of the public-feedback estimate.
FIT_CASES = ("one-bad-77", "partial-80", "seed-82", "unresponsive-75")


@dataclass(frozen=True)
class FitRow:
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


def fit_row(folder: Path) -> FitRow:
    expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
    records = load_records(folder, cache=False)  # never write into the installed package
    as_of = expected["as_of"]
    est = estimate(records.contracts, as_of, records.profile.rules)
    return FitRow(
        case=folder.name,
        era=str(expected.get("era", "")),
        as_of=as_of,
        reported=int(expected["jss"]),
        estimate=est.jss,
        tolerance=int(expected.get("tolerance", 0)),
        rules=est.rules.id,
        source=str(expected.get("source", "")),
        story=" ".join(str(expected.get("story", "")).split()),
    )


@lru_cache(maxsize=1)
def fit_table() -> tuple[FitRow, ...]:
    """The estimate of every worked example under the current parameters."""
    return tuple(fit_row(EXAMPLES_DIR / case) for case in FIT_CASES)
