"""The advice charts: scenario projections, the roll-off outlook, the Top Rated 16-week strip
and the detractor probabilities, as plotly figures in plain data. Same conventions as
``charts.py`` (docs/architecture.md): fixed div ids, a caption, an accessible label and the data
as a table; no I/O, nothing random."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from jssreport.output import paging
from jssreport.output.plotting import (
    KIND_COLORS,
    OBSERVED_COLOR,
    SCORE_COLOR,
    Chart,
    DataTable,
    Props,
    bar,
    figure,
    plot_html,
    plotly_text,
    scatter,
    threshold_lines,
)
from jssreport.report.advice import Advice
from jssreport.textformat import format_percent, kind_label, window_label

if TYPE_CHECKING:
    from jssreport.report.compute import Report

# Okabe-Ito, as charts.py: one colour per scenario, cycled.
SCENARIO_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
BASELINE_COLOR = "#6B7280"
PRIOR_COLOR = "#374151"
DETRACTOR_BARS = 30  # the likeliest; a taller chart stops being readable


def advice_charts(report: Report) -> dict[str, Chart]:
    """The advice charts by id (none without the advice; no detractor chart without a
    snapshot to explain)."""
    advice = report.advice
    if advice is None:
        return {}
    charts = [outlook_chart(advice), projections_chart(advice), rolloff_chart(advice),
              toprated_chart(advice)]
    if advice.explanation is not None and advice.explanation.contracts:
        charts.append(detractors_chart(advice))
    return {c.id: c for c in charts}


def _thresholds(values: Sequence[float | None]) -> dict[str, Any]:
    shown = [v for v in values if v is not None]
    low = min([70.0, *shown]) - 5
    return {
        "yaxis": {"range": [max(0.0, low), 102], "ticksuffix": "%",
                  "title": {"text": "Projected JSS"}},
        **threshold_lines(),
    }


def _line(name: str, points: Sequence[tuple[date, int | None, float | None]], color: str,
          dash: str = "solid", width: float = 2.5) -> Props:
    return scatter(
        x=[d.isoformat() for d, _, _ in points], y=[j for _, j, _ in points],
        mode="lines+markers", name=name,
        line={"color": color, "dash": dash, "width": width, "shape": "hv"}, marker={"size": 5},
        hovertemplate="%{y}%<extra>" + plotly_text(_short(name)) + "</extra>")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def projections_chart(advice: Advice) -> Chart:
    base = advice.baseline
    data = [*_band(advice, until_first_gap(base.points)),
            _line("No change", base.points, BASELINE_COLOR, "dash", 3)]
    for i, s in enumerate(advice.scenarios):
        data.append(_line(s.name, s.projection.points, SCENARIO_COLORS[i % len(SCENARIO_COLORS)]))
    values = [v for trace in data for v in trace["y"]]
    layout = {"hovermode": "x unified", "xaxis": {"type": "date"}, **_thresholds(values)}
    names = [s.name for s in advice.scenarios]
    columns = ("Date", "No change", *names)
    by_date: list[tuple[str, ...]] = []
    for k, (day, jss, _) in enumerate(base.points):
        cells = [format_percent(s.projection.points[k][1]) if k < len(s.projection.points)
                 else "" for s in advice.scenarios]
        by_date.append((day.isoformat(), format_percent(jss), *cells))
    count = len(advice.scenarios)
    finals = "; ".join(f"{s.name}: {format_percent(s.final)}" for s in advice.scenarios)
    last = base.points[-1] if base.points else None
    spec = figure(data, layout)
    return Chart(
        id="chart-projections",
        title="Projected JSS: scenarios against no change",
        caption="The estimated score on every update date of the next six months, for each "
        "scenario in content/scenarios and with no change (dashed), with the 90%, 80% and 75% "
        "lines. " + base.assumption,
        label=f"Line chart of the projected Job Success Score for {count} scenario"
        f"{'s' if count != 1 else ''} and no change, from {advice.on.isoformat()}"
        + (f" to {last[0].isoformat()}; no change ends at {format_percent(last[1])}" if last
           else "") + (f"; {finals}." if finals else "."),
        html=plot_html("chart-projections", spec, 420),
        spec=spec,
        table=DataTable(columns, tuple(by_date)),
    )


def _band(advice: Advice, points: Sequence[tuple[date, int | None, float | None]]
          ) -> list[Props]:
    """The range around a projection: the assessment's range today, kept as offsets."""
    a = advice.assessment
    if a is None or a.jss is None or a.low is None or a.high is None or not points:
        return []
    below, above = a.jss - a.low, a.high - a.jss
    xs = [d.isoformat() for d, _, _ in points]
    low = [None if j is None else max(0, j - below) for _, j, _ in points]
    high = [None if j is None else min(100, j + above) for _, j, _ in points]
    return [
        scatter(x=xs, y=low, mode="lines", line={"width": 0, "shape": "hv"},
                showlegend=False, hoverinfo="skip", name="likely range (low)"),
        scatter(x=xs, y=high, mode="lines", line={"width": 0, "shape": "hv"},
                fill="tonexty", fillcolor="rgba(31,119,180,0.15)", hoverinfo="skip",
                name=f"Likely range ({a.low}-{a.high}% today)"),
    ]


