"""The only place that knows the order: load -> validate -> compute -> render -> write.

Everything is rendered in memory first; the files go to a fresh folder next to the output,
which then replaces the old site with two renames. A failure at any step leaves the previous
site exactly as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jssreport.errors import JssReportError, Problem, UsageError
from jssreport.incremental.memo import Memo
from jssreport.incremental.parallel import handing_over
from jssreport.incremental.templatecache import warm as warm_templates
from jssreport.input.yamlload import paused_gc
from jssreport.output.charts import build_charts
from jssreport.output.render import render_site
from jssreport.output.reportjson import contracts_json, report_json
from jssreport.report.compute import (
    History,
    Report,
    compute_report,
    report_history,
    rule_setting,
    with_advice,
)
from jssreport.report.redact import redact_inputs, redact_report
from jssreport.report.since import load_previous, with_since
from jssreport.textformat import counted, format_size

if TYPE_CHECKING:
    from jssreport.config import Settings
    from jssreport.input.records import Records

T = TypeVar("T")
SITE_MARKERS = ("report.json", "index.html")  # a folder with one of these is a site we may replace


@dataclass(frozen=True)
class BuildResult:
    output: Path
    files: tuple[str, ...]  # relative paths, sorted
    pages: int
    charts: int
    bytes: int
    seconds: float
    as_of: date
    warnings: tuple[str, ...] = ()

    def summary(self, shown: str) -> str:
        """``Wrote 4 pages, 5 charts and report.json to site/ (4.9 MB) in 0.41 s``."""
        return (f"Wrote {counted(self.pages, 'page')}, {counted(self.charts, 'chart')} and "
                f"report.json to {shown.rstrip('/')}/ ({format_size(self.bytes)}) in "
                f"{self.seconds:.2f} s")


def resolve_as_of(settings_as_of: date | None, profile_as_of: date | None,
                  environ: Mapping[str, str] | None = None, today: date | None = None) -> date:
    """The report date: the flag or jssreport.yml, then the profile, then
    SOURCE_DATE_EPOCH (for reproducible builds), then today."""
    if settings_as_of is not None:
        return settings_as_of
    if profile_as_of is not None:
        return profile_as_of
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                             f"got '{epoch}'") from None
    return today or date.today()


def load(project: Path) -> Records:
    from jssreport.input.records import load_records

    return load_records(project)


def compute(records: Records, settings: Settings, as_of: date,
            project: Path | None = None, memo: Memo | None = None) -> Report:
    """The report with everything computed, the advice included. ``project`` is where a
    project's own message templates and the scenario files are (for line numbers); ``memo``
    what earlier builds computed (``jssreport.incremental.memo``)."""
    return compute_and(records, settings, as_of, project, memo, lambda _: None)[0]


def compute_and(records: Records, settings: Settings, as_of: date, project: Path | None,
                memo: Memo | None, meanwhile: Callable[[Report], T]) -> tuple[Report, T]:
    """``compute``, and ``meanwhile(report)`` (work the build needs next, on the report
    before its advice) done while the advice is computed."""
    from jssreport.report.advice import (
        advice_unexplained,
        assessment_of,
        display_recommendations,
        explained,
        explanation_of,
    )

    rule_id = rule_setting(records, settings)

    def the_advice(history: Callable[[], History]) -> tuple[Any, ...]:
        # The explanation needs no history: it is worked out while the history is swept.
        memo_there = memo or Memo(None)
        explanation = explanation_of(records, as_of, rule_id, memo_there)
        # the calibrated assessment: every projection of the advice starts from it
        assessment = assessment_of(records, as_of, rule_id, explanation)
        advice = advice_unexplained(records, as_of, rule_id, settings.dormancy,
                                    history()[0], project, assessment)
        # the recommendations as the pages show them need no explanation either
        shown = display_recommendations(advice, records, project)
        return advice, shown, explanation, memo_there.used

    def the_report(history: History) -> tuple[Report, T]:
        report = compute_report(records, settings, as_of, memo, history)
        extra = meanwhile(report)
        # Compiled now (a first build; later ones find them compiled in the cache), so that
        # rendering only loads them.
        warm_templates(project)
        return report, extra

    # On two cores: the history here while the other core explains the latest snapshot, then
    # the report here while the other core works out the advice (jssreport.incremental.parallel).
    _, (advice, shown, explanation, used), (report, extra) = handing_over(
        lambda: report_history(records, settings, as_of, memo), the_advice, the_report)
    if memo is not None:
        memo.prune(used)  # what this build did not use is of no further use
    advice = explained(advice, records, explanation)
    return with_advice(report, advice, shown), extra


def render(report: Report, records: Records, project: Path,
           data: Mapping[str, Any] | None = None) -> tuple[dict[str, bytes], int]:
    """Every output file in memory, and how many charts they draw (``data``: the report's
    report.json object when it is known already)."""
    from jssreport.output.advicecharts import advice_charts

    charts = {**build_charts(report), **advice_charts(report)}
    files = render_site(report, records.pages, charts, project, data)
    return files, len(charts)


@dataclass(frozen=True)
class Rendered:
    """Every output file in memory, and what they were made from."""

    report: Report
    files: dict[str, bytes]
    charts: int
    as_of: date


Previous = Mapping[str, Any] | Callable[[], Mapping[str, Any] | None] | None


def render_report(project: Path, settings: Settings, as_of: date | None = None,
                  strict: bool = False, previous: Previous = None) -> Rendered:
    """Load, compute and render; nothing is written. ``previous`` is the report.json of the
    last build, for "what changed since", or a function that reads it (called while the
    report is computed)."""
    with paused_gc():
        return _render_report(project, settings, as_of, strict, previous)


def _render_report(project: Path, settings: Settings, as_of: date | None, strict: bool,
                   previous_source: Previous) -> Rendered:
    records = load(project)
    day = as_of or resolve_as_of(getattr(settings, "as_of", None), records.profile.as_of)
    redacting = bool(getattr(settings, "redact", False))
    if redacting:
        # Names and text go before the model sees them (it only needs them to be distinct);
        # amounts stay exact so the estimate is the same, and are banded after it.
        records, settings = redact_inputs(records, settings)
    # A redacted build drafts its messages from the built-in templates: a project's own
    # (templates/messages/) are the freelancer's prose and may sign with their name.
    read_previous = previous_source if callable(previous_source) else lambda: previous_source

    def meanwhile(report: Report) -> tuple[Mapping[str, Any] | None, list[dict[str, Any]] | None]:
        # report.json's contracts need no advice (a redacted report's come after redaction)
        return read_previous(), None if redacting else contracts_json(report)

    report, (previous, entries) = compute_and(
        records, settings, day, None if redacting else project, Memo(project), meanwhile)
    if strict and report.warnings:
        raise JssReportError([Problem(message=f"{w} (--strict)") for w in report.warnings])
    if redacting:
        report = redact_report(report)
    data = None if entries is None else report_json(report, entries)
    if previous is not None:
        report = with_since(report, previous, data)
        # The same object with what changed, as report_json would give it (a redacted one's
        # goes through the redaction again: computed anew).
        data = None if data is None else \
            {**data, "since": None if report.since is None else report.since.to_json()}
    files, chart_count = render(report, records, project, data)
    return Rendered(report, files, chart_count, day)


def build_site(project: Path, settings: Settings, as_of: date | None = None,
               output: Path | None = None, strict: bool = False,
               since: Path | None = None) -> BuildResult:
    """Build the site of ``project`` into ``output`` (default: the settings' output folder).

    "What changed" compares with ``since`` (a report.json) when given, else with the
    report.json of the site being replaced, read before it is replaced.
    """
    started = time.perf_counter()
    target = output if output is not None else project / str(getattr(settings, "output", None)
                                                              or "site")
    # The report.json of the site being replaced is read while the report is computed.
    previous: Previous = load_previous(since) if since is not None else \
        partial(load_previous, target / "report.json", required=False)
    with paused_gc():
        rendered = render_report(project, settings, as_of, strict, previous)
        files = rendered.files
        write_site(files, target, project)
    return BuildResult(
        output=target,
        files=tuple(sorted(files)),
        pages=sum(1 for name in files if name.endswith(".html")),
        charts=rendered.charts,
        bytes=sum(len(data) for data in files.values()),
        seconds=time.perf_counter() - started,
        as_of=rendered.as_of,
        warnings=rendered.report.warnings,
    )


def check_output(output: Path, project: Path) -> None:
    """Refuse to replace anything that is not a site: the project, its records, a stray folder."""
    out = output.resolve()
    proj = project.resolve()
    if out == proj or out in proj.parents:
        raise UsageError(f"refusing to build into {output}: it contains the project itself")
    for folder in ("content", "templates"):
        if out == proj / folder or (proj / folder) in out.parents:
            raise UsageError(f"refusing to build into {output}: it is the project's {folder}/ "
                             "folder or inside it")
    if out.exists() and not out.is_dir():
        raise UsageError(f"cannot build into {output}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).is_file() for m in SITE_MARKERS):
        raise UsageError(f"refusing to replace {output}: it is not empty and does not look like a "
                         "jssreport site (no report.json or index.html); choose another -o")


def write_site(files: Mapping[str, bytes], output: Path, project: Path) -> None:
    """Write ``files`` into a new folder beside ``output``, then swap it in.

    The swap exchanges the two folders in one step where the system can (Linux, macOS), so
    ``output`` is at every instant either the complete old site or the complete new one, even
    if the build is killed. Elsewhere it is two renames with a short window between them.
    """
    check_output(output, project)
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(parent, output.name)
    fresh = _unique(parent, f".{output.name}.new")
    try:
        fresh.mkdir()
        for folder in sorted({(fresh / rel).parent for rel in files} - {fresh}):
            folder.mkdir(parents=True, exist_ok=True)
        for rel, data in sorted(files.items()):
            (fresh / rel).write_bytes(data)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise JssReportError(f"cannot write the site next to {output}: {exc.strerror or exc}") \
            from None
    try:
        if not output.exists():
            os.rename(fresh, output)
            return
        if exchange(fresh, output):
            shutil.rmtree(fresh, ignore_errors=True)  # it now holds the old site
            return
        old = _unique(parent, f".{output.name}.old")
        os.rename(output, old)
        try:
            os.rename(fresh, output)
        except OSError:
            os.rename(old, output)  # put the previous site back
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise JssReportError(f"cannot replace {output}: {exc.strerror or exc}") from None


RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS stdio.h
AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False when the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to ask (Windows)
        return False
    old, new = os.fsencode(a), os.fsencode(b)
    if hasattr(libc, "renameat2"):  # Linux, glibc 2.28+
        result = libc.renameat2(AT_FDCWD, old, AT_FDCWD, new, RENAME_EXCHANGE)
    elif hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        result = libc.renamex_np(old, new, RENAME_SWAP)
    else:  # pragma: no cover
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # e.g. a file system without exchange support: fall back to renames
    raise OSError(code, os.strerror(code), str(b))


def remove_leftovers(parent: Path, name: str) -> None:
    """Delete the temporary folders of builds that were killed (their process is gone)."""
    if os.name != "posix":
        return  # os.kill(pid, 0) cannot tell liveness there
    for kind in ("new", "old"):
        prefix = f".{name}.{kind}-"
        for path in parent.glob(prefix + "*"):
            pid = path.name[len(prefix):].split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unique(parent: Path, stem: str) -> Path:
    """``<stem>-<pid>-<n>``: ours (the pid) and not used yet."""
    n = 0
    while (parent / f"{stem}-{os.getpid()}-{n}").exists():
        n += 1
    return parent / f"{stem}-{os.getpid()}-{n}"
