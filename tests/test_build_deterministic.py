"""The same input gives the same bytes: in another folder, another process (another hash seed),
with --redact and --single-file; no wall clock and no absolute path in the output.

tests/test_build.py has the plain two-folders case; these add what it does not cover.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jssreport.cli import main

ROOT = Path(__file__).resolve().parent.parent
MakeProject = Callable[..., Path]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def demo(where: Path, content: Path = ROOT / "content") -> Path:
    shutil.copytree(content, where / "content")
    shutil.copy2(ROOT / "jssreport.yml", where / "jssreport.yml")
    return where


def cli_build(*args: object) -> None:
    result = CliRunner().invoke(main, ["build", *(str(a) for a in args)])
    assert result.exit_code == 0, result.output


def process_build(project: Path, output: Path, seed: str, *extra: str) -> None:
    """A build in its own Python process, so set and dict orders get another hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-m", "jssreport", "build", "--project", str(project),
                    "-o", str(output), *extra], check=True, env=env, capture_output=True)


@pytest.mark.parametrize("extra", [(), ("--redact",)])
def test_two_processes_in_two_folders_give_the_same_bytes(tmp_path: Path,
                                                          extra: tuple[str, ...]) -> None:
    first = demo(tmp_path / "a")
    second = demo(tmp_path / "b" / "deeper" / "project")
    process_build(first, tmp_path / "out-1", "1", *extra)
    process_build(second, tmp_path / "out-2", "4242", *extra)
    one, two = snapshot(tmp_path / "out-1"), snapshot(tmp_path / "out-2")
    assert list(one) == list(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_no_absolute_path_and_no_wall_clock_in_the_output(tmp_path: Path) -> None:
    # the 2020 demo: the 2026 one projects six months past its date, through today's date
    project = demo(tmp_path / "somewhere-unusual",
                   ROOT / "tests" / "fixtures" / "examples" / "demo-2020" / "content")
    cli_build("--project", project)
    cli_build("--project", project, "--single-file", "-o", tmp_path / "one.html")
    files = {**snapshot(project / "site"), "one.html": (tmp_path / "one.html").read_bytes()}
    today = date.today()
    for name, data in files.items():
        for needle in (str(tmp_path), str(tmp_path.resolve()), "somewhere-unusual",
                       str(Path.home()), today.isoformat(), today.strftime("%d %b %Y")):
            assert needle.encode() not in data, f"{needle} in {name}"


def test_single_file_twice_is_byte_identical(tmp_path: Path) -> None:
    project = demo(tmp_path / "p")
    cli_build("--project", project, "--single-file", "-o", tmp_path / "1.html")
    cli_build("--project", project, "--single-file", "-o", tmp_path / "2.html")
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_source_date_epoch_dates_the_report(make_project: MakeProject, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project({
        "content/profile.yml": "name: Undated\n",
        "content/contracts/a.yml": """
            contracts:
              - {id: one, client: Acme, title: Job, type: fixed, start: 2020-01-06,
                 end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}]}
        """,
    })
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1593561600")  # 2020-07-01 00:00 UTC
    cli_build("--project", project, "-o", tmp_path / "one")
    cli_build("--project", project, "-o", tmp_path / "two")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert b'"as_of": "2020-07-01"' in (tmp_path / "one/report.json").read_bytes()
    cli_build("--project", project, "-o", tmp_path / "three", "--as-of", "2020-08-01")
    assert b'"as_of": "2020-08-01"' in (tmp_path / "three/report.json").read_bytes()
