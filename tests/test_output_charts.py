"""Charts: fixed ids, deterministic bytes, escaped data, a table for every chart."""

from __future__ import annotations

import json
import re
from datetime import date

from jssreport.input.config import Settings
from jssreport.input.records import Records
from jssreport.model.types import Contract, Feedback, Payment, Profile, Snapshot
from jssreport.output.charts import build_charts, plot_html
from jssreport.output.plotting import bar, figure
from jssreport.report.compute import Report, compute_report

HOSTILE = "</script><script>alert(1)</script>"
IDS = ["chart-history", "chart-timeline", "chart-earnings", "chart-contribution",
       "chart-outcomes"]


def report_for(*contracts: Contract) -> Report:
    profile = Profile(name="P", snapshots=(Snapshot(date(2020, 6, 1), jss=80),))
    records = Records(profile=profile, contracts=contracts, scenarios=(), pages=(), locations={})
    return compute_report(records, Settings(), date(2020, 7, 1))


def job(cid: str, client: str, month: int, stars: float = 5.0) -> Contract:
    end = date(2020, month, 20)
    return Contract(id=cid, client=client, title=f"Title {cid}", type="fixed",
                    start=date(2020, month, 1), end=end, payments=(Payment(end, 300.0),),
                    feedback=Feedback(date=end, stars=stars))


CONTRACTS = (job("a", "Alpha", 1), job("b", HOSTILE, 2, 3.0), job("c", "Gamma", 3),
             job("d", "Delta", 4, 4.5))


def test_every_chart_has_a_fixed_id_caption_label_and_table() -> None:
    charts = build_charts(report_for(*CONTRACTS))
    assert list(charts) == IDS
    for cid, chart in charts.items():
        assert chart.id == cid
        assert f'<div id="{cid}" class="plotly-graph-div"' in chart.html
        assert f'Plotly.newPlot("{cid}", ' in chart.html
        assert chart.caption and chart.label and chart.title
        assert chart.table.columns and chart.table.rows


def test_charts_are_deterministic_and_do_not_embed_plotly_js() -> None:
    first = build_charts(report_for(*CONTRACTS))
    second = build_charts(report_for(*reversed(CONTRACTS)))
    for cid in IDS:
        assert first[cid].html == second[cid].html
        html = first[cid].html
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", html)  # no uuid
        assert "cdn" not in html.lower() and "https://" not in html
        assert len(html) < 50_000  # plotly.js itself lives in assets/, not here
        assert '"displaylogo":false' in html and '"responsive":true' in html


def test_hostile_text_cannot_close_the_script_element() -> None:
    charts = build_charts(report_for(*CONTRACTS))
    for chart in charts.values():
        script = chart.html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
        assert "</" not in script and "<script" not in script
    earnings = charts["chart-earnings"].html
    # shown as text by Plotly too: its own markup escaped (jssreport.output.charts.plotly_text)
    assert "\\u0026lt;\\u002fscript\\u0026gt;\\u0026lt;script\\u0026gt;alert(1)" in earnings
    assert (HOSTILE,) in {row[1:2] for row in charts["chart-timeline"].table.rows}


def test_history_chart_draws_windows_score_snapshots_and_thresholds() -> None:
    html = build_charts(report_for(*CONTRACTS))["chart-history"].html
    data, layout = (json.loads(part) for part in _arguments(html)[:2])
    names = [trace["name"] for trace in data]
    assert "Estimated JSS (shown)" in names and "Observed on Upwork" in names
    assert "24-month window" in names
    assert [shape["y0"] for shape in layout["shapes"]] == [90, 80, 75]


def test_empty_report_still_draws_every_chart() -> None:
    charts = build_charts(report_for())
    assert list(charts) == IDS
    assert "No contracts yet" in charts["chart-history"].html


def test_plot_html_uses_the_json_engine_for_any_text() -> None:
    html = plot_html("chart-x", figure([bar(x=["Café"], y=[1])], {}), 300)
    assert "Caf\\u00e9" in html and 'style="height:300px; width:100%;"' in html


def _arguments(html: str) -> list[str]:
    """The JSON arguments of Plotly.newPlot, split at the top level."""
    body = html.split('Plotly.newPlot("chart-history", ', 1)[1].rsplit("); }", 1)[0]
    decoder = json.JSONDecoder()
    parts, index = [], 0
    while index < len(body):
        _, end = decoder.raw_decode(body, index)
        parts.append(body[index:end])
        index = end + 2  # ", "
    return parts
