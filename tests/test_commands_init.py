"""``jssreport init``: an empty but valid start, the demo, the shipped examples; the workflow
it writes passes actionlint and zizmor."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jssreport import __version__
from jssreport.cli import main
from jssreport.commands.init import example_names
from jssreport.commands.workflow import WORKFLOW_PATH

ROOT = Path(__file__).resolve().parent.parent
NO_CONTRACTS = ("no contracts yet: import them with 'jssreport import upwork-csv FILE...' or "
                "write them in content/contracts/")
EMPTY_FILES = [".github/dependabot.yml", ".github/workflows/pages.yml", ".gitignore",
               "content/contracts/contracts.yml", "content/profile.yml", "jssreport.yml",
               "requirements.txt"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and ".jssreport-cache" not in p.parts and "site" not in p.parts)


def test_init_starts_empty_but_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "mine")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created a report project in mine/ (7 files; no contracts yet).\n"
        "Next:\n"
        "  cd mine\n"
        "  1. Put your name in content/profile.yml.\n"
        "  2. Add your contracts: import Upwork's transaction history (CSV) with\n"
        "       jssreport import upwork-csv ~/Downloads/*.csv\n"
        "     or write them in content/contracts/contracts.yml (an example is inside).\n"
        "  3. jssreport check          # lists every problem in the records\n"
        "  4. jssreport serve --open   # builds the report, opens it, rebuilds on change\n"
        "To publish on GitHub Pages: push to GitHub, then Settings > Pages > Source: "
        "GitHub Actions.\n")
    project = tmp_path / "mine"
    assert files_of(project) == EMPTY_FILES  # no demo pages, no scenarios
    check = run("check", "--project", project)
    assert (check.exit_code, check.stdout, check.stderr) == (
        0, "OK: 0 contracts, 0 pages, 0 scenarios; no problems found, 1 warning.\n",
        f"Warning: {NO_CONTRACTS}\n")
    build = run("build", "--project", project, "-q")
    assert (build.exit_code, build.stdout, build.stderr) == (0, "", f"Warning: {NO_CONTRACTS}\n")
    assert (project / "site/index.html").is_file()


def test_the_commented_example_contract_is_a_valid_record(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    assert run("init", project).exit_code == 0
    contracts = project / "content/contracts/contracts.yml"
    text = contracts.read_text(encoding="utf-8")
    head, example = text.split("\ncontracts:\n")
    assert example.startswith("#  - id: ")
    uncommented = head + "\ncontracts:\n" + "".join(
        line.replace("# ", "", 1) for line in example.splitlines(keepends=True))
    contracts.write_text(uncommented, encoding="utf-8")
    result = run("check", "--strict", "--project", project)
    assert (result.exit_code, result.stdout) == (
        0, "OK: 1 contract, 0 pages, 0 scenarios; no problems found.\n"), result.stderr


def test_init_demo_copies_the_demo(tmp_path: Path) -> None:
    result = run("init", tmp_path / "demo", "--demo")
    assert result.exit_code == 0, result.output
    written = files_of(tmp_path / "demo")
    assert "content/pages/about.md" in written and "content/scenarios/close-quiet.yml" in written
    assert set(EMPTY_FILES) - {"content/contracts/contracts.yml"} <= set(written)
    assert run("check", "--strict", "--project", tmp_path / "demo").exit_code == 0


def test_init_example_without_a_name_lists_the_examples() -> None:
    result = run("init", "--example")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "The examples (jssreport init DIR --example NAME):"
    assert [line.split()[0] for line in lines[1:]] == list(example_names())
    assert {"demo-2020", "seed-82", "seed-explain", "one-bad-77", "partial-80",
            "unresponsive-75"} <= set(example_names())
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines[1:])  # each described


def test_init_unknown_example_is_a_usage_error(tmp_path: Path) -> None:
    result = run("init", tmp_path / "x", "--example", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: there is no example named 'nope'.\n"
                                    "The examples (jssreport init DIR --example NAME):\n")
    assert not (tmp_path / "x").exists()
    both = run("init", tmp_path / "x", "--demo", "--example", "seed-82")
    assert both.exit_code == 2 and "choose --demo or --example, not both" in both.stderr


@pytest.mark.parametrize("name", ["seed-82", "demo-2020"])
def test_init_example_copies_a_project_that_builds(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    result = run("init", target, "--example", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(f"files; the example {name}).")
    assert not (target / "expected.yml").exists()
    source = ROOT / "jssreport/examples" / name / "content"
    for path in source.rglob("*.yml"):
        rel = path.relative_to(source.parent)
        assert (target / rel).read_bytes() == path.read_bytes(), rel
    build = run("build", "--project", target, "--strict", "-q")
    assert (build.exit_code, build.stdout, build.stderr) == (0, "", "")


def test_demo_2020_is_the_demo_of_2020() -> None:
    profile = (ROOT / "jssreport/examples/demo-2020/content/profile.yml").read_text("utf-8")
    assert "as_of: 2020-07-01" in profile
    demo = ROOT / "jssreport/examples/demo-2020/content"
    assert sorted(p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.is_file()) == [
        "contracts/contracts.yml", "pages/about.md", "profile.yml",
        "scenarios/close-one-poor.yml", "scenarios/close-quiet.yml",
        "scenarios/two-new-jobs.yml"]


def tool(name: str) -> str | None:
    """A linter from the dev group: next to this Python, else on PATH; a skip without it
    (a failure on CI)."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.is_file() else shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (pip install --group dev)")
        pytest.skip(f"{name} is not installed (pip install --group dev)")
    return found


def test_every_workflow_passes_actionlint_and_zizmor(tmp_path: Path) -> None:
    """The workflows of this repository and the one init writes: actionlint (syntax, types,
    deprecated actions) and zizmor (permissions, injection, pinning) offline."""
    actionlint, zizmor = tool("actionlint"), tool("zizmor")
    assert actionlint is not None and zizmor is not None
    project = tmp_path / "new"
    assert run("init", project).exit_code == 0
    config = ROOT / ".github/zizmor.yml"
    for folder in (ROOT, project):
        flows = sorted(str(p) for p in (folder / ".github/workflows").glob("*.yml"))
        assert flows
        lint = subprocess.run([actionlint, "-no-color", *flows], capture_output=True,
                              text=True, cwd=folder, check=False)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        audit = subprocess.run([zizmor, "--offline", "--no-progress", "--config", str(config),
                                *flows, str(folder / ".github/dependabot.yml")],
                               capture_output=True, text=True, check=False)
        assert audit.returncode == 0, audit.stdout + audit.stderr
    assert (project / WORKFLOW_PATH).is_file()
    assert f"jssreport=={__version__}" in (project / "requirements.txt").read_text("utf-8")
