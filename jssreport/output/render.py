"""The Jinja environment, its filters, the page contexts, and the whole site in memory.

Record text is only ever *data* given to templates (autoescaped) or Markdown rendered with raw
HTML disabled; it is never compiled as a template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
)
from markupsafe import Markup

from jssreport.errors import JssReportError, Problem
from jssreport.input.templating import (
    SafeFileSystemLoader,
    compile_problems,
    environment,
    project_templates,
    render_template,
    shown_under,
)
from jssreport.jsonformat import json_bytes
from jssreport.model.rules import RULESETS
from jssreport.output.charts import Chart
from jssreport.output.pageviews import PageViews, page_views
from jssreport.output.paging import LongTable, part_path
from jssreport.output.reportjson import report_json
from jssreport.paths import (
    MESSAGES_DIR,
    PLOTLY_BUNDLE,
    builtin_templates_dir,
    plotly_bundle,
)
from jssreport.textformat import (
    format_date,
    format_money,
    format_percent,
    format_points,
    format_signed,
    kind_label,
    window_label,
)

if TYPE_CHECKING:
    from jssreport.report.compute import Report

BUILTIN_PREFIX = "!builtin"
ASSETS = ("assets/style.css", "assets/report.js")
PLOTLY_ASSET = "assets/plotly.min.js"  # where the site has plotly.js
PLOTLY_JS_VERSION = "4.1.1"  # of the bundle in jssreport/vendor/ (paths.PLOTLY_BUNDLE)


@dataclass(frozen=True)
class NavItem:
    """One entry of the site's navigation: a page's link and title, and whether it is the current
    page."""

    href: str
    title: str
    current: str  # aria-current: "page" for this page, "true" for its table's first page, ""


@dataclass(frozen=True)
class SitePage:
    """One output page: where it goes and which template lays it out."""

    path: str  # relative to the site root, "/" separated
    title: str
    template: str
    charts: tuple[str, ...] = ()  # chart ids drawn on the page
    markdown: str = ""  # content of a Markdown page
    table: str = ""  # the long table split over pages: "contracts" or "actions" (paging.py)
    part: int = 1  # which of those pages: 1 is ``path`` itself, 2 ``<path>-2.html``, ...
    parts: int = 1
    first: str = ""  # the path of the table's first page (the navigation's entry)

    @property
    def root(self) -> str:
        """The relative path from this page back to the site root."""
        return "../" * self.path.count("/")

    @property
    def section(self) -> str:
        """The navigation entry this page belongs to."""
        return self.first or self.path


# --- templates ---------------------------------------------------------------------------


def builtin_templates() -> Path:
    """The built-in templates: jssreport/templates in an installed wheel (package
    ``jssreport.templates``), else the top-level templates/ of a checkout."""
    found = builtin_templates_dir()
    if found is None:
        raise JssReportError("the built-in templates are missing: reinstall jssreport")
    return found


class PageStore(Protocol):
    """How the pages of the contracts table are rendered: ``render(context)``, or (handed
    over by the pipeline: ``jssreport.incremental.pagecache``) kept between builds."""

    def page(self, context: Mapping[str, Any], render: Callable[[Mapping[str, Any]], bytes]
             ) -> bytes: ...

    def prune(self) -> None: ...


class RenderEach:
    def page(self, context: Mapping[str, Any], render: Callable[[Mapping[str, Any]], bytes]
             ) -> bytes:
        return render(context)

    def prune(self) -> None:
        pass


def make_environment(project: Path | None = None, redact: bool = False,
                     bytecode_cache: BytecodeCache | None = None) -> Environment:
    """Project templates first, then the built-in ones; ``!builtin/x.html`` is always the latter.

    A project's own templates are untrusted: with them the environment is sandboxed
    (jssreport.input.templating). With ``redact`` the ``money`` filter writes bands ($251–1,000),
    never an exact amount."""
    builtin = SafeFileSystemLoader(str(builtin_templates()))
    loaders: list[Any] = []
    own = project_templates(project)
    if own is not None:
        loaders.append(SafeFileSystemLoader(str(own), project))
    loaders += [builtin, PrefixLoader({BUILTIN_PREFIX: builtin}, delimiter="/")]
    env = environment(
        own is not None,
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        auto_reload=False,  # one environment renders one build
    )
    env.filters.update({
        "percent": format_percent,
        "money": partial(format_money, redact=redact),
        "date": format_date,
        "points": format_points,
        "signed": format_signed,
        "kind": kind_label,
        "window": window_label,
        "markdown": render_markdown,
        "markdown_inline": render_markdown_inline,
    })
    return env


# --- Markdown (jssreport.output.markdowntext, imported when a page or a note needs it) ----------


def render_markdown(text: str, root: str = "") -> Markup:
    """Markdown to HTML with every raw HTML tag shown as text."""
    from jssreport.output.markdowntext import render_markdown as convert

    return convert(text, root)


def render_markdown_inline(text: str | None, root: str = "") -> Markup:
    """Short notes: Markdown without the surrounding paragraph when there is only one."""
    from jssreport.output.markdowntext import render_markdown_inline as convert

    return convert(text, root)


# --- the site ------------------------------------------------------------------------------


ADVICE_PAGES = (
    SitePage("recommendations.html", "Recommendations", "recommendations.html",
             ("chart-rolloff", "chart-toprated"), table="actions"),
    SitePage("explain.html", "Explain", "explain.html", ("chart-detractors",)),
    SitePage("scenarios.html", "Scenarios", "scenarios.html", ("chart-projections",)),
)
CONTRACTS_PAGE = SitePage("contracts.html", "Contracts", "contracts.html",
                          ("chart-timeline", "chart-contribution", "chart-earnings"),
                          table="contracts")


def site_pages(report: Report, pages: Sequence[Any],
               views: PageViews | None = None) -> tuple[SitePage, ...]:
    """The report's own pages (a long table's continuation pages after its first), then the
    project's Markdown pages by (order, slug)."""
    tables = (views or page_views(report)).tables
    advice = ADVICE_PAGES if getattr(report, "advice", None) is not None else ()
    own = (
        SitePage("index.html", "Overview", "index.html",
                 ("chart-outlook", "chart-history", "chart-outcomes")),
        CONTRACTS_PAGE,
        *advice,
        SitePage("model.html", "Model", "model.html"),
    )
    extra = tuple(SitePage(f"{p.slug}.html", p.title, "page.html", (), p.markdown)
                  for p in sorted(pages, key=lambda p: (p.order, p.slug)))
    return tuple(part for page in own for part in _split(page, tables)) + extra


