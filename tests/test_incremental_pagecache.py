"""The pages of the contracts table, kept between builds (jssreport.incremental.pagecache):
the report's values are read once per build, not once per page (n contracts make n / 200
pages, and some values are counts over every contract: per page that was quadratic)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from jssreport.incremental.pagecache import REPORT_FIELDS, TABLE_PAGE_FIELDS, PageCache
from jssreport.incremental.store import CacheStore


class CountingReport:
    """A report whose every value counts how often it is read."""

    def __init__(self) -> None:
        self.reads = 0

    def __getattr__(self, name: str) -> Any:
        self.reads += 1
        if name in ("profile", "rules"):
            return SimpleNamespace(name="Freelancer", id="upwork-2025", period="p", title="t")
        return name


def _context(report: object, k: int) -> dict[str, Any]:
    return {**{name: f"{name}-{k}" for name in TABLE_PAGE_FIELDS}, "report": report}


@pytest.mark.parametrize("kept", [False, True])
def test_the_report_is_read_once_for_all_pages(tmp_path: Path, kept: bool) -> None:
    cache = PageCache(CacheStore(tmp_path / "cache" if kept else None), tmp_path / "project")
    report = CountingReport()
    seen = []

    def render(context: Any) -> bytes:
        seen.append(context["report"].profile.name)
        return f"page {context['rows']}".encode()

    pages = [cache.page(_context(report, k), render) for k in range(50)]
    assert pages == [f"page rows-{k}".encode() for k in range(50)]
    assert seen == ["Freelancer"] * 50
    top_level = {dotted.split(".")[0] for dotted in REPORT_FIELDS}
    assert report.reads <= len(REPORT_FIELDS) + len(top_level)  # once, not 50 times


def test_a_new_report_is_read_again(tmp_path: Path) -> None:
    cache = PageCache(CacheStore(None), tmp_path / "project")
    first, second = CountingReport(), CountingReport()
    cache.page(_context(first, 1), lambda c: b"")
    cache.page(_context(second, 1), lambda c: b"")
    assert first.reads > 0 and second.reads > 0
