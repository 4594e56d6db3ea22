"""Pages of the long contracts table, kept between builds by the hash of what they show.

At 20,000 contracts the table is a hundred pages and the largest part of rendering; an edit
to one contract changes one of them (and all of them only when something in their header
does: the date, the counts, the rules). Each page is kept in the project's cache folder under
a hash of everything the built-in templates read for it: the page and its rows, the pager,
the navigation, its charts and the few report values the header and the table's introduction
show, with the templates' own text and jssreport's code (``recordcache.entry_key``). A project
that overrides templates (its own ``templates/`` folder) may read anything, so its pages are
always rendered. Only the pages of this build are kept.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jssreport.incremental.recordcache import (
    enabled,
    entry_key,
    prune_entries,
    read_entry,
    write_entry,
)

if TYPE_CHECKING:
    from jssreport.report.compute import Report

KIND = "pages"
TEMPLATES = ("contracts.html", "base.html", "_macros.html")  # what a contracts page reads


class PageCache:
    def __init__(self, project: Path | None, report: Report, templates: Path) -> None:
        self.project = project if project is not None and enabled() and \
            not (project / "templates").is_dir() else None
        self.used: set[str] = set()
        if self.project is None:
            return
        source = hashlib.sha256()
        for name in TEMPLATES:
            source.update((templates / name).read_bytes() + b"\0")
        # What the built-in contracts.html and base.html read from the report itself.
        self.header = (source.digest(), report.as_of, report.title, report.profile.name,
                       report.rules.id, report.rules.period, report.rules.title,
                       len(report.rows), report.open_count, report.counted_count,
                       report.dormancy_note, report.currency, report.redacted,
                       () if report.advice is None else report.advice.detractors)

    def page(self, context: Mapping[str, Any], render: Callable[[], bytes]) -> bytes:
        """``render()``, or the bytes it gave for the same page in an earlier build."""
        if self.project is None:
            return render()
        shown = tuple(context[name] for name in ("page", "root", "nav", "charts", "content",
                                                 "own_heading", "rows", "pager", "row_offset"))
        key = entry_key(KIND, pickle.dumps((self.header, shown), pickle.HIGHEST_PROTOCOL))
        self.used.add(key)
        found = read_entry(self.project, KIND, key)
        if isinstance(found, bytes):
            return found
        html = render()
        write_entry(self.project, KIND, key, html)
        return html

    def prune(self) -> None:
        """Forget the pages of earlier builds."""
        if self.project is not None:
            prune_entries(self.project, KIND, self.used)
