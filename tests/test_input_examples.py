"""The worked examples (real cases reported in public) are estimated within their tolerance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.input.examples import FIT_CASES, load_fit_examples
from jssreport.paths import examples_dir
from jssreport.report.calibration import fit_table

EXAMPLES_DIR = examples_dir()

FIXTURES = Path(__file__).parent / "fixtures" / "examples"


@pytest.mark.parametrize("case", FIT_CASES)
def test_worked_example_within_tolerance(case: str) -> None:
    expected = yaml.safe_load((FIXTURES / case / "expected.yml").read_text())
    result = CliRunner().invoke(main, ["score", "--json", "--as-of", str(expected["as_of"]),
                                       "--project", str(FIXTURES / case)])
    assert result.exit_code == 0, result.output
    jss = json.loads(result.stdout)["jss"]
    assert abs(jss - expected["jss"]) <= expected["tolerance"], (case, jss, expected["jss"])


def test_fit_table_is_what_the_model_gives_today() -> None:
    rows = {row.case: row for row in fit_table(load_fit_examples())}
    assert {case: (row.reported, row.estimate) for case, row in rows.items()} == {
        "one-bad-77": (77, 77),
        "partial-80": (80, 80),
        "seed-82": (82, 80),
        "unresponsive-75": (75, 75),
    }
    assert all(row.within for row in rows.values())


def test_shipped_examples_are_the_test_fixtures() -> None:
    shipped = sorted(p.relative_to(EXAMPLES_DIR) for p in EXAMPLES_DIR.rglob("*")
                     if p.is_file() and ".jssreport-cache" not in p.parts)
    for rel in shipped:
        assert (EXAMPLES_DIR / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel
