"""The command line: each command parses options, calls one function and reports the result.

A JssReportError becomes one ``Error: ...`` line per problem on stderr and exit status 1.
Commands import their stage lazily so that ``jssreport schema`` or ``check`` do not pay for
Plotly.

Exit statuses: 0 ok, 1 an input error (the records, the settings, a file a command refuses to
touch), 2 a usage error (click's: an unknown option, a bad value), 3 the estimate is below
``score --fail-under``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from jssreport import __version__
from jssreport.errors import JssReportError
from jssreport.textformat import terminal_text

if TYPE_CHECKING:
    from jssreport.input.config import Settings

EXIT_BELOW = 3  # score --fail-under: the estimate is below the threshold
EXIT_STATUSES = """Exit status: 0 ok, 1 input error (records, settings, files), 2 usage error
(unknown option, bad value), 3 the estimate is below score --fail-under."""
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

F = TypeVar("F", bound=Callable[..., Any])


def _to_date(ctx: click.Context, param: click.Parameter, value: datetime | None) -> date | None:
    return None if value is None else value.date()


def _project(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """``--project`` after the command, else before it (``jssreport --project X check``),
    else the current folder."""
    if value is not None:
        return value
    given = ctx.find_root().params.get("project")
    return given if isinstance(given, Path) else Path(".")


def project_option(f: F) -> F:
    return click.option(
        "--project", type=click.Path(file_okay=False, path_type=Path), default=None,
        callback=_project, metavar="DIR",
        help="The report project folder (default: the current folder; also accepted before "
        "the command).",
    )(f)


def as_of_option(f: F) -> F:
    return click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        callback=_to_date, metavar="YYYY-MM-DD",
                        help="The report date (default: jssreport.yml, the profile, "
                        "SOURCE_DATE_EPOCH, then today).")(f)


def redact_option(f: F) -> F:
    return click.option("--redact", is_flag=True, help="Leave client names, titles, comments, "
                        "notes and exact amounts out of the output (also: redact: true in "
                        "jssreport.yml).")(f)


def say(line: str, err: bool = False) -> None:
    """Print a line that may hold record text: control sequences become ``?``."""
    click.echo(terminal_text(line), err=err)


def reports_errors(f: F) -> F:
    """Turn the errors users can act on into ``Error:`` lines and exit 1, never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except JssReportError as exc:
            for problem in exc.problems:
                say(f"Error: {problem}", err=True)
            raise SystemExit(1) from None
        except OSError as exc:  # a file or folder the stages did not expect to fail on
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"Error: {where}{exc.strerror or exc}", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def load_settings_checked(project: Path, **overrides: Any) -> Settings:
    """The settings; when jssreport.yml is invalid, its problems and the records' together."""
    from jssreport.errors import InputError
    from jssreport.input.config import load_settings
    from jssreport.input.records import load_records

    try:
        return load_settings(project, **overrides)
    except InputError as exc:
        problems = list(exc.problems)
        try:
            load_records(project)
        except JssReportError as more:
            problems += more.problems
        raise InputError(problems) from None


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def run() -> None:
    """The ``jssreport`` command: ``main``, then an immediate exit.

    A build leaves millions of small objects behind; freeing them one by one at exit takes a
    noticeable part of a rebuild, and the system frees the process's memory at once anyway.
    Output is flushed first. (Tests call ``main`` and keep their process.)
    """
    code: int = 0
    try:
        main.main(prog_name="jssreport")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage writes its results at exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


@click.group(context_settings=CONTEXT, epilog=EXIT_STATUSES)
@click.version_option(__version__, prog_name="jssreport")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="The report project folder (default: the current folder).")
def main(project: Path | None) -> None:
    """Estimate and explain your Upwork Job Success Score from your own contract records.

    Every command acts on the report project in the current folder; --project DIR, before or
    after the command, picks another.
    """


@main.command(short_help="Start a new report project (never overwrites).")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Copy the built-in demo instead of starting empty.")
@click.option("--example", metavar="NAME", is_flag=False, flag_value="", default=None,
              help="Copy a shipped example instead of starting empty; without NAME, list them.")
@project_option
@reports_errors
def init(directory: Path | None, demo: bool, example: str | None, project: Path) -> None:
    """Start a new report project in DIRECTORY (default: the --project folder, else the
    current one), never overwriting a file.

    By default the project is empty but valid: a profile to fill in and a contracts file with
    one commented example. --demo copies the built-in demo, --example NAME a shipped example.
    Every project gets jssreport.yml, a .gitignore and a GitHub Pages workflow with its
    requirements.txt (pinning this jssreport version) and dependabot.yml.
    """
    from jssreport.commands.init import example_listing, example_names, init_project, next_steps

    if example is not None and (example == "" or example not in example_names()):
        if example:  # an unknown name: a usage error, with the list on stderr
            click.echo(f"Error: there is no example named '{example}'.", err=True)
        for line in example_listing():
            click.echo(line, err=bool(example))
        raise SystemExit(2 if example else 0)
    if demo and example is not None:
        raise click.UsageError("choose --demo or --example, not both")
    target = directory if directory is not None else project
    written = init_project(target, demo=demo, example=example)
    where = shown_path(target)
    kind = "the demo" if demo else f"the example {example}" if example else "no contracts yet"
    click.echo(f"Created a report project in {where}/ ({len(written)} files; {kind}).")
    for line in next_steps(where, demo, example):
        click.echo(line)


@main.command(short_help="Validate, compute and write the static site.")
@as_of_option
@redact_option
@click.option("--single-file", is_flag=True, help="Write the whole report as one HTML file "
              "(-o names it; default: report.html in the project).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--since", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Show what changed since this report.json (default: the "
              "report.json of the site being replaced).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: site/ in the project).")
@click.option("--force", is_flag=True, help="Replace the output even when jssreport did not "
              "write it (its files are deleted).")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors (for cron: "
              "a mail only when something needs you).")
@project_option
@reports_errors
def build(as_of: date | None, redact: bool, single_file: bool, strict: bool,
          since: Path | None, output: Path | None, force: bool, quiet: bool,
          project: Path) -> None:
    """Validate the records, compute the estimate and the advice, and write the static site
    (replacing the previous one in one step; a failed build leaves it as it was)."""
    from jssreport.input.yamlload import paused_gc

    with paused_gc():  # the stages' modules and the build: many objects, no cycles to collect
        from jssreport.pipeline import build_single_file, build_site

        settings = load_settings_checked(project, as_of=as_of, redact=True if redact else None)
        make = build_single_file if single_file else build_site
        result = make(project, settings, output=output, strict=strict, since=since,
                      force=force)
    for warning in result.warnings:
        say(f"Warning: {warning}", err=True)
    if not quiet:
        click.echo(result.summary(shown_path(result.output)))


@main.command(short_help="Validate the records and settings; list every problem.")
@as_of_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors, as build --strict does.")
@project_option
@reports_errors
def check(as_of: date | None, strict: bool, project: Path) -> None:
    """Validate the records and settings without building; list every problem and warning.

    Exit status 1 if there is a problem, or with --strict a warning: exactly when build (with
    the same --strict) would fail on the records.
    """
    from jssreport.errors import InputError, Problem
    from jssreport.input.records import load_records
    from jssreport.pipeline import resolve_as_of, template_warnings
    from jssreport.report.compute import record_warnings

    settings = load_settings_checked(project, as_of=as_of)
    records = load_records(project)
    day = resolve_as_of(settings.as_of, records.profile.as_of)
    if settings.redact:  # its warnings name contracts as a redacted build does
        from jssreport.report.redact import redact_records

        records = redact_records(records)
    warnings = record_warnings(records, day) + template_warnings(project)
    if (project / "templates").exists():  # the project's own: each must compile
        from jssreport.output.render import template_problems

        problems = template_problems(project)
        if problems:
            raise InputError(problems)
    if strict and warnings:
        raise InputError([Problem(message=f"{w} (--strict)") for w in warnings])
    for warning in warnings:
        say(f"Warning: {warning}", err=True)
    n, p, s = len(records.contracts), len(records.pages), len(records.scenarios)
    found = "no problems found" + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                                   if warnings else "")
    click.echo(f"OK: {n} contract{'s' if n != 1 else ''}, {p} page{'s' if p != 1 else ''}, "
               f"{s} scenario{'s' if s != 1 else ''}; {found}.")


@main.command(short_help="Print the estimate and the top recommendations.")
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--fail-under", type=click.IntRange(0, 100), default=None, metavar="N",
              help="Exit with status 3 when the estimate is below N% or there is none "
              "(for CI and cron alerts).")
@redact_option
@project_option
@reports_errors
def score(as_of: date | None, as_json: bool, fail_under: int | None, redact: bool,
          project: Path) -> None:
    """Print the estimate and the top recommendations, for the terminal or a cron log."""
    from jssreport.output.reportjson import summary_json, terminal_json
    from jssreport.output.text import score_lines
    from jssreport.pipeline import assess_project

    settings = load_settings_checked(project, as_of=as_of, redact=True if redact else None)
    _, report = assess_project(project, settings)  # redacted with settings.redact
    if as_json:
        click.echo(terminal_json(summary_json(report)))
    else:
        for line in score_lines(report):
            say(line)
    jss = report.jss  # the calibrated estimate, as score --json prints it
    if fail_under is not None and (jss is None or jss < fail_under):
        why = "there is no estimate (no window meets the minimum)" if jss is None else \
            f"the estimate {jss}% is below {fail_under}%"
        click.echo(f"Failed: {why} (--fail-under {fail_under})", err=True)
        raise SystemExit(EXIT_BELOW)


@main.command("explain", short_help="Which hidden private ratings explain the score shown.")
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@redact_option
@project_option
@reports_errors
def explain_command(as_of: date | None, as_json: bool, redact: bool, project: Path) -> None:
    """Which hidden private ratings best explain the latest score Upwork showed."""
    from jssreport.input.records import load_records
    from jssreport.output.reportjson import explain_json, terminal_json
    from jssreport.output.text import explain_lines
    from jssreport.pipeline import resolve_as_of
    from jssreport.report.advice import explain_latest
    from jssreport.report.compute import rule_setting

    settings = load_settings_checked(project, as_of=as_of, redact=True if redact else None)
    records = load_records(project)
    day = resolve_as_of(settings.as_of, records.profile.as_of)
    rule_id = rule_setting(records, settings)
    if settings.redact:  # as a redacted build names them: contract-1, Client A, ...
        from jssreport.report.redact import redact_records

        records = redact_records(records)
    explanation = explain_latest(records, rule_id, day)
    if as_json:
        click.echo(terminal_json(explain_json(explanation)))
        return
    for line in explain_lines(explanation):
        say(line)


@main.command(short_help="Build, serve locally and rebuild on every change.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every network interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True,
              help="Open the report in the default browser once it is served.")
@as_of_option
@project_option
@reports_errors
def serve(host: str, port: int, open_browser: bool, as_of: date | None, project: Path) -> None:
    """Build the site, serve it on http://127.0.0.1:8000/ (--host, --port) and rebuild it when
    the records, the templates or jssreport.yml change; the open page reloads. Ctrl-C stops."""
    from jssreport.commands.serve import serve as run

    def settings() -> Settings:
        return load_settings_checked(project, as_of=as_of)

    def echo(line: str) -> None:
        say(line, err=line.startswith(("Error:", "Warning:")))

    try:
        run(project, settings, echo, port=port, shown=shown_path, host=host,
            ready=_open_in_browser if open_browser else None)
    except KeyboardInterrupt:  # Ctrl-C while starting or stopping
        click.echo("Stopped.")


def _open_in_browser(url: str) -> None:
    import webbrowser

    webbrowser.open(url)


@main.group("import", short_help="Turn platform exports into contract records.")
def import_group() -> None:
    """Turn exports from a platform into contract records."""


@import_group.command("upwork-csv",
                      short_help="Merge Upwork transaction CSV exports into the records.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The contracts file to merge into (default: the importer's choice).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@project_option
@reports_errors
def import_upwork_csv(files: tuple[Path, ...], into: Path | None, dry_run: bool,
                      project: Path) -> None:
    """Merge Upwork transaction CSV exports into the records (never clobbers hand edits)."""
    from jssreport.importers.upwork_csv import run_import

    run_import(project, list(files), into=into, dry_run=dry_run, echo=say,
               progress=True)


@main.command(short_help="Print the JSON Schema of the record files.")
@project_option
@reports_errors
def schema(project: Path) -> None:
    """Print the JSON Schema of the record files, for editor validation."""
    from jssreport.input.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))
