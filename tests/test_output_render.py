"""Rendering: safe Markdown, escaping, template overrides, strict undefined."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from jinja2 import BytecodeCache

from jssreport.errors import JssReportError
from jssreport.input.config import Settings
from jssreport.input.pages import Page
from jssreport.input.records import Records
from jssreport.model.types import Contract, Feedback, Payment, Profile
from jssreport.output.charts import build_charts
from jssreport.output.render import make_environment, render_markdown, render_site, site_pages
from jssreport.report.compute import Report, compute_report

MakeProject = Callable[..., Path]
HOSTILE = "</script><script>alert(1)</script>"


def report_with(client: str = "Acme", notes: str | None = None,
                comment: str | None = None) -> tuple[Report, Records]:
    contracts = tuple(
        Contract(id=f"c{i}", client=f"{client}{i}", title=f"<b>Job {i}</b>", type="fixed",
                 start=date(2020, i, 1), end=date(2020, i, 20),
                 payments=(Payment(date(2020, i, 20), 500.0),),
                 feedback=Feedback(date=date(2020, i, 21), stars=5.0, comment=comment),
                 notes=notes)
        for i in (1, 2, 3)
    )
    pages = (Page(slug="about", title="About", order=1, markdown="Hello *there*",
                  source="content/pages/about.md"),)
    records = Records(profile=Profile(name="P"), contracts=contracts, scenarios=(), pages=pages,
                      locations={})
    return compute_report(records, Settings(), date(2020, 7, 1)), records


def site_of(report: Report, records: Records, project: Path | None = None,
            bytecode_cache: BytecodeCache | None = None) -> dict[str, str]:
    files = render_site(report, records.pages, build_charts(report), project,
                        bytecode_cache=bytecode_cache)
    return {k: v.decode("utf-8") for k, v in files.items() if not k.endswith(".js")}


def test_markdown_shows_raw_html_as_text() -> None:
    html = str(render_markdown("Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n"))
    assert "<script" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=x&gt;block&lt;/div&gt;" in html


def test_markdown_drops_script_links_and_remote_images() -> None:
    html = str(render_markdown(
        "[a](javascript:alert(1)) [b](JaVa\nScript:alert(2)) [c](https://example.com) "
        "[d](data:text/html,x) ![cat](https://example.com/cat.png) [e](other.md#part)"))
    assert "javascript" not in html.lower() and "data:" not in html
    assert '<a href="https://example.com">c</a>' in html
    assert "<img" not in html and "[image: cat]" in html
    assert '<a href="other.html#part">e</a>' in html


def test_markdown_keeps_code_escaped() -> None:
    html = str(render_markdown("```\n<script>x</script>\n```\n\n`<b>`"))
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<code>&lt;b&gt;</code>" in html


def test_record_text_is_escaped_everywhere() -> None:
    report, records = report_with(client=HOSTILE, notes="<script>alert(2)</script> *ok*",
                                  comment="<img src=x onerror=alert(3)>")
    for name, text in site_of(report, records).items():
        if name.endswith(".html"):
            assert "<script>alert" not in text, name
            assert "<img src=x" not in text, name
            assert "<b>Job" not in text, name
    contracts = site_of(report, records)["contracts.html"]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;1" in contracts
    assert "&lt;script&gt;alert(2)&lt;/script&gt; <em>ok</em>" in contracts


def test_record_text_is_never_a_template() -> None:
    report, records = report_with(client="{{ 7 * 7 }}", notes="{% raw %}{{ 6 * 6 }}")
    contracts = site_of(report, records)["contracts.html"]
    assert "{{ 7 * 7 }}1" in contracts and "49" not in contracts.replace("2049", "")
    assert "{% raw %}{{ 6 * 6 }}" in contracts


def test_pages_and_navigation() -> None:
    report, records = report_with()
    pages = site_pages(report, records.pages)
    assert [p.path for p in pages] == ["index.html", "contracts.html", "model.html", "about.html"]
    index = site_of(report, records)["index.html"]
    assert '<a href="about.html">About</a>' in index
    assert '<a href="index.html" aria-current="page">Overview</a>' in index
    assert '<script src="assets/plotly.min.js"></script>' in index
    about = site_of(report, records)["about.html"]
    assert "<h1>About</h1>" in about and "<em>there</em>" in about
    assert "plotly.min.js" not in about  # no charts, no plotly


def test_project_template_overrides_and_extends_the_builtin(make_project: MakeProject) -> None:
    project = make_project({
        "templates/base.html": """
            {% extends "!builtin/base.html" %}
            {% block head %}<meta name="x-custom" content="yes">{% endblock %}
        """,
    })
    report, records = report_with()
    index = site_of(report, records, project)["index.html"]
    assert '<meta name="x-custom" content="yes">' in index
    assert "Estimated JSS" in index


def test_project_assets_override_the_builtin_ones(make_project: MakeProject) -> None:
    project = make_project({"templates/assets/style.css": "body { color: red; }\n"})
    report, records = report_with()
    css = render_site(report, records.pages, build_charts(report), project)["assets/style.css"]
    assert css == b"body { color: red; }\n"


def test_undefined_names_in_a_template_are_errors(make_project: MakeProject) -> None:
    project = make_project({"templates/model.html": "{{ no_such_thing }}\n"})
    report, records = report_with()
    with pytest.raises(JssReportError) as info:
        render_site(report, records.pages, build_charts(report), project)
    assert str(info.value) == "templates/model.html:1: template error: 'no_such_thing' is undefined"


def test_template_syntax_errors_name_file_and_line(make_project: MakeProject) -> None:
    project = make_project({"templates/model.html": "line one\n{% if %}\n"})
    report, records = report_with()
    with pytest.raises(JssReportError) as info:
        render_site(report, records.pages, build_charts(report), project)
    assert str(info.value).endswith(":2: template error: Expected an expression, got 'end of "
                                    "statement block'")


def test_environment_autoescapes_and_is_strict() -> None:
    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"
    assert env.from_string("{{ 0.825|percent(1) }} {{ 1234.5|money('EUR') }}").render() \
        == "0.8% €1,234.50"


def test_top_actions_only_when_there_are_recommendations() -> None:
    from dataclasses import replace

    from jssreport.advice.actions import Recommendation

    report, records = report_with()
    assert "Top actions" not in site_of(report, records)["index.html"]
    recs = (Recommendation("close", "c1", (-3, 2), None, "quiet <since> March", "quiet", "auto"),)
    index = site_of(replace(report, recommendations=recs), records)["index.html"]
    assert "<strong>Close it yourself: c1</strong>" in index
    assert "Effect: \u22123 to +2 points if the client rates poorly / well." in index
    assert "quiet &lt;since&gt; March" in index


def test_compiled_templates_are_cached_by_their_content(make_project: MakeProject) -> None:
    from jssreport.incremental.store import CacheStore, cache_folder
    from jssreport.incremental.templatecache import (
        TemplateCache,
        shared_templates_folder,
        template_cache,
    )

    project = make_project({"templates/model.html": "one\n"})
    compiled = template_cache(CacheStore.for_project(project))
    report, records = report_with()
    TemplateCache.memory.clear()  # the process's own copies, which tests before this one made
    assert site_of(report, records, project, compiled)["model.html"] == "one\n"
    cache = cache_folder(project) / "templates"
    assert len(list(cache.glob("*.jinja"))) == 1  # the project's own model.html
    shared = shared_templates_folder()  # jssreport's own, for every project
    assert len(list(shared.glob("*.jinja"))) >= 5
    assert not (project / ".jssreport-cache").exists()  # never inside the project
    (project / "templates/model.html").write_text("two\n", encoding="utf-8")
    assert site_of(report, records, project, compiled)["model.html"] == "two\n"
    for entry in [*cache.glob("*.jinja"), *shared.glob("*.jinja")]:  # a damaged cache is
        entry.write_bytes(b"j2 not a template")  # compiled again
    TemplateCache.memory.clear()
    assert site_of(report, records, project, compiled)["model.html"] == "two\n"
    assert "Estimated JSS" in site_of(report, records, project, compiled)["index.html"]


def test_a_new_project_finds_the_builtin_templates_compiled(
        make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """jssreport's own templates are compiled once for the machine, not once per project;
    a project's own templates are never kept in the machine's folder."""
    import jinja2

    from jssreport.incremental.store import CacheStore, cache_folder
    from jssreport.incremental.templatecache import TemplateCache, template_cache

    report, records = report_with()
    first, second = make_project({}, root=tmp_path / "first"), make_project(
        {"templates/page.html": "own\n"}, root=tmp_path / "second")
    TemplateCache.memory.clear()
    site_of(report, records, first, template_cache(CacheStore.for_project(first)))
    TemplateCache.memory.clear()  # a new process
    compiled: list[str] = []
    real = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return real(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    site_of(report, records, first, template_cache(CacheStore.for_project(first)))
    assert compiled == []
    site = site_of(report, records, second, template_cache(CacheStore.for_project(second)))
    assert "Estimated JSS" in site["index.html"]
    # its own page.html is kept in its own folder, and only there
    assert len(list((cache_folder(second) / "templates").glob("*.jinja"))) == 1
    TemplateCache.memory.clear()
    compiled.clear()
    site_of(report, records, second, template_cache(CacheStore.for_project(second)))
    assert compiled == []


def test_a_headline_amount_fits_its_card() -> None:
    from jssreport.textformat import format_money_short

    assert format_money_short(4260.5, "EUR") == "€4,260.50"
    assert format_money_short(251_913.0) == "$251,913"
    assert format_money_short(25_191_166.76) == "$25.2M"
    assert format_money_short(2_500_000, "XYZ") == "2.5M XYZ"