def _stop_text(points: Sequence[tuple[date, int | None, float | None]]) -> str:
    """Why a projection stops: a window no longer meets the minimum."""
    gone = next((d for d, j, _ in points if j is None), None)
    if gone is None:
        return ""
    return (f" The line stops on {gone.isoformat()}: from then no window has the minimum "
            "number of outcomes and clients, so the platform would show no score.")


def until_first_gap(points: Sequence[tuple[date, int | None, float | None]]
                    ) -> tuple[tuple[date, int | None, float | None], ...]:
    """The points up to the first one without a score (kept, so the line ends there)."""
    out = []
    for p in points:
        out.append(p)
        if p[1] is None:
            break
    return tuple(out)


def outlook_chart(advice: Advice) -> Chart:
    """The Overview's outlook: the calibrated score with no new work for six months."""
    points = until_first_gap(advice.baseline.points)
    data = [*_band(advice, points),
            _line("Estimate with no new work", points, SCORE_COLOR, width=2.5)]
    a = advice.assessment
    obs = None if a is None else a.observed
    if obs is not None and obs.jss is not None:
        data.append(scatter(x=[obs.date.isoformat()], y=[obs.jss], mode="markers",
                            name="Upwork showed",
                            marker={"size": 12, "symbol": "star", "color": OBSERVED_COLOR},
                            hovertemplate="Upwork showed %{y}% on %{x}<extra></extra>"))
    values = [v for trace in data for v in trace["y"]]
    layout = {"hovermode": "x unified", "xaxis": {"type": "date"}, **_thresholds(values)}
    last = points[-1] if points else None
    spec = figure(data, layout)
    return Chart(
        id="chart-outlook",
        title="The next six months with no new work",
        caption=advice.start_text + " " + advice.baseline.assumption + _stop_text(points),
        label="Line chart of the calibrated Job Success Score with no new work from "
        f"{advice.on.isoformat()}" + (f" to {last[0].isoformat()}" if last else "")
        + ", with its likely range.",
        html=plot_html("chart-outlook", spec, 360),
        spec=spec,
        table=DataTable(("Date", "Estimate"),
                        tuple((d.isoformat(), format_percent(j)) for d, j, _ in points)),
    )


def rolloff_chart(advice: Advice) -> Chart:
    points = advice.outlook_until_rolloff
    data = [*_band(advice, points), _line("No new work", points, SCORE_COLOR, width=2.5)]
    last = points[-1][0] if points else advice.on
    # as the calendar above the chart, up to where the line ends (never years ahead)
    events = tuple(r for r in advice.rolloff[:paging.ROLLOFF_SHOWN] if r.leaves_on <= last)
    if events:
        data.append(scatter(
            x=[r.leaves_on.isoformat() for r in events], y=[r.jss_after for r in events],
            mode="markers", name="An outcome leaves a window",
            marker={"size": 11, "symbol": "diamond",
                    "color": [KIND_COLORS.get(r.kind, "#999999") for r in events],
                    "line": {"width": 1, "color": "#ffffff"}},
            customdata=[[r.contract, kind_label(r.kind), window_label(r.window),
                         format_percent(r.jss_before), format_percent(r.jss_after)]
                        for r in events],
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]}) leaves the "
            "%{customdata[2]}<br>%{customdata[3]} the day before, %{customdata[4]} then"
            "<extra></extra>"))
    values = [v for trace in data for v in trace["y"]]
    layout = {"hovermode": "closest", "xaxis": {"type": "date"}, **_thresholds(values)}
    n = len({r.contract for r in events})
    spec = figure(data, layout)
    return Chart(
        id="chart-rolloff",
        title="Roll-off: the score with no new work",
        caption="The estimated score on every update date with no new work, and the dates "
        "(diamonds, coloured by outcome) when each outcome that holds the score down leaves "
        "each window" + (f" (the {len(events)} of {len(advice.rolloff):,} in the calendar "
                         "until the line ends)" if len(advice.rolloff) > len(events) else "")
        + ". " + advice.start_text + " " + advice.outlook.assumption + _stop_text(points),
        label=f"Line chart of the projected Job Success Score with no new work from "
        f"{advice.on.isoformat()}" + (f" to {points[-1][0].isoformat()}" if points else "")
        + f", with {len(events)} roll-off dates of {n} contract{'s' if n != 1 else ''}.",
        html=plot_html("chart-rolloff", spec, 400),
        spec=spec,
        table=DataTable(
            ("Leaves on", "Contract", "Outcome", "Window", "JSS the day before", "JSS then"),
            tuple((r.leaves_on.isoformat(), r.contract, kind_label(r.kind),
                   window_label(r.window), format_percent(r.jss_before),
                   format_percent(r.jss_after)) for r in events),
            note="" if events else "No outcome holds the score down in any window."),
    )