def _split(page: SitePage, tables: Mapping[str, LongTable]) -> tuple[SitePage, ...]:
    """A page with a long table as that table's pages; other pages as they are."""
    parts = tables[page.table].parts if page.table else 1
    if parts == 1:
        return (page,)
    return tuple(
        replace(page, path=part_path(page.path, k), part=k, parts=parts, first=page.path,
                title=page.title if k == 1 else f"{page.title}, page {k} of {parts}",
                charts=page.charts if k == 1 else ())
        for k in range(1, parts + 1))


def navigation(pages: Sequence[SitePage], current: SitePage) -> tuple[NavItem, ...]:
    """The first page of every entry; a long table's later pages are reached by its pager."""
    return tuple(NavItem(current.root + p.path, p.title,
                         "page" if p.path == current.path else
                         "true" if p.path == current.section else "")
                 for p in pages if p.part == 1)


def render_site(report: Report, pages: Sequence[Any], charts: Mapping[str, Chart],
                project: Path | None = None, data: bytes | None = None,
                table_pages: PageStore | None = None,
                bytecode_cache: BytecodeCache | None = None,
                calibration: Sequence[Any] = ()) -> dict[str, bytes]:
    """Every output file, by relative path, rendered in memory; ``data``: report.json's
    bytes when the caller has them already; ``calibration``: the model's fit to the
    worked examples (``report.calibration.fit_table``) for the Model page. ``table_pages``
    renders the pages of the contracts table (and may keep them between builds)."""
    env = make_environment(project, redact=report.redacted, bytecode_cache=bytecode_cache)
    views = page_views(report)
    layout = site_pages(report, pages, views)
    rulesets = tuple(RULESETS.values())
    store = table_pages or RenderEach()

    def pages_of(table: bool) -> dict[str, bytes]:
        out = {}
        for page in layout:
            if (page.table == "contracts") == table:
                context = _page_context(page, layout, views, charts, report, calibration,
                                        rulesets)
                render = partial(_render_bytes, env, page.template)
                out[page.path] = store.page(context, render) if table else render(context)
        return out

    def the_rest() -> dict[str, bytes]:
        out = {name: _source(env, name).encode("utf-8") for name in ASSETS}
        out[PLOTLY_ASSET] = plotly_js()
        out["report.json"] = data if data is not None else json_bytes(report_json(report))
        return {**out, **pages_of(table=False)}

    table, rest = pages_of(table=True), the_rest()
    store.prune()
    files = {**table, **rest}
    return {path: files[path] for path in sorted(files)}


