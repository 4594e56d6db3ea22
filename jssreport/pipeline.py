"""The only place that knows the order: load -> compute -> render -> write (``build_site``).

Each stage is a function from values to values (docs/architecture.md). Speed is a layer
under them, chosen here in one spot: the stages are handed the project's cache
(``jssreport.incremental``) and give the same result without it. Everything runs in one
process, one stage after the other (a two-core schedule was measured and removed: it bought
nothing on rebuilds; docs/architecture.md, "Where speed lives").

Everything is rendered in memory first; the files go to a fresh folder next to the output,
which then replaces the old site with two renames. A failure at any step leaves the previous
site exactly as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from jssreport.errors import JssReportError, Problem, UsageError
from jssreport.incremental.memo import Memo
from jssreport.incremental.pagecache import PageCache
from jssreport.incremental.recorditems import cached_parser
from jssreport.incremental.store import CacheStore
from jssreport.incremental.templatecache import template_cache
from jssreport.input.config import Settings
from jssreport.input.examples import load_fit_examples
from jssreport.input.fields import date_out_of_range
from jssreport.input.records import Records, load_records
from jssreport.input.yamlload import paused_gc
from jssreport.jsonformat import json_bytes, with_value
from jssreport.output.advicecharts import advice_charts
from jssreport.output.charts import build_charts
from jssreport.output.messages import with_message_drafts
from jssreport.output.render import render_site
from jssreport.output.reportjson import report_json
from jssreport.output.write import check_output, read_previous, write_site
from jssreport.paths import DEFAULT_OUTPUT
from jssreport.report.assess import assess
from jssreport.report.calibration import fit_table
from jssreport.report.compute import Report
from jssreport.textformat import counted, format_size


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (``build_site``): where and which files, how many pages and charts, the
    bytes and seconds it took, the report date and the warnings."""

    output: Path
    files: tuple[str, ...]  # relative paths, sorted (a single file: its pages)
    pages: int
    charts: int
    bytes: int
    seconds: float
    as_of: date
    warnings: tuple[str, ...] = ()
    single_file: bool = False

    def summary(self, shown: str) -> str:
        """``Wrote 4 pages, 5 charts and report.json to site/ (1.4 MB) in 0.41 s``, or
        ``Wrote 4 pages and 5 charts as one file to report.html (1.4 MB) in 0.41 s``."""
        size = f"({format_size(self.bytes)}) in {self.seconds:.2f} s"
        if self.single_file:
            return (f"Wrote {counted(self.pages, 'page')} and {counted(self.charts, 'chart')} "
                    f"as one file to {shown} {size}")
        return (f"Wrote {counted(self.pages, 'page')}, {counted(self.charts, 'chart')} and "
                f"report.json to {shown.rstrip('/')}/ {size}")


def resolve_as_of(settings_as_of: date | None, profile_as_of: date | None,
                  environ: Mapping[str, str] | None = None, today: date | None = None) -> date:
    """The report date: the flag or jssreport.yml, then the profile, then
    SOURCE_DATE_EPOCH (for reproducible builds), then today. Both of the last two are dates in
    UTC, so a build does not depend on the machine's time zone."""
    for given, where in ((settings_as_of, "as_of"), (profile_as_of, "the profile's as_of")):
        if given is not None:
            bad = date_out_of_range(given)
            if bad:  # the input stage checks both; this is for callers of the API
                raise UsageError(f"{where} {bad}, got {given.isoformat()}")
            return given
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            day = datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                             f"got '{epoch[:40]}'") from None
        bad = date_out_of_range(day)
        if bad:
            raise UsageError(f"SOURCE_DATE_EPOCH is the date {day.isoformat()}: the report date "
                             f"{bad}")
        return day
    return today or datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class Rendered:
    """Every output file in memory, and what they were made from."""

    report: Report
    files: dict[str, bytes]
    charts: int
    as_of: date


def assess_project(project: Path, settings: Settings, as_of: date | None = None,
                   cache: CacheStore | None = None) -> tuple[Records, Report]:
    """Load and compute: the records and the one report every output reads (``score``
    prints it). Speed lives under the stages and is chosen here: the project's cache
    (``jssreport.incremental``)."""
    cache = CacheStore.for_project(project) if cache is None else cache
    records = load_records(project, cached_parser(cache))
    day = as_of or resolve_as_of(settings.as_of, records.profile.as_of)
    if settings.redact:  # names and text go before the model sees them
        # imported when used, as are "since" and the single file below: a build imports
        # only the modules it runs
        from jssreport.report.redact import redact_inputs

        records, settings = redact_inputs(records, settings)
    memo = Memo(cache)
    report = assess(records, settings, day, memo)
    memo.prune()  # what no part of this build used is of no further use
    return records, report


