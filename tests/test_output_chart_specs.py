"""The charts are plain data that plotly accepts and would emit itself, and a build never imports
plotly (jssreport.output.plotting; docs/architecture.md, "Add a chart").

Every chart's ``Chart.spec`` of several projects goes through ``plotly.graph_objects.Figure``,
which raises on any property plotly does not know or any value it refuses; what the figure
gives back (``to_plotly_json()``) must serialise to the same bytes as the spec, and the spec
must be what the chart's HTML draws.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from conftest import bench_generator

from jssreport.input.config import load_settings
from jssreport.output.advicecharts import advice_charts
from jssreport.output.charts import build_charts
from jssreport.output.plotting import (
    BASE_LAYOUT,
    Chart,
    bar,
    chart_json,
    figure,
    merged,
    plotly_texts,
    scatter,
)
from jssreport.pipeline import assess_project

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 6, 30)  # the demo's and bench/generator.py's report date
ADVICE_IDS = {"chart-outlook", "chart-projections", "chart-rolloff", "chart-toprated"}


def charts_of(project: Path, as_of: date = AS_OF, redact: bool = False) -> dict[str, Chart]:
    """Every chart the build of ``project`` draws (as ``pipeline.render_report`` makes them)."""
    settings = load_settings(project)
    if redact:
        settings = replace(settings, redact=True)
    _, report = assess_project(project, settings, as_of)
    return {**build_charts(report), **advice_charts(report)}


def plotly_json(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """What plotly makes of ``data`` and ``layout``: raises on an invalid property."""
    fig = go.Figure(data=data, layout=layout)
    fig.layout.template = None  # as jssreport writes them: no template
    return fig.to_plotly_json()


def assert_plotly_emits(charts: dict[str, Chart]) -> None:
    for cid, chart in charts.items():
        spec = chart.spec
        ours = {"data": spec.data, "layout": spec.layout}
        assert chart_json(plotly_json(spec.data, spec.layout)) == chart_json(ours), cid
        drawn = f"{chart_json(plotly_texts(spec.data))}, {chart_json(plotly_texts(spec.layout))}"
        assert f'Plotly.newPlot("{cid}", {drawn}, ' in chart.html, cid


def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    shutil.copytree(ROOT / "content", project / "content")
    return project


def generated(tmp_path: Path, n: int, shape: str) -> Path:
    project = tmp_path / shape
    bench_generator().generate(n, project, seed=11, shape=shape)
    return project


def test_the_demo_charts_are_what_plotly_would_emit(tmp_path: Path) -> None:
    project = demo(tmp_path)
    charts = charts_of(project)
    assert ADVICE_IDS | {"chart-history", "chart-timeline", "chart-detractors"} <= set(charts)
    assert_plotly_emits(charts)
    assert_plotly_emits(charts_of(project, redact=True))


@pytest.mark.parametrize("shape", ["default", "longterm"])
def test_generated_history_charts_are_what_plotly_would_emit(tmp_path: Path, shape: str) -> None:
    charts = charts_of(generated(tmp_path, 400, shape))
    assert set(charts) >= ADVICE_IDS
    # the long history: many points, the 40-bar contribution cut, "Other clients"
    assert len(charts["chart-history"].spec.data[0]["x"]) > 100
    assert len(charts["chart-contribution"].spec.data[0]["y"]) == 40
    assert any(t["name"] == "Other clients" for t in charts["chart-earnings"].spec.data)
    assert_plotly_emits(charts)


def test_an_empty_project_draws_messages_that_plotly_accepts(make_project: Any) -> None:
    project = make_project({"content/profile.yml": "name: Nobody\n"})
    charts = charts_of(project)
    assert charts["chart-history"].spec.data == []
    assert charts["chart-history"].spec.layout["xaxis"]["visible"] is False
    assert_plotly_emits(charts)


def test_merged_updates_a_layout_as_plotly_update_layout_does() -> None:
    update = {"margin": {"r": 44}, "legend": {"x": None, "traceorder": "normal"},
              "yaxis": {"range": (60.0, 102), "dtick": None, "title": {"text": "Score"}},
              "xaxis": {"visible": False}, "showlegend": False, "hovermode": None,
              "annotations": [{"text": "a", "x": 1, "font": {"size": None, "color": "#000"}}]}
    fig = go.Figure(layout=BASE_LAYOUT)
    fig.update_layout(update)
    fig.layout.template = None
    assert chart_json(merged(BASE_LAYOUT, update)) == chart_json(fig.to_plotly_json()["layout"])
    assert "x" not in merged(BASE_LAYOUT, update)["legend"]  # None unsets, as in plotly
    assert BASE_LAYOUT["legend"]["x"] == 0  # and the base stays as it was


def test_traces_leave_out_unset_properties_as_plotly_does() -> None:
    traces = [scatter(x=("a", "b"), y=[None, 2.5], name=None, marker={"color": None, "size": 3}),
              bar(x=[1], y=[2], customdata=[["x", None]], text=None)]
    spec = figure(traces, {})
    assert traces[0] == {"type": "scatter", "x": ["a", "b"], "y": [None, 2.5],
                         "marker": {"size": 3}}
    assert chart_json(plotly_json(spec.data, spec.layout)) == \
        chart_json({"data": spec.data, "layout": spec.layout})


def test_an_invalid_property_is_caught_by_the_validation() -> None:
    spec = figure([bar(x=[1], y=[2], marker={"size": 3})], {})  # a bar marker has no size
    with pytest.raises(ValueError, match="size"):
        plotly_json(spec.data, spec.layout)


def test_a_build_never_imports_plotly(tmp_path: Path) -> None:
    project = demo(tmp_path)
    code = (
        "import sys\n"
        "from jssreport.cli import main\n"
        "try:\n"
        f"    main(['build', '--project', {str(project)!r}, '--as-of', '{AS_OF}'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "                        if m.split('.')[0] in ('plotly', '_plotly_utils'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
    assert 'Plotly.newPlot("chart-history", ' in (project / "site/index.html").read_text()