def _page_context(page: SitePage, layout: Sequence[SitePage], views: Any,
                  charts: Mapping[str, Chart], report: Report, calibration: Sequence[Any],
                  rulesets: tuple[Any, ...]) -> dict[str, Any]:
    content = render_markdown(page.markdown, page.root) if page.markdown else Markup("")
    rows, pager = views.tables[page.table].part(page.section, page.part) if page.table \
        else ((), None)
    return {
        "report": report,
        "page": page,
        "root": page.root,
        "nav": navigation(layout, page),
        "charts": {cid: charts[cid] for cid in page.charts if cid in charts},
        "content": content,
        # A page that opens with its own level-1 heading needs no second one.
        "own_heading": content.lstrip().startswith("<h1"),
        "calibration": calibration,
        "rulesets": rulesets,
        # the page's rows of its long table (paging.py), and the pager between its pages
        "rows": rows,
        "pager": pager,
        "row_offset": 0 if pager is None else pager.first - 1,
        "views": views,
    }


def _render_bytes(env: Environment, name: str, context: Mapping[str, Any]) -> bytes:
    return _render(env, name, context).encode("utf-8")


def _render(env: Environment, name: str, context: Mapping[str, Any]) -> str:
    # a project's template named relative to the project (its loader knows where that is)
    first = getattr(env.loader, "loaders", [None])[0]
    return render_template(env, name, dict(context), getattr(first, "shown", shown_under(None)))


def template_problems(project: Path) -> list[Problem]:
    """What is wrong with the project's own templates short of rendering them (``check``):
    what keeps one from compiling or being read. A template that fails only while rendering
    shows on build."""
    from jssreport.output.messages import message_environment

    own = project_templates(project)
    if own is None:
        return []
    env, messages = make_environment(project), message_environment(project)
    shown = shown_under(project)
    problems: list[Problem] = []
    for path in sorted(own.rglob("*")):
        name = path.relative_to(own).as_posix()
        if any(part.startswith(".") for part in name.split("/")) or not path.is_file():
            continue
        if name.startswith("assets/"):  # copied as they are, never compiled
            try:
                _source(env, name)
            except JssReportError as exc:
                problems += exc.problems
        elif name.startswith(f"{MESSAGES_DIR}/"):
            problems += compile_problems(messages, [name], shown)
        else:
            problems += compile_problems(env, [name], shown)
    return problems


def _source(env: Environment, name: str) -> str:
    assert env.loader is not None
    try:
        return env.loader.get_source(env, name)[0]
    except TemplateNotFound:
        raise JssReportError(f"template not found: {name}") from None


def plotly_js() -> bytes:
    """The pinned partial plotly.js bundle jssreport ships (``jssreport/vendor/``: the trace
    types its charts draw, nothing else): one local copy per site, the same bytes whatever
    version of the ``plotly`` Python package is installed."""
    try:
        return plotly_bundle().read_bytes()
    except FileNotFoundError:
        raise JssReportError(f"{PLOTLY_BUNDLE} is missing: reinstall jssreport") from None
