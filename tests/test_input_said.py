"""No silent wrong answers: input that cannot be read or is not where it should be is an
error, never skipped; what the report date leaves out is a warning saying so; "today" is the
date in UTC, and a report date years after every record is a warning."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from markupsafe import escape

import jssreport.pipeline
from jssreport.cli import main
from jssreport.pipeline import resolve_as_of

PROFILE = "name: Sam\nas_of: 2020-07-01\n"
CONTRACTS = """\
contracts:
  - id: one
    client: Acme
    title: Logo
    type: fixed
    start: 2020-01-06
    end: 2020-02-03
    payments: [{date: 2020-02-03, amount: 500}]
    feedback: {date: 2020-02-05, stars: 5}
"""
PAGE = "# About\n\nHello.\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(make_project: Any) -> Path:
    return make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": CONTRACTS,
                         "content/pages/about.md": PAGE})


# --- folders that are files, folders that cannot be read, names spelt another way ----------


@pytest.mark.parametrize("folder", ["content/contracts", "content/scenarios", "content/pages"])
def test_a_content_folder_that_is_a_file_is_an_error(make_project: Any, folder: str) -> None:
    project = make_project({"content/profile.yml": PROFILE, folder: CONTRACTS})
    for command in ("check", "build"):
        result = run(command, "--project", project)
        assert result.exit_code == 1
        assert f"Error: {folder}: must be a folder, but it is a file" in result.output


@pytest.mark.parametrize("folder", ["content/contracts", "content/scenarios", "content/pages",
                                    "templates"])
def test_a_folder_that_cannot_be_read_is_an_error(project: Path, folder: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (project / folder).mkdir(parents=True, exist_ok=True)
    real = Path.iterdir

    def refuse(self: Path) -> Iterator[Path]:
        if self == project / folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    # score reads no template (the pages write the message drafts)
    commands = ("build", "check") if folder == "templates" else ("check", "build", "score")
    for command in commands:
        result = run(command, "--project", project)
        assert result.exit_code == 1, (command, result.output)
        assert f"Error: {folder}/: cannot read the folder: Permission denied" in result.output
        assert "Traceback" not in result.output


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0,
                    reason="root reads any folder")
def test_a_folder_without_read_permission_is_an_error(project: Path) -> None:
    pages = project / "content" / "pages"
    pages.chmod(0)
    try:
        result = run("check", "--project", project)
    finally:
        pages.chmod(0o755)
    assert "Error: content/pages/: cannot read the folder" in result.output


@pytest.mark.parametrize(("name", "error"), [
    ("content/pages/about.MD", "content/pages/about.MD: page files must end in .md; rename it "
                               "to about.md"),
    ("content/pages/notes.markdown", "page files must end in .md; rename it to notes.md"),
    ("content/pages/x.Md", "page files must end in .md"),
    ("content/contracts/x.YML", "content/contracts/x.YML: record files must end in .yml; "
                                "rename it to x.yml"),
    ("content/contracts/x.yaml", "record files must end in .yml"),
    ("content/contracts/x.Yaml", "record files must end in .yml"),
    ("content/scenarios/s.YML", "record files must end in .yml"),
])
def test_a_file_named_another_way_is_an_error_in_every_folder(project: Path, name: str,
                                                              error: str) -> None:
    (project / name).parent.mkdir(parents=True, exist_ok=True)
    (project / name).write_text(PAGE if "pages" in name else "contracts: []\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert error in result.output


def test_other_files_in_the_pages_folder_are_not_pages(project: Path) -> None:
    for name in ("photo.jpg", "notes.txt", ".draft.md", "about.md~"):
        (project / "content" / "pages" / name).write_text("x", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    assert "1 page" in result.output


# --- records dated after the report date ---------------------------------------------------


@pytest.mark.parametrize(("change", "warning"), [
    ("payments: [{date: 2020-02-03, amount: 500}, {date: 2020-08-01, amount: 50}, "
     "{date: 2020-09-01, amount: 5}]",
     "contract 'one' has 2 payments dated after the report date 2020-07-01 (from 2020-08-01); "
     "they are left out"),
    ("payments: [{date: 2020-02-03, amount: 500}, {date: 2020-08-01, amount: 50}]",
     "contract 'one' has 1 payment dated after the report date 2020-07-01 (from 2020-08-01); "
     "it is left out"),
    ("feedback: {date: 2020-07-05, stars: 5}",
     "contract 'one' has feedback dated 2020-07-05, after the report date 2020-07-01; it is "
     "left out"),
    ("last_activity: 2020-08-01", "contract 'one' has last_activity 2020-08-01, after the "
     "report date 2020-07-01; the contract is taken as it was on 2020-07-01"),
    ("end: 2020-12-01", "contract 'one' has end 2020-12-01, after the report date 2020-07-01; "
                        "the contract is taken as it was on 2020-07-01"),
])
def test_a_record_dated_after_the_report_date_is_a_warning(make_project: Any, change: str,
                                                           warning: str) -> None:
    key = change.split(":")[0]
    lines = [f"    {change}" if line.strip().startswith(f"{key}:") else line
             for line in CONTRACTS.splitlines()]
    if f"    {change}" not in lines:
        lines.append(f"    {change}")
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": "\n".join(lines) + "\n"})
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert f"Warning: {warning}" in result.output
    assert str(escape(warning)) in (project / "site" / "index.html").read_text(encoding="utf-8")
    strict = run("build", "--project", project, "--strict")
    assert strict.exit_code == 1 and warning in strict.output


def test_many_later_dates_are_counted_not_listed(make_project: Any) -> None:
    contracts = "contracts:\n" + "".join(
        f"  - {{id: c{i}, client: C{i}, title: T, type: fixed, start: 2020-01-06, "
        f"payments: [{{date: 2020-0{1 + i % 5}-20, amount: 5}}, {{date: 2021-01-01, "
        "amount: 5}]}\n" for i in range(15))
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/a.yml": contracts})
    result = run("build", "--project", project)
    assert result.output.count("dated after the report date") == 10
    assert "Warning: and 5 more dates after the report date 2020-07-01" in result.output


# --- the report date ----------------------------------------------------------------------


def test_today_is_the_date_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 23:30 UTC on 1 January it is already 2 January east of UTC."""
    instant = datetime(2026, 1, 1, 23, 30, tzinfo=timezone.utc)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return instant.astimezone(tz) if tz is not None else \
                (instant + timedelta(hours=10)).replace(tzinfo=None)

    monkeypatch.setattr(jssreport.pipeline, "datetime", Clock)
    monkeypatch.setenv("TZ", "Australia/Sydney")
    time.tzset()
    try:
        assert resolve_as_of(None, None, environ={}) == date(2026, 1, 1)
        # SOURCE_DATE_EPOCH is read the same way
        stamp = str(int(instant.timestamp()))
        assert resolve_as_of(None, None, environ={"SOURCE_DATE_EPOCH": stamp}) == \
            date(2026, 1, 1)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize(("as_of", "warned"), [
    ("2022-02-01", False), ("2022-02-07", True), ("2030-01-01", True), ("2020-07-01", False)])