def toprated_chart(advice: Advice) -> Chart:
    status = advice.top_rated
    weeks = status.weeks
    ok = [j is not None and j >= 90 for _, j in weeks]
    shown = [j for _, j in weeks if j is not None]
    floor = max(0, min([80, *shown]) - 10)
    bars = bar(
        x=[d.isoformat() for d, _ in weeks], y=[j or floor for _, j in weeks],
        name="Score in force",
        text=[format_percent(j) if j is not None else "none" for _, j in weeks],
        # level inside the top of each bar; hidden where a bar is too narrow for it (a phone)
        textposition="inside", insidetextanchor="end", textangle=0,
        textfont={"color": "#ffffff", "size": 10},
        marker={"color": [KIND_COLORS["success"] if good else KIND_COLORS["negative"]
                          for good in ok]},
        hovertemplate="Week of %{x|%Y-%m-%d}: %{text}<extra></extra>")
    layout: dict[str, Any] = {
        "showlegend": False, "bargap": 0.15,
        "uniformtext": {"minsize": 8, "mode": "hide"},
        "xaxis": {"type": "date", "tickformat": "%b %d", "dtick": 14 * 86_400_000},
        "yaxis": {"range": [floor, 101], "ticksuffix": "%", "title": {"text": "JSS"}},
        **threshold_lines(((90, "middle"),), dash="dash", width=1.5),
    }
    spec = figure([bars], layout)
    return Chart(
        id="chart-toprated",
        title="Top Rated: the last 16 weeks",
        caption="The estimated score in force each week (green: 90% or more). Top Rated needs "
        f"90%+ in at least 13 of the last 16 weeks; here {status.weeks_at_90} of 16.",
        label=f"Bar chart of the weekly score over the last 16 weeks: {status.weeks_at_90} of "
        "16 weeks at 90% or more.",
        html=plot_html("chart-toprated", spec, 320),
        spec=spec,
        table=DataTable(("Week of", "Score in force", "90% or more"), tuple(
            (d.isoformat(), format_percent(j), "yes" if good else "no")
            for (d, j), good in zip(weeks, ok, strict=True))),
    )


def detractors_chart(advice: Advice) -> Chart:
    e = advice.explanation
    assert e is not None
    # e.contracts is likeliest first; the chart draws its first bar at the bottom
    rows = sorted(e.contracts[:DETRACTOR_BARS], key=lambda s: (s.probability, s.id))
    ids = [s.id for s in rows]
    names = [[advice.title(s.id), advice.client(s.id)] for s in rows]
    data = [
        bar(orientation="h", name="Negative (0-6)", y=ids,
            x=[round(100 * s.negative, 1) for s in rows],
            marker={"color": KIND_COLORS["negative"]}, customdata=names,
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>negative "
            "%{x:.0f}%<extra></extra>"),
        bar(orientation="h", name="Passive (7-8)", y=ids,
            x=[round(100 * s.passive, 1) for s in rows],
            marker={"color": KIND_COLORS["neutral"]}, customdata=names,
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>passive "
            "%{x:.0f}%<extra></extra>"),
        scatter(mode="markers", name="Prior", y=ids,
                x=[round(100 * s.prior, 1) for s in rows],
                marker={"symbol": "line-ns-open", "size": 18, "color": PRIOR_COLOR,
                        "line": {"width": 2, "color": PRIOR_COLOR}},
                hovertemplate="prior %{x:.0f}%<extra></extra>"),
    ]
    layout: dict[str, Any] = {
        "barmode": "stack", "hovermode": "closest",
        # stacked bars list their legend bottom-up by default; keep the order above
        "legend": {"traceorder": "normal"},
        # short enough to fit under the plot on a phone; the caption says it in full
        "xaxis": {"range": [0, 100], "ticksuffix": "%",
                  "title": {"text": "Would not recommend"}},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": ids},
    }
    top = rows[-1] if rows else None
    spec = figure(data, layout)
    return Chart(
        id="chart-detractors",
        title="Likely detractors",
        caption=("For each rated contract" if len(rows) == len(e.contracts) else
                 f"For the {len(rows)} likeliest of {len(e.contracts):,} rated contracts")
        + ", the chance that the client's hidden private feedback "
        "was negative (0-6) or passive (7-8), given the score Upwork showed on "
        f"{e.observed.date.isoformat()}; the tick marks the prior, the chance before looking "
        "at the score.",
        label=f"Stacked bar chart of the chance that each of {len(rows)} rated clients would "
        "not recommend you" + (f"; highest: {top.id} at {top.probability:.0%}." if top else "."),
        html=plot_html("chart-detractors", spec, 140 + 34 * max(3, len(rows))),
        spec=spec,
        table=DataTable(("Contract", "Client", "Stars", "Would not recommend", "Negative",
                         "Passive", "Prior"), tuple(
            (s.id, advice.client(s.id), "" if s.stars is None else f"{s.stars:g}",
             f"{s.probability:.0%}", f"{s.negative:.0%}", f"{s.passive:.0%}",
             f"{s.prior:.0%}") for s in reversed(rows))),
    )