def render_report(project: Path, settings: Settings, as_of: date | None = None,
                  strict: bool = False, previous: Mapping[str, Any] | bytes | None = None
                  ) -> Rendered:
    """Load, compute and render; nothing is written. ``previous``: the report.json of the
    last build, for "what changed since" (its text: decoded with the new report, and left
    out when it is not a report.json)."""
    cache = CacheStore.for_project(project)
    with paused_gc():  # many small objects and no cycles worth collecting
        records, report = assess_project(project, settings, as_of, cache)
        report = replace(report, warnings=report.warnings + template_warnings(project))
        if strict and report.warnings:
            raise JssReportError([Problem(message=f"{w} (--strict)") for w in report.warnings])
        data = report_json(report)
        text = json_bytes(data)  # report.json; "what changed" reads its lines
        if previous is not None:
            from jssreport.report.since import previous_report, since_previous

            if isinstance(previous, bytes):
                previous = previous_report(previous, data, text)
        if previous is not None:
            report = replace(report, since=since_previous(report.estimate.as_of, previous,
                                                          data))
            since = None if report.since is None else report.since.to_json()
            text = with_value(text, "since", since)
        report = with_message_drafts(report, records.contracts, records.profile.name, project)
        charts = {**build_charts(report), **advice_charts(report)}
        fit = fit_table(load_fit_examples())
        files = render_site(report, records.pages, charts, project, text,
                            PageCache(cache, project), template_cache(cache), fit)
    return Rendered(report, files, len(charts), report.as_of)


def build_site(project: Path, settings: Settings, as_of: date | None = None,
               output: Path | None = None, strict: bool = False,
               since: Path | None = None, force: bool = False) -> BuildResult:
    """Build the site of ``project`` into ``output`` (default: the settings' output folder):
    load -> compute -> render (``render_report``) -> write (``write_site``). ``force``:
    replace that folder even when jssreport did not write it.

    "What changed" compares with ``since`` (a report.json) when given, else with the
    report.json of the site being replaced, read before it is replaced.
    """
    started = time.perf_counter()
    target = output if output is not None else project / (settings.output or DEFAULT_OUTPUT)
    check_output(target, project, force)  # before the work, not only before writing
    previous = _load_previous(since) if since is not None else \
        read_previous(target / "report.json")
    rendered = render_report(project, settings, as_of, strict, previous)
    write_site(rendered.files, target, project, force)
    return BuildResult(
        output=target,
        files=tuple(sorted(rendered.files)),
        pages=sum(1 for name in rendered.files if name.endswith(".html")),
        charts=rendered.charts,
        bytes=sum(len(data) for data in rendered.files.values()),
        seconds=time.perf_counter() - started,
        as_of=rendered.as_of,
        warnings=rendered.report.warnings,
    )


def build_single_file(project: Path, settings: Settings, as_of: date | None = None,
                      output: Path | None = None, strict: bool = False,
                      since: Path | None = None, force: bool = False) -> BuildResult:
    """Build the report of ``project`` as one HTML file (default: report.html in it);
    ``force``: replace that file even when it is not a jssreport report."""
    from jssreport.output.singlefile import DEFAULT_NAME, assemble, check_target, write_file

    started = time.perf_counter()
    target = output if output is not None else project / DEFAULT_NAME
    check_target(target, project, force)
    previous = _load_previous(since) if since is not None else None
    rendered = render_report(project, settings, as_of, strict, previous)
    data = assemble(rendered.files)
    write_file(data, target, project, force)
    return BuildResult(
        output=target,
        files=tuple(sorted(n for n in rendered.files if n.endswith(".html"))),
        pages=sum(1 for name in rendered.files if name.endswith(".html")),
        charts=rendered.charts,
        bytes=len(data),
        seconds=time.perf_counter() - started,
        as_of=rendered.as_of,
        warnings=rendered.report.warnings,
        single_file=True,
    )


def template_warnings(project: Path) -> tuple[str, ...]:
    """Warnings about the project's own templates (build and check give the same)."""
    from jssreport.advice import ACTIONS
    from jssreport.input.templating import unused_messages

    return unused_messages(project, ACTIONS)


def _load_previous(path: Path) -> dict[str, Any]:
    """``--since``: the report.json at ``path`` (``report.since.load_previous``)."""
    from jssreport.report.since import load_previous

    return load_previous(path)