def test_a_report_date_years_after_the_newest_record_is_a_warning(
        project: Path, as_of: str, warned: bool) -> None:
    result = run("build", "--project", project, "--as-of", as_of)
    assert result.exit_code == 0
    assert ("years after the newest record (2020-02-05)" in result.output) == warned, \
        result.output


def test_no_as_of_anywhere_warns_when_today_is_long_after(make_project: Any) -> None:
    project = make_project({"content/profile.yml": "name: Sam\n",
                            "content/contracts/a.yml": CONTRACTS})
    result = run("score", "--project", project)
    assert result.exit_code == 0
    built = run("build", "--project", project)
    assert "Warning: the report date" in built.output
    assert "set as_of in jssreport.yml or content/profile.yml, or pass --as-of" in built.output


@pytest.mark.parametrize("folder", ["content", "."])
def test_a_project_or_content_folder_that_cannot_be_read_is_an_error(
        project: Path, folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every path under it fails as a folder without permission does (root reads them all)."""
    locked = (project / folder).resolve()
    real_stat, real_iterdir = Path.stat, Path.iterdir

    def stat(self: Path, *args: Any, **kwargs: Any) -> Any:
        if locked in Path(os.path.abspath(self)).parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    def iterdir(self: Path) -> Iterator[Path]:
        if Path(os.path.abspath(self)) == locked or locked in Path(os.path.abspath(self)).parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    for command in ("check", "build", "score"):
        result = run(command, "--project", project)
        assert result.exit_code == 1, (command, result.output)
        assert "Permission denied" in result.output
        assert result.output.startswith("Error: ")
        assert "Traceback" not in result.output


def test_an_unexpected_unreadable_path_is_an_error_naming_it(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jssreport.pipeline

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", "/somewhere/cache/entry")

    monkeypatch.setattr(jssreport.pipeline, "render_report", refuse)
    result = run("build", "--project", project)
    assert (result.exit_code, result.output) == (
        1, "Error: /somewhere/cache/entry: Permission denied\n")


@pytest.mark.parametrize(("name", "error"), [
    ("templates", "templates: must be a folder, but it is a file"),
    ("content/profile.yml/", "content/profile.yml: must be a file, but it is a folder"),
    ("jssreport.yml/", "jssreport.yml: must be a file, but it is a folder"),
])
def test_a_file_where_a_folder_belongs_or_the_other_way_is_an_error(
        project: Path, name: str, error: str) -> None:
    path = project / name.rstrip("/")
    if path.is_file():
        path.unlink()
    if name.endswith("/"):
        path.mkdir()
    else:
        path.write_text("x", encoding="utf-8")
    for command in ("check", "build"):
        result = run(command, "--project", project)
        assert result.exit_code == 1, (command, result.output)
        assert f"Error: {error}" in result.output, result.output
