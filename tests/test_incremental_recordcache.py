"""Parsed contract files are cached by content hash, never served stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MakeProject

from jssreport.incremental.recorditems import cached_parser
from jssreport.incremental.store import SUFFIX, CacheStore, cache_folder
from jssreport.input.records import Records
from jssreport.input.records import load_records as load

PROFILE = "name: Cache Test\nas_of: 2021-06-01\n"
ONE = """\
contracts:
  - {id: one, client: A, title: T, type: fixed, start: 2021-01-04, end: 2021-02-01,
     payments: [{date: 2021-02-01, amount: 300}], feedback: {date: 2021-02-02, stars: 5}}
"""


def entries(project: Path) -> list[Path]:
    return sorted((cache_folder(project) / "contracts").glob(f"*{SUFFIX}"))


def load_records(project: Path) -> Records:
    """As a build loads them: through the project's cache."""
    return load(project, cached_parser(CacheStore.for_project(project)))


def test_second_load_uses_the_cache_and_gives_the_same_records(
        make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": ONE})
    first = load_records(project)
    assert len(entries(project)) == 1
    assert load_records(project) == first


def test_an_edit_is_never_served_stale(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": ONE})
    load_records(project)
    path = project / "content/contracts/a.yml"
    stat = path.stat()
    path.write_text(ONE.replace("amount: 300", "amount: 900"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: content decides
    assert load_records(project).contracts[0].total_earned == 900
    assert len(entries(project)) == 1  # the old version's entry is of no further use


def test_the_cache_keeps_only_the_current_files(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": ONE,
                            "content/contracts/b.yml": ONE.replace("id: one", "id: two")})
    load_records(project)
    assert len(entries(project)) == 2
    (project / "content/contracts/b.yml").unlink()
    load_records(project)
    assert len(entries(project)) == 1
    latest = cache_folder(project) / "contracts-latest"
    assert len(list(latest.glob(f"*{SUFFIX}"))) == 1


def test_a_corrupt_entry_is_a_miss(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": ONE})
    expected = load_records(project)
    for entry in entries(project):
        entry.write_bytes(b"not a pickle")
    assert load_records(project) == expected


def test_problems_are_cached_too_and_still_reported(make_project: MakeProject) -> None:
    bad = ONE.replace("stars: 5", "stars: 7")
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": bad})
    for _ in range(2):
        with pytest.raises(Exception, match="feedback.stars must be between 1 and 5, got 7"):
            load_records(project)


def test_the_cache_can_be_turned_off(make_project: MakeProject,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSSREPORT_NO_CACHE", "1")
    project = make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": ONE})
    load_records(project)
    assert entries(project) == []
