"""The command line through click's CliRunner: exact output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jssreport import __version__
from jssreport.cli import main

MakeProject = Callable[..., Path]
ROOT = Path(__file__).resolve().parent.parent

PROFILE = "name: Test Person\nas_of: 2020-07-01\n"
CONTRACTS = """
    contracts:
      - {id: one, client: One, title: First, type: fixed, start: 2020-01-06, end: 2020-02-01,
         payments: [{date: 2020-02-01, amount: 400}], feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Two, title: Second, type: fixed, start: 2020-02-03, end: 2020-03-01,
         payments: [{date: 2020-03-01, amount: 1200}], feedback: {date: 2020-03-02, stars: 4.6}}
      - {id: three, client: Three, title: Third, type: fixed, start: 2020-03-02,
         end: 2020-04-01, payments: [{date: 2020-04-01, amount: 200}],
         feedback: {date: 2020-04-02, stars: 5}}
      - {id: four, client: Four, title: Open, type: hourly, start: 2020-04-06,
         payments: [{date: 2020-04-20, amount: 100}]}
"""
BAD_CONTRACTS = """
    contracts:
      - id: acme-logo
        client: Acme
        title: Logo
        type: fixed
        start: 2020-01-01
        end: 2020-02-01
        feedback:
          stars: 7
"""
COMMANDS = ["init", "build", "check", "score", "explain", "serve", "schema", "import upwork-csv"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project({"content/profile.yml": PROFILE, "content/contracts/2020.yml": CONTRACTS})


@pytest.fixture
def bad_project(make_project: MakeProject) -> Path:
    return make_project({"content/profile.yml": PROFILE,
                         "content/contracts/2020.yml": BAD_CONTRACTS})


STARS_ERROR = ("Error: content/contracts/2020.yml:9: contract 'acme-logo': feedback.stars must be "
               "between 1 and 5, got 7\n")


@pytest.mark.parametrize("command", ["build", "check", "score"])
def test_bad_project_gives_error_lines_and_exit_1(bad_project: Path, command: str) -> None:
    result = run(command, "--project", bad_project)
    assert result.exit_code == 1
    assert result.stderr == STARS_ERROR
    assert result.stdout == ""
    assert not (bad_project / "site").exists()


def test_settings_and_record_problems_come_together(bad_project: Path) -> None:
    (bad_project / "jssreport.yml").write_text("title: T\ntop_actoins: 2\n", encoding="utf-8")
    result = run("check", "--project", bad_project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        STARS_ERROR.strip(),
        "Error: jssreport.yml:2: top_actoins is not a known field (did you mean 'top_actions'?)",
    ]


def test_build_prints_what_it_wrote(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Wrote 6 pages, 9 charts and report\.json to site/ "
                        r"\(\d\.\d MB\) in \d+\.\d\d s\n", result.stdout), result.stdout
    assert (project / "site/index.html").is_file()


def test_build_output_option_and_as_of(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run("build", "--project", project, "-o", out, "--as-of", "2020-05-01")
    assert result.exit_code == 0, result.output
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["as_of"] == "2020-05-01"


def test_score_json_has_the_fixed_keys(project: Path) -> None:
    result = run("score", "--json", "--project", project)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "rules", "jss", "window", "windows", "would_recommend",
                          "eligible_outcomes", "clients", "contracts", "recommendations",
                          "observed", "estimate_public_only", "jss_range"]
    assert data["as_of"] == "2020-07-01"
    assert [c["id"] for c in data["contracts"]] == ["one", "two", "three", "four"]
    assert list(data["contracts"][0]) == ["id", "outcome", "credit", "weight", "reason",
                                          "contribution", "dormant_days"]


def test_score_text(project: Path) -> None:
    result = run("score", "--project", project, "--as-of", "2020-07-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Estimated JSS on 2020-07-01: \d+% \(likely \d+-\d+%\) \(\w+ window, "
                        r"rules upwork-2020-03\)", lines[0]), lines[0]
    assert lines[1].startswith("Windows: 24m ")
    assert lines[3] == "Counted: 3 outcomes from 3 clients; 1 of 4 contracts open"


def test_bad_as_of_is_a_usage_error(project: Path) -> None:
    result = run("score", "--project", project, "--as-of", "2020-13-01")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of': '2020-13-01'" in result.stderr


def test_check(project: Path) -> None:
    result = run("check", "--project", project)
    assert (result.exit_code, result.stdout) == (
        0, "OK: 4 contracts, 0 pages, 0 scenarios; no problems found.\n")


def test_init_writes_a_project_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created a report project in ")
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == [".github/dependabot.yml", ".github/workflows/pages.yml", ".gitignore",
                       "content/contracts/contracts.yml", "content/profile.yml",
                       "jssreport.yml", "requirements.txt"]
    assert run("build", "--project", target).exit_code == 0


def test_init_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "new"
    (target / "content").mkdir(parents=True)
    (target / "content/profile.yml").write_text("name: Mine\n", encoding="utf-8")
    (target / "jssreport.yml").write_text("title: Mine\n", encoding="utf-8")
    result = run("init", "--project", target)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {target.as_posix()}/content/profile.yml already exists; init never "
        "overwrites, so nothing was written\n"
        f"Error: {target.as_posix()}/jssreport.yml already exists; init never overwrites, so "
        "nothing was written\n")
    assert (target / "content/profile.yml").read_text(encoding="utf-8") == "name: Mine\n"
    assert not (target / "content/contracts").exists()


def test_demo_settings_file_matches_init() -> None:
    from jssreport.commands.init import SETTINGS_TEXT

    assert (ROOT / "jssreport.yml").read_text(encoding="utf-8") == SETTINGS_TEXT


def test_schema_prints_sorted_json(project: Path) -> None:
    result = run("schema", "--project", project)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert result.stdout == json.dumps(schema, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_project_option(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert "--project" in result.stdout


def test_python_m_jssreport() -> None:
    done = subprocess.run([sys.executable, "-m", "jssreport", "--version"], capture_output=True,
                          text=True, check=False)
    assert (done.returncode, done.stdout) == (0, f"jssreport, version {__version__}\n")


def test_one_version_source() -> None:
    """``jssreport --version``, the package and the installed metadata agree (pyproject reads
    the version from jssreport/__init__.py)."""
    assert run("--version").stdout == f"jssreport, version {version('jssreport')}\n"
    assert __version__ == version("jssreport")
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
