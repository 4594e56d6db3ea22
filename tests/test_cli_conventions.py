"""Command-line conventions: exit statuses, --project on either side of the command,
check --strict exactly where build --strict fails, -q, serve's options, whole help texts and
messages that name the problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jssreport import cli
from jssreport.cli import main

MakeProject = Callable[..., Path]
PROFILE = "name: Test Person\nas_of: 2020-07-01\n"
CONTRACTS = """
    contracts:
      - {id: one, client: One, title: First, type: fixed, start: 2020-01-06, end: 2020-02-01,
         payments: [{date: 2020-02-01, amount: 400}], feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Two, title: Second, type: fixed, start: 2020-02-03, end: 2020-03-01,
         payments: [{date: 2020-03-01, amount: 1200}], feedback: {date: 2020-03-02, stars: 4.6}}
"""
LATE = """
      - {id: late, client: Three, title: Later, type: hourly, start: 2020-08-03}
"""
SNAPSHOT_LATE = "snapshots:\n  - {date: 2020-09-01, jss: 90}\n"
NO_CONTRACTS = ("no contracts yet: import them with 'jssreport import upwork-csv FILE...' or "
                "write them in content/contracts/")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_project_before_or_after_the_command(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": CONTRACTS})
    after = run("check", "--project", project)
    before = run("--project", project, "check")
    assert (before.exit_code, before.stdout) == (after.exit_code, after.stdout) == (
        0, "OK: 2 contracts, 0 pages, 0 scenarios; no problems found.\n")
    # after the command wins
    assert run("--project", project / "nowhere", "check", "--project", project).exit_code == 0
    assert run("--project", project, "score", "--json").exit_code == 0


# Each case: the files, the --as-of given, and the warnings a build has.
CASES: dict[str, tuple[dict[str, str], tuple[str, ...], list[str]]] = {
    "clean": ({"content/profile.yml": PROFILE, "content/contracts/a.yml": CONTRACTS}, (), []),
    "contract after the date": (
        {"content/profile.yml": PROFILE, "content/contracts/a.yml": CONTRACTS + LATE}, (),
        ["contract 'late' starts after the report date 2020-07-01; it is left out"]),
    "earlier --as-of": (
        {"content/profile.yml": PROFILE, "content/contracts/a.yml": CONTRACTS},
        ("--as-of", "2020-01-31"),
        ["contract 'two' starts after the report date 2020-01-31; it is left out"]),
    "snapshot after the date": (
        {"content/profile.yml": PROFILE + SNAPSHOT_LATE, "content/contracts/a.yml": CONTRACTS},
        (), ["snapshot of 2020-09-01 is after the report date 2020-07-01; it is left out"]),
    "no contracts": (
        {"content/profile.yml": PROFILE, "content/contracts/a.yml": "contracts: []\n"}, (),
        [NO_CONTRACTS]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_strict_fails_exactly_where_build_strict_fails(
        make_project: MakeProject, tmp_path: Path, case: str) -> None:
    files, as_of, warnings = CASES[case]
    project = make_project(files)
    strict_check = run("check", "--strict", *as_of, "--project", project)
    strict_build = run("build", "--strict", *as_of, "--project", project, "-o", tmp_path / "s")
    errors = "".join(f"Error: {w} (--strict)\n" for w in warnings)
    assert (strict_check.exit_code, strict_check.stderr) == (1 if warnings else 0, errors)
    assert (strict_build.exit_code, strict_build.stderr) == (1 if warnings else 0, errors)
    # without --strict both succeed and show the same warnings
    shown = "".join(f"Warning: {w}\n" for w in warnings)
    check = run("check", *as_of, "--project", project)
    build = run("build", *as_of, "--project", project, "-o", tmp_path / "b", "-q")
    assert (check.exit_code, check.stderr) == (build.exit_code, build.stderr) == (0, shown)
    count = len(warnings)
    assert check.stdout.endswith("; no problems found" + (
        f", {count} warning{'s' if count > 1 else ''}.\n" if count else ".\n"))
    assert build.stdout == ""


def test_quiet_build_prints_nothing(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": CONTRACTS})
    assert run("build", "-q", "--project", project).output == ""
    assert run("build", "--quiet", "--project", project).output == ""
    assert run("build", "--project", project).stdout.startswith("Wrote ")


def test_exit_statuses(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": CONTRACTS})
    assert run("score", "--project", project).exit_code == 0
    assert run("score", "--project", project, "--fail-under", 100).exit_code == 3
    assert run("score", "--project", project, "--no-such-option").exit_code == 2
    assert run("check", "--project", project, "--as-of", "2020-02-30").exit_code == 2
    (project / "content/contracts/a.yml").write_text("contracts: 7\n", encoding="utf-8")
    assert run("check", "--project", project).exit_code == 1
    top = run("--help").stdout
    assert "Exit status: 0 ok, 1 input error (records, settings, files), 2 usage error" in top
    assert "3 the estimate is below score --fail-under." in top


def test_tabs_are_named(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE})
    (project / "content/contracts").mkdir()
    (project / "content/contracts/a.yml").write_bytes(
        b"contracts:\n  - id: one\n\tclient: One\n")
    result = run("check", "--project", project)
    assert (result.exit_code, result.stderr) == (
        1, "Error: content/contracts/a.yml:3: tabs are not allowed in YAML; indent with spaces "
        "(column 1)\n")
    (project / "content/contracts/a.yml").write_bytes(b"contracts:\n\t- id: one\n")
    assert run("check", "--project", project).stderr == (
        "Error: content/contracts/a.yml:2: tabs are not allowed in YAML; indent with spaces "
        "(column 1)\n")


def test_a_bare_list_says_to_start_with_contracts(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": """
        - {id: one, client: One, title: First, type: fixed, start: 2020-01-06}
    """})
    result = run("check", "--project", project)
    assert (result.exit_code, result.stderr) == (
        1, "Error: content/contracts/a.yml:1: the file is a bare list of contracts: start it "
        "with a line 'contracts:' and indent the list under it\n")


def test_no_snapshot_marker_over_no_contracts_yet(make_project: MakeProject,
                                                  tmp_path: Path) -> None:
    project = make_project({
        "content/profile.yml": PROFILE + "snapshots:\n  - {date: 2020-06-01, jss: 90}\n",
        "content/contracts/a.yml": "contracts:\n"})
    result = run("build", "--project", project, "-o", tmp_path / "site")
    assert (result.exit_code, result.stderr) == (0, f"Warning: {NO_CONTRACTS}\n")
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    start = page.index('Plotly.newPlot("chart-history", ') + len('Plotly.newPlot("chart-history", ')
    data, _ = json.JSONDecoder().raw_decode(page[start:])
    assert data == []
    assert "No contracts yet" in page[start:page.index("</script>", start)]


def test_serve_host_port_and_open(make_project: MakeProject,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": CONTRACTS})
    calls: list[dict[str, Any]] = []

    def fake_serve(*args: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    monkeypatch.setattr("jssreport.commands.serve.serve", fake_serve)
    assert run("serve", "--project", project).exit_code == 0
    assert run("serve", "--project", project, "--host", "0.0.0.0", "--port", "0",
               "--open").exit_code == 0
    assert [(c["host"], c["port"], c["ready"]) for c in calls] == [
        ("127.0.0.1", 8000, None), ("0.0.0.0", 0, cli._open_in_browser)]


def test_help_texts_are_whole() -> None:
    """The command list shows each command's own short help, never a cut one, and every
    command's --help its whole description."""
    listing = run("--help").stdout
    commands = dict(main.commands)
    for name, command in commands.items():
        assert command.short_help, name
        assert f"  {name:<8} {command.short_help}\n" in listing, name
    assert "..." not in listing.split("Commands:")[1]
    for name in ("init", "build", "check", "score", "explain", "serve", "schema"):
        text = run(name, "--help").stdout
        assert " ".join((commands[name].help or "").split()) in " ".join(text.split()), name
        assert "..." not in text.split("\n", 1)[1].replace("FILE...", ""), name
    group = run("import", "--help").stdout
    assert "  upwork-csv  Merge Upwork transaction CSV exports into the records.\n" in group
