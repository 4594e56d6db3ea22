"""Long tables over several pages, and how much of a long list a page or a chart shows.

A history of thousands of contracts would make pages of megabytes that a browser opens slowly
and nobody reads to the end. So the contracts table and the ranked actions are split into
pages of a fixed number of rows (``contracts.html``, ``contracts-2.html``, ...) joined by a
pager, and the lists where only the head matters (the likeliest detractors, the next roll-off
dates, the bars of a chart) show their first rows with the count of the rest; report.json
always has everything. Pure: no Jinja, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# Rows per page: a contracts row is about 1 kB of HTML, an action with its message draft about
# 2 kB, so a page stays near 200 kB, well under the 400 kB a page may weigh.
CONTRACTS_PER_PAGE = 200
ACTIONS_PER_PAGE = 100
# The head of a long list shown on its page; report.json lists every item.
DETRACTORS_SHOWN = 100  # the explain table: the likeliest detractors
ROLLOFF_SHOWN = 100  # the roll-off calendar and its chart: the next dates
PLAN_SHOWN = 50  # the closing plan's first steps: two years at two weeks apart
SINCE_SHOWN = 25  # each group of "what changed since the last build"
NEIGHBOURS = 2  # the pager links this many pages on each side of the current one


def part_path(path: str, part: int) -> str:
    """``contracts.html`` for the first page, ``contracts-2.html`` for the second, ..."""
    if part == 1:
        return path
    stem, dot, ext = path.rpartition(".")
    return f"{stem}-{part}.{ext}" if dot else f"{path}-{part}"


def parts_of(rows: int, per_page: int) -> int:
    """How many pages ``rows`` rows take (one even when there are none)."""
    return max(1, -(-rows // per_page))


@dataclass(frozen=True)
class PagerLink:
    """One link of a pager: a page of a long table, or a gap for the pages left out."""

    label: str  # "1", "2", ... or "…" for pages left out
    href: str  # "" for a gap
    number: int = 0  # the page's number; 0 for a gap
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """Where one page of a long table is among the pages of that table."""

    part: int  # this page's number, from 1
    parts: int
    first: int  # the number of this page's first row, from 1
    last: int
    total: int  # rows over all the pages
    hrefs: tuple[str, ...]  # every page, in order, as a link from this page
    labels: tuple[str, ...]  # what each page holds, e.g. "started 2026-06-30 to 2026-02-11"

    @property
    def previous_href(self) -> str:
        return self.hrefs[self.part - 2] if self.part > 1 else ""

    @property
    def next_href(self) -> str:
        return self.hrefs[self.part] if self.part < self.parts else ""

    @property
    def label(self) -> str:
        return self.labels[self.part - 1]

    @property
    def range_text(self) -> str:
        """``201–400 of 2,000``."""
        return f"{self.first:,}–{self.last:,} of {self.total:,}"

    @property
    def links(self) -> tuple[PagerLink, ...]:
        """The first and the last page, this one and its neighbours, gaps between."""
        shown = sorted({1, self.parts, *range(max(1, self.part - NEIGHBOURS),
                                              min(self.parts, self.part + NEIGHBOURS) + 1)})
        out: list[PagerLink] = []
        before = 0
        for number in shown:
            if number - before == 2:  # a gap of one page: link it instead
                out.append(self._link(before + 1))
            elif number - before > 2:
                out.append(PagerLink("…", ""))
            out.append(self._link(number))
            before = number
        return tuple(out)

    @property
    def pages(self) -> tuple[PagerLink, ...]:
        """Every page with what it holds: the index of all pages."""
        return tuple(PagerLink(self.labels[k], self.hrefs[k], k + 1, k + 1 == self.part)
                     for k in range(self.parts))

    def _link(self, number: int) -> PagerLink:
        return PagerLink(str(number), self.hrefs[number - 1], number, number == self.part)


def pager(path: str, part: int, total: int, per_page: int,
          labels: Sequence[str] = ()) -> Pager:
    """The pager of page ``part`` of a table of ``total`` rows whose first page is ``path``
    (all its pages are in the same folder, so links are bare file names)."""
    parts = parts_of(total, per_page)
    names = tuple(part_path(path, k).rpartition("/")[2] for k in range(1, parts + 1))
    first = (part - 1) * per_page + 1
    return Pager(part, parts, min(first, total), min(total, part * per_page), total, names,
                 tuple(labels) or tuple(rows_label(k, per_page, total)
                                        for k in range(1, parts + 1)))


def rows_label(part: int, per_page: int, total: int) -> str:
    """``1–100``: the numbers of the rows of page ``part``."""
    return f"{(part - 1) * per_page + 1:,}–{min(total, part * per_page):,}"


def page_rows(rows: Sequence[T], part: int, per_page: int) -> Sequence[T]:
    return rows[(part - 1) * per_page: part * per_page]


@dataclass(frozen=True)
class LongTable:
    """The rows of a table split over pages of ``per_page`` rows, in the order shown."""

    rows: Sequence[Any]
    per_page: int
    labels: tuple[str, ...] = ()  # what each page holds; default: the row numbers

    @property
    def parts(self) -> int:
        return parts_of(len(self.rows), self.per_page)

    def part(self, first_path: str, part: int) -> tuple[Sequence[Any], Pager | None]:
        """The rows of page ``part`` and its pager (None when one page holds them all)."""
        if self.parts == 1:
            return self.rows, None
        return (page_rows(self.rows, part, self.per_page),
                pager(first_path, part, len(self.rows), self.per_page, self.labels))


@dataclass(frozen=True)
class Head:
    """The first rows of a long list, and how many there are in all."""

    rows: tuple[Any, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def shown_text(self) -> str:
        """``100 of 1,756``."""
        return f"{len(self.rows):,} of {self.total:,}"


def head(rows: Sequence[Any], shown: int) -> Head:
    return Head(tuple(rows[:shown]), len(rows))
