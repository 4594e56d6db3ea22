"""What the pages show of the long lists of a report, computed once per build.

The contracts newest first, split over pages; the ranked actions, split over pages; the
likeliest detractors; the next roll-off dates; the head of each group of changes since the
last build. How much each shows is set in ``paging.py``; report.json has every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jssreport.output import paging
from jssreport.output.paging import Head, LongTable, head, page_rows, parts_of

if TYPE_CHECKING:
    from jssreport.report.compute import Report
    from jssreport.report.data import ContractRow


@dataclass(frozen=True)
class Detractor:
    """One row of the Explain page's table of likely detractors."""

    id: str
    title: str
    client: str
    stars: str
    probability: float
    negative: float
    passive: float
    prior: float
    best_fit: str  # positive | passive | negative in the likeliest combination, or ""


@dataclass(frozen=True)
class PageViews:
    """What the pages show of the report's long lists: the long tables split over pages, and the
    head of each other list."""

    tables: dict[str, LongTable]  # by SitePage.table
    detractors: Head  # of Detractor, likeliest first
    rolloff: Head  # of advice RollOff, soonest first
    plan: Head  # of advice PlanStep, in order
    since_groups: tuple[tuple[str, Head], ...]  # (heading, changes) of "since the last build"


def page_views(report: Report) -> PageViews:
    contracts = newest_first(report.rows)
    per_page = paging.CONTRACTS_PER_PAGE
    rolloff = report.advice.rolloff if report.advice is not None else ()
    plan = report.advice.plan if report.advice is not None else ()
    since = report.since.groups if report.since is not None else ()
    return PageViews(
        tables={
            "contracts": LongTable(contracts, per_page, contract_page_labels(contracts, per_page)),
            "actions": LongTable(report.recommendations, paging.ACTIONS_PER_PAGE),
        },
        detractors=_detractors(report),
        rolloff=head(rolloff, paging.ROLLOFF_SHOWN),
        plan=head(plan, paging.PLAN_SHOWN),
        since_groups=tuple((heading, head(changes, paging.SINCE_SHOWN))
                           for heading, changes in since),
    )


def newest_first(rows: tuple[ContractRow, ...]) -> tuple[ContractRow, ...]:
    """The contracts table's order: the ones that matter today (open, recent) on page one."""
    return tuple(sorted(rows, key=lambda r: (r.start, r.id), reverse=True))


def contract_page_labels(rows: tuple[ContractRow, ...], per_page: int) -> tuple[str, ...]:
    """``started 2026-06-30 to 2026-04-12``: the start dates each page covers."""
    labels = []
    for part in range(1, parts_of(len(rows), per_page) + 1):
        mine = page_rows(rows, part, per_page)
        if not mine:
            labels.append("no contracts")
            continue
        newest, oldest = mine[0].start.isoformat(), mine[-1].start.isoformat()
        labels.append(f"started {newest}" if newest == oldest else
                      f"started {newest} to {oldest}")
    return tuple(labels)


def _detractors(report: Report) -> Head:
    advice = report.advice
    e = None if advice is None else advice.explanation
    if advice is None or e is None:
        return head((), 0)
    best_fit = dict(e.best_fit)
    shown = tuple(
        Detractor(s.id, advice.title(s.id), advice.client(s.id),
                  "" if s.stars is None else str(s.stars), s.probability, s.negative,
                  s.passive, s.prior, best_fit.get(s.id, ""))
        for s in e.contracts[:paging.DETRACTORS_SHOWN])  # already likeliest first
    return Head(shown, len(e.contracts))
