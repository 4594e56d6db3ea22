"""The worked examples shipped in ``jssreport/examples``: real cases reported in public, each a
report project with what the platform showed (``expected.yml``). The report stage fits the
model to them (``report.calibration``); docs/model.md describes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from jssreport.input.records import Records, load_records
from jssreport.input.yamlfast import read_yaml
from jssreport.input.yamlload import YMap
from jssreport.paths import examples_dir

# seed-explain shows what the platform showed without the hidden private ratings: it is the
# case the Explain page answers, not a test of the public-feedback estimate.
FIT_CASES = ("one-bad-77", "partial-80", "seed-82", "unresponsive-75")


@dataclass(frozen=True)
class WorkedExample:
    """One worked example (``jssreport/examples/<case>``): its records, the JSS the platform showed
    on ``as_of`` with the tolerance, and where it was reported."""

    case: str
    records: Records
    as_of: date
    reported: int  # the JSS the platform showed on as_of
    tolerance: int
    era: str
    source: str
    story: str


def _example(case: str) -> WorkedExample:
    folder = examples_dir() / case
    read, _ = read_yaml((folder / "expected.yml").read_bytes(), "expected.yml")
    assert isinstance(read, YMap), folder  # shipped with the package
    expected: dict[str, Any] = read.values
    return WorkedExample(
        case=case,
        records=load_records(folder),
        as_of=expected["as_of"],
        reported=int(expected["jss"]),
        tolerance=int(expected.get("tolerance", 0)),
        era=str(expected.get("era", "")),
        source=str(expected.get("source", "")),
        story=" ".join(str(expected.get("story", "")).split()),
    )


@lru_cache(maxsize=1)
def load_fit_examples() -> tuple[WorkedExample, ...]:
    """The examples the model is fitted to (shipped with the package: read once)."""
    return tuple(_example(case) for case in FIT_CASES)
