"""The report's charts as plotly figures (plain data, built with ``plotting``'s helpers), each an
HTML fragment with a fixed id, plus the caption, label and data of each (the advice charts are in
``advicecharts``; how to add one: docs/architecture.md).

No file I/O and nothing random: the same report gives the same bytes (``plotting``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jssreport.input.yamlload import paused_gc
from jssreport.model.outcomes import KINDS
from jssreport.model.windows import WINDOW_NAMES
from jssreport.output.plotting import (
    KIND_COLORS,
    LINE_GREY,
    OBSERVED_COLOR,
    SCORE_COLOR,
    Chart,
    DataTable,
    Props,
    bar,
    empty_layout,
    figure,
    plot_html,
    scatter,
    shape,
    threshold_lines,
)
from jssreport.textformat import format_money, format_percent, kind_label, window_label

if TYPE_CHECKING:
    from jssreport.report.compute import ContractRow, Report

__all__ = ["KIND_COLORS", "OBSERVED_COLOR", "SCORE_COLOR", "Chart", "DataTable", "build_charts",
           "plot_html"]

WINDOW_STYLES = {
    "24m": ("#0072B2", "solid"),
    "12m": ("#56B4E9", "dash"),
    "6m": ("#CC79A7", "dot"),
    "3m": ("#E69F00", "dot"),
    "trending": ("#009E73", "dashdot"),
}
TIMELINE_ROWS = 60  # a taller timeline stops being readable
EARNINGS_CLIENTS = 8  # the rest are summed as "Other clients"
HISTORY_TABLE_ROWS = 400
CONTRIBUTION_BARS = 40  # at most: the half that lower the score most, the half that raise it most


def build_charts(report: Report) -> dict[str, Chart]:
    """Every chart of the site, by id."""
    with paused_gc():  # as render_site: no cycles to collect, and a big report to scan
        charts = (history_chart(report), timeline_chart(report), earnings_chart(report),
                  contribution_chart(report), outcome_mix_chart(report))
    return {c.id: c for c in charts}


def history_chart(report: Report) -> Chart:
    points = report.history
    dates = [p.date.isoformat() for p in points]
    traces: list[Props] = []
    for name in WINDOW_NAMES:
        values = [p.windows.get(name) for p in points]
        if all(v is None for v in values):
            continue
        color, dash = WINDOW_STYLES[name]
        traces.append(scatter(
            x=dates, y=values, mode="lines", name=window_label(name), opacity=0.8,
            line={"color": color, "dash": dash, "width": 1.5},
            hovertemplate="%{y:.1f}%<extra>" + name + "</extra>"))
    calibrated = report.advice is not None and report.advice.calibrated
    traces.append(scatter(
        x=dates, y=[p.jss for p in points], mode="lines",
        name="Public feedback only (shown)" if calibrated else "Estimated JSS (shown)",
        line={"color": SCORE_COLOR, "width": 3, "shape": "hv"},
        hovertemplate="%{y}%<extra>estimate</extra>"))
    if calibrated and report.advice is not None:
        weeks = report.advice.top_rated.weeks  # the same 16 weeks as the Top Rated strip
        traces.append(scatter(
            x=[d.isoformat() for d, _ in weeks], y=[j for _, j in weeks], mode="lines+markers",
            name="With the likely hidden ratings (16 weeks)",
            line={"color": OBSERVED_COLOR, "width": 2.5, "shape": "hv"},
            hovertemplate="%{y}%<extra>calibrated</extra>"))
    observed = [s for s in report.profile.snapshots if s.jss is not None and s.date <= report.as_of]
    if observed:
        traces.append(scatter(
            x=[s.date.isoformat() for s in observed], y=[s.jss for s in observed],
            mode="markers", name="Observed on Upwork",
            marker={"color": OBSERVED_COLOR, "size": 11, "symbol": "diamond",
                    "line": {"width": 1, "color": "#ffffff"}},
            hovertemplate="%{y}%<extra>observed</extra>"))
    shown: list[float] = [v for t in traces for v in t["y"] if v is not None]
    low = min([70.0, *shown]) - 5
    layout: dict[str, Any] = {
        "hovermode": "x unified",
        "yaxis": {"range": [max(0.0, low), 102], "ticksuffix": "%", "title": {"text": "Score"}},
        "xaxis": {"type": "date"},
        **threshold_lines(),
    }
    if not points:  # nothing to draw: no snapshot marker over the message either
        traces, layout = [], empty_layout("No contracts yet")
    spec = figure(traces, layout)
    return Chart(
        id="chart-history",
        title="Estimated JSS over time",
        caption=f"The estimated score at every update date under {_rules_words(report)}: "
        "each window, the displayed estimate (the best window), the scores Upwork showed "
        "(diamonds), and the 90%, 80% and 75% lines."
        + (" The windows and the thick line read public feedback only; the last 16 weeks are "
           "also drawn with the hidden private ratings that explain what Upwork showed."
           if report.advice is not None and report.advice.calibrated else ""),
        label=f"Line chart of the estimated Job Success Score from "
        f"{dates[0] if dates else 'the start'} to {report.as_of.isoformat()}; "
        f"today's estimate is {report.jss_text}.",
        html=plot_html("chart-history", spec, 420),
        spec=spec,
        table=_history_table(report),
    )


def _rules_words(report: Report) -> str:
    if report.rule_setting == "auto":
        return "the rules in force at each date"
    return f"the {report.rules.title}"


def _history_table(report: Report) -> DataTable:
    columns = ("Date", "Rules", "Shown", *(window_label(n) for n in WINDOW_NAMES))
    rows = []
    previous: tuple[Any, ...] | None = None
    for i, p in enumerate(report.history):
        key = (p.rules, p.jss)
        if key != previous or i == len(report.history) - 1:
            rows.append((p.date.isoformat(), p.rules, format_percent(p.jss),
                         *(format_percent(p.windows.get(n), 1) for n in WINDOW_NAMES)))
        previous = key
    note = "Dates where the displayed estimate or the rule set changed, and today."
    return DataTable(columns, tuple(rows[-HISTORY_TABLE_ROWS:]), note)


def timeline_chart(report: Report) -> Chart:
    rows = sorted(report.rows, key=lambda r: (r.start, r.id))
    shown = rows[-TIMELINE_ROWS:]
    traces: list[Props] = []
    for kind in KINDS:
        mine = [r for r in shown if r.outcome == kind]
        if not mine:
            continue
        spans = [(r, r.end or report.as_of) for r in mine]
        traces.append(bar(
            orientation="h", name=kind_label(kind), y=[r.id for r in mine],
            base=[r.start.isoformat() for r in mine],
            x=[max(1, (end - r.start).days) * 86_400_000 for r, end in spans],
            marker={"color": KIND_COLORS[kind]},
            customdata=[[r.client, r.title, r.start.isoformat(),
                         "open" if r.is_open else end.isoformat(), r.reason] for r, end in spans],
            hovertemplate="<b>%{customdata[1]}</b> (%{customdata[0]})<br>"
            "%{customdata[2]} to %{customdata[3]}<br>%{customdata[4]}<extra></extra>"))
    layout: dict[str, Any] = {
        "barmode": "overlay",
        "xaxis": {"type": "date"},
        "yaxis": {"type": "category", "categoryorder": "array",
                  "categoryarray": [r.id for r in shown], "autorange": "reversed"},
        "shapes": [shape(type="line", yref="paper", y0=0, y1=1,
                      x0=report.as_of.isoformat(), x1=report.as_of.isoformat(),
                      line={"color": LINE_GREY, "width": 1, "dash": "dot"})],
    }
    if not shown:
        layout = empty_layout("No contracts yet")
    extra = (f" Only the {TIMELINE_ROWS} most recent of {len(rows):,} contracts are drawn; "
             "the Contracts pages list them all." if len(rows) > TIMELINE_ROWS else "")
    spec = figure(traces, layout)
    return Chart(
        id="chart-timeline",
        title="Contract timeline",
        caption="Each contract from its start to its end (open ones to the report date, the "
        "dotted line), coloured by how it counts in today's estimate." + extra,
        label=f"Timeline of {len(rows)} contracts, {report.open_count} of them open.",
        html=plot_html("chart-timeline", spec, 120 + 24 * max(4, len(shown))),
        spec=spec,
        table=DataTable(("Contract", "Client", "Start", "End", "Outcome"), tuple(
            (r.id, r.client, r.start.isoformat(), r.end.isoformat() if r.end else "open",
             kind_label(r.outcome)) for r in shown)),
    )


def earnings_chart(report: Report) -> Chart:
    e = report.earnings
    named = e.clients[:EARNINGS_CLIENTS]
    others = len(e.clients) > EARNINGS_CLIENTS
    series = [*named, *(["Other clients"] if others else [])]
    months = [m.month for m in e.months]

    def amount(month_clients: dict[str, float], name: str) -> float:
        if name == "Other clients":
            return round(sum(v for k, v in month_clients.items() if k not in named), 2)
        return month_clients.get(name, 0.0)

    per_month = [dict(m.by_client) for m in e.months]
    # A redacted report has each month's payments as percent of all earnings (redact.py).
    unit = "% of all earnings" if report.redacted else e.currency
    hover = "%{y:.1f}% of all earnings" if report.redacted else "%{y:,.2f} " + e.currency

    def cell(value: float) -> str:
        return f"{value:.1f}%" if report.redacted else format_money(value, e.currency)

    traces = [bar(x=months, y=[amount(mc, name) for mc in per_month], name=name,
                  hovertemplate=hover + "<extra>%{fullData.name}</extra>")
              for name in series]
    layout: dict[str, Any] = {
        "barmode": "stack", "xaxis": {"type": "category"},
        "yaxis": {"title": {"text": unit}, "tickformat": ","},
        # stacked bars list their legend bottom-up by default; keep the largest client first
        "legend": {"traceorder": "normal"},
    }
    if not months:
        layout = empty_layout("No payments yet")
    what = ("Each month's payments as a share of all earnings (exact amounts are left out of "
            "this redacted report)" if report.redacted else
            f"Payments received each month, in {e.currency}")
    spec = figure(traces, layout)
    return Chart(
        id="chart-earnings",
        title="Earnings by month",
        caption=f"{what}, stacked by client."
        + (f" The {EARNINGS_CLIENTS} largest clients are shown separately." if others else ""),
        label=f"Stacked bar chart of earnings over {len(months)} months; "
        f"{e.last_12_months_text} in the last 12 months.",
        html=plot_html("chart-earnings", spec, 380),
        spec=spec,
        table=DataTable(("Month", *series, "Total"), tuple(
            (m.month, *(cell(amount(mc, n)) for n in series), cell(m.total))
            for m, mc in zip(e.months, per_month, strict=True))),
    )


def contribution_bars(report: Report) -> tuple[list[ContractRow], int]:
    """The counted contracts the chart draws, from the one that lowers the score most to the
    one that raises it most, and how many are counted. With more than CONTRIBUTION_BARS: the
    half that lower it most and the half that raise it most (either half filled up from the
    other when it has fewer)."""
    rows = sorted((r for r in report.rows if r.contribution is not None),
                  key=lambda r: (r.contribution or 0.0, r.id))
    if len(rows) <= CONTRIBUTION_BARS:
        return rows, len(rows)
    down = [r for r in rows if (r.contribution or 0.0) < 0]
    up = len(rows) - len(down)
    low = min(len(down), max(CONTRIBUTION_BARS // 2, CONTRIBUTION_BARS - up))
    return rows[:low] + rows[len(rows) - (CONTRIBUTION_BARS - low):], len(rows)


def contribution_chart(report: Report) -> Chart:
    rows, counted = contribution_bars(report)
    bars = bar(
        orientation="h", name="Contribution", y=[r.id for r in rows],
        x=[r.contribution for r in rows],
        marker={"color": [KIND_COLORS["success"] if (r.contribution or 0) >= 0
                          else KIND_COLORS["negative"] for r in rows]},
        customdata=[[r.client, r.title, r.reason] for r in rows],
        hovertemplate="<b>%{customdata[1]}</b> (%{customdata[0]})<br>%{x:+.1f} points<br>"
        "%{customdata[2]}<extra></extra>")
    layout: dict[str, Any] = {
        "showlegend": False,
        "xaxis": {"title": {"text": "Points of the estimated score"}, "zeroline": True},
        "yaxis": {"type": "category", "categoryorder": "array",
                  "categoryarray": [r.id for r in rows]},
    }
    if not rows:
        layout = empty_layout("No contract changes today's estimate")
    spec = figure([bars], layout)
    return Chart(
        id="chart-contribution",
        title="What each contract does to the score",
        caption="Today's estimate with each contract minus the estimate without it, in points. "
        "Contracts that do not count today are left out." + (
            f" Of the {counted:,} that count, the {len(rows)} that lower or raise it most; the "
            "Contracts pages list every contribution." if counted > len(rows) else ""),
        label=f"Bar chart of the contribution of {len(rows)} counted contracts"
        + (f" of {counted:,}." if counted > len(rows) else "."),
        html=plot_html("chart-contribution", spec, 120 + 26 * max(4, len(rows))),
        spec=spec,
        table=DataTable(("Contract", "Client", "Points", "Why"), tuple(
            (r.id, r.client, r.contribution_text, r.reason) for r in reversed(rows))),
    )


def outcome_mix_chart(report: Report) -> Chart:
    mix = report.outcome_mix
    labels = [kind_label(o.kind) for o in mix]
    bars = bar(
        x=labels, y=[o.contracts for o in mix],
        marker={"color": [KIND_COLORS[o.kind] for o in mix]},
        customdata=[o.weight for o in mix],
        hovertemplate="%{x}: %{y} contracts, weight %{customdata:g}<extra></extra>")
    few = max((o.contracts for o in mix), default=0) <= 10
    layout: dict[str, Any] = {"showlegend": False,
                              "yaxis": {"title": {"text": "Contracts"}, "dtick": 1 if few
                                        else None}}
    if not mix:
        layout = empty_layout("No contracts yet")
    spec = figure([bars], layout)
    return Chart(
        id="chart-outcomes",
        title="Outcome mix",
        caption="How many contracts fall in each outcome class today; the hover shows their "
        "total weight in the score.",
        label="Bar chart of contracts by outcome: " + ", ".join(
            f"{o.contracts} {kind_label(o.kind).lower()}" for o in mix) + ".",
        html=plot_html("chart-outcomes", spec, 320),
        spec=spec,
        table=DataTable(("Outcome", "Contracts", "Weight"), tuple(
            (kind_label(o.kind), str(o.contracts), f"{o.weight:g}") for o in mix)),
    )
