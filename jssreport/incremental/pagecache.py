"""Pages of the long contracts table, kept between builds by the hash of what they show.

At 20,000 contracts the table is a hundred pages and the largest part of rendering; an edit
to one contract changes one of them (and all of them only when something in their header
does: the date, the counts, the rules). What such a page may show is declared once, below:
the context names of ``TABLE_PAGE_FIELDS`` and, of the report, ``REPORT_FIELDS``. A kept
page's key is made of exactly those values, the text of every built-in template and
jssreport's code; and the page is rendered from exactly those values too (the report is
handed over as a view that holds nothing else), so a template that reads anything else
fails the build instead of serving a stale page. A project with its own ``templates/`` may
read anything: its pages are always rendered. Only the pages of the last build are kept.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jssreport.incremental.store import CacheStore, entry_key
from jssreport.paths import TEMPLATES_DIR, builtin_templates_dir

KIND = "pages"
TABLE_PAGE_FIELDS = ("page", "root", "nav", "charts", "content", "own_heading", "rows", "pager",
                     "row_offset")
REPORT_FIELDS = ("as_of", "title", "profile.name", "rules.id", "rules.period", "rules.title",
                 "contract_count", "open_count", "counted_count", "dormancy_note", "currency",
                 "redacted", "likely_detractors", "detractor_badges")


def report_values(report: object) -> tuple[Any, ...]:
    """The report's ``REPORT_FIELDS``, in order."""
    values = []
    for dotted in REPORT_FIELDS:
        value = report
        for name in dotted.split("."):
            value = getattr(value, name)
        values.append(value)
    return tuple(values)


def report_view(values: tuple[Any, ...]) -> SimpleNamespace:
    """The report's ``REPORT_FIELDS`` (``report_values``), and nothing else, as the
    templates read them."""
    view = SimpleNamespace()
    for dotted, value in zip(REPORT_FIELDS, values, strict=True):
        where = view
        *parents, last = dotted.split(".")
        for name in parents:
            if not hasattr(where, name):
                setattr(where, name, SimpleNamespace())
            where = getattr(where, name)
        setattr(where, last, value)
    return view


def templates_digest(folder: Path) -> bytes:
    """A hash of every built-in template (a page may include any of them)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def _repr_bytes(values: object) -> bytes:
    return repr(values).encode("utf-8", "surrogatepass")


def _rows_bytes(rows: Sequence[object]) -> bytes:
    """The table's rows as their classes and field values (dates as tagged day numbers) in
    marshal's version 2 (no references: equal values, equal bytes), about twice as fast as
    their repr; a value marshal cannot write falls back to the repr."""
    try:
        return marshal.dumps([(type(row).__name__, *[
            ("date", v.toordinal()) if type(v) is date else v for v in vars(row).values()])
            for row in rows], 2)
    except (TypeError, ValueError):
        return _repr_bytes(rows)


class PageCache:
    """What ``output.render.render_site`` is handed to render and keep the table's pages (a
    ``PageStore``)."""

    def __init__(self, store: CacheStore, project: Path | None) -> None:
        templates = builtin_templates_dir()
        self.builtin = templates is not None and not (
            project is not None and (project / TEMPLATES_DIR).is_dir())
        self.store = store if self.builtin else CacheStore(None)
        self.templates = templates_digest(templates) if self.store and templates else b""
        # The report's values and view, read once per report: some are counts over every
        # contract, and a history of n contracts has n / 200 table pages (read per page, that
        # was quadratic).
        self._report: object = None
        self._shown = b""  # the hash of the report's values' repr (large: the detractors)
        self._view = SimpleNamespace()

    def _report_of(self, report: object) -> tuple[bytes, SimpleNamespace]:
        if report is not self._report:
            values = report_values(report)
            self._shown = hashlib.sha256(_repr_bytes(values)).digest()
            self._view = report_view(values)
            self._report = report
        return self._shown, self._view

    def page(self, context: Mapping[str, Any], render: Callable[[Mapping[str, Any]], bytes]
             ) -> bytes:
        """``render`` of the page's declared values (all of ``context`` for a project's own
        templates), or the bytes it gave for the same values in an earlier build."""
        if not self.builtin:
            return render(context)
        report_shown, view = self._report_of(context["report"])
        shown = [context[name] for name in TABLE_PAGE_FIELDS]
        restricted = {**dict(zip(TABLE_PAGE_FIELDS, shown, strict=True)), "report": view}
        if not self.store:
            return render(restricted)
        # repr and marshal, not pickle: pickle's bytes depend on which equal objects happen
        # to be shared (records from the cache share differently than freshly parsed ones)
        rows = TABLE_PAGE_FIELDS.index("rows")
        key = entry_key(KIND, self.templates, report_shown, _rows_bytes(shown[rows]),
                        _repr_bytes(shown[:rows] + shown[rows + 1:]))
        found = self.store.read(KIND, key)
        if isinstance(found, bytes):
            return found
        html = render(restricted)
        self.store.write(KIND, key, html)
        return html

    def prune(self) -> None:
        """Forget the pages this build did not use."""
        self.store.prune(KIND)
