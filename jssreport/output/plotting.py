"""What every chart shares: the Chart record, the colours, the base layout, the 90/80/75 lines,
and the figure written as an HTML fragment with a fixed id.

A figure is plain data: its traces and layout are the dicts and lists that plotly's
``Figure.to_plotly_json()`` would give for the same ``go.Scatter``/``go.Bar``/``update_layout``
calls (:func:`scatter`, :func:`bar`, :func:`annotation`, :func:`shape`, :func:`merged`), so a
build never imports plotly (about 0.4 s of a cold build). That they are exactly that, and valid
plotly properties, is checked by ``tests/test_output_chart_specs.py``, which hands every chart's
``Chart.spec`` to ``plotly.graph_objects.Figure`` (docs/architecture.md, "Add a chart"). The JSON
is ``json.dumps`` with sorted keys and no template, so the bytes depend neither on the installed
plotly nor on orjson, and the same report gives the same bytes. plotly.js itself is loaded once
per page from the site's assets, never embedded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
KIND_COLORS = {
    "success": "#009E73",
    "partial": "#56B4E9",
    "neutral": "#E69F00",
    "negative": "#D55E00",
    "excluded": "#999999",
    "pending": "#0072B2",
}
SCORE_COLOR = "#7C3AED"
OBSERVED_COLOR = "#D55E00"
LINE_GREY = "#888888"
# The score thresholds: 90% (Top Rated), 80% and 75%, labelled in the right margin so that a
# label never sits on the data; 80% above its line and 75% below, so that they never touch.
THRESHOLDS = ((90, "middle"), (80, "bottom"), (75, "top"))
THRESHOLD_MARGIN = 44  # px right of the plot: room for a "90%" label

CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13,
        "color": "#1f2937"}
GRID = "rgba(128, 128, 128, 0.22)"
BASE_LAYOUT: dict[str, Any] = {
    "font": FONT,
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "margin": {"l": 56, "r": 16, "t": 40, "b": 40},
    "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    "hoverlabel": {"font": {"family": FONT["family"]}},
    "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "automargin": True},
    "yaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "automargin": True},
}


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table (columns, rows of text and a note), shown under the chart as
    "Data of this chart"."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


Props = dict[str, Any]  # plotly properties, as ``to_plotly_json()`` gives them


@dataclass(frozen=True)
class Spec:
    """A figure as plotly.js reads it: ``Plotly.newPlot(div, data, layout)``."""

    data: list[Props]  # the traces, each with its "type"
    layout: Props


@dataclass(frozen=True)
class Chart:
    """One chart of the site: its plot as an HTML fragment, the title, caption and label around
    it, and its data as a table."""

    id: str  # fixed: the div id and the anchor
    title: str
    caption: str
    label: str  # aria-label of the figure
    html: str  # the plot div and the script that draws it (plotly.js must already be loaded)
    table: DataTable
    # what ``html`` draws, before the text escapes (tests validate it with plotly); ``html``
    # says it all, so it is left out of the repr (page cache keys) and of comparisons
    spec: Spec = field(repr=False, compare=False)


def _value(value: Any) -> Any:
    """``value`` as plotly keeps a property: tuples become lists, and a ``None`` property of a
    nested object is unset (left out); ``None`` in an array stays (a gap)."""
    if isinstance(value, Mapping):
        return props(**value)
    if isinstance(value, (list, tuple)):  # (a number, a text or a gap as it is: most are)
        return [v if v.__class__ in _PLAIN else _value(v) for v in value]
    return value


_PLAIN = frozenset({int, float, str, type(None)})


def props(**given: Any) -> Props:
    """Plotly properties as ``to_plotly_json()`` gives them: the ``None`` ones left out, nested
    objects likewise, arrays as lists."""
    return {k: _value(v) for k, v in given.items() if v is not None}


def scatter(**given: Any) -> Props:
    """A scatter trace: what ``go.Scatter(**given).to_plotly_json()`` gives."""
    return {"type": "scatter", **props(**given)}


def bar(**given: Any) -> Props:
    """A bar trace: what ``go.Bar(**given).to_plotly_json()`` gives."""
    return {"type": "bar", **props(**given)}


def annotation(**given: Any) -> Props:
    """A layout annotation: what ``go.layout.Annotation(**given)`` gives."""
    return props(**given)


def shape(**given: Any) -> Props:
    """A layout shape: what ``go.layout.Shape(**given)`` gives."""
    return props(**given)


def merged(base: Mapping[str, Any], update: Mapping[str, Any]) -> Props:
    """``base`` updated as ``Figure.update_layout(update)`` updates a layout: nested objects
    merge key by key, ``None`` unsets a property, anything else (a list too) replaces.

    (Plotly merges a list of annotations or shapes element by element into a non-empty one;
    the base layout has none, so replacing is the same.)"""
    out = props(**base)
    for key, value in update.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = _value(value)
    return out


def figure(traces: Sequence[Props], layout: Mapping[str, Any]) -> Spec:
    """A figure of ``traces`` (:func:`scatter`, :func:`bar`) on the base layout, updated with
    the chart's own ``layout`` (nested properties merge: ``{"xaxis": {"type": "date"}}`` keeps
    the grid colour). No template: Plotly's default would change with its version."""
    return Spec(data=list(traces), layout=merged(BASE_LAYOUT, layout))


def empty_layout(message: str) -> dict[str, Any]:
    """The layout of a chart with nothing to draw: no axes, the message in the middle."""
    return {
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
        "annotations": [annotation(text=message, showarrow=False, xref="paper", yref="paper",
                                   x=0.5, y=0.5, font={"size": 15})],
    }


def threshold_lines(levels: Sequence[tuple[int, str]] = THRESHOLDS,
                    dash: str = "dot", width: float = 1) -> dict[str, Any]:
    """Dotted lines across the plot at each level, labelled just outside its right edge."""
    return {
        "margin": {"r": THRESHOLD_MARGIN},
        "shapes": [shape(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y,
                         line={"color": LINE_GREY, "width": width, "dash": dash})
                   for y, _ in levels],
        "annotations": [annotation(xref="paper", x=1, y=y, text=f"{y}%", showarrow=False,
                                   xanchor="left", xshift=4, yanchor=anchor, font={"size": 11})
                        for y, anchor in levels],
    }


# Keys whose strings are jssreport's own Plotly markup (``<b>%{customdata[1]}</b>``): every other
# string of a chart's data and layout may come from the records and is shown as text.
TEMPLATE_KEYS = frozenset({"hovertemplate", "texttemplate"})


def plotly_text(text: str) -> str:
    """``text`` shown as itself by Plotly, whose labels, legends, ticks and hover boxes read a
    pseudo-HTML (``<a href>`` becomes a live link, ``<span style>`` styles the label): its
    ``&``, ``<`` and ``>`` as character references. A hover template that puts record text
    into its own markup escapes that text with this (the rest ``plot_html`` escapes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_texts(value: Any) -> Any:
    """``value`` (a chart's data or layout) with :func:`plotly_text` applied to every string
    but those of ``TEMPLATE_KEYS``."""
    if isinstance(value, str):
        return plotly_text(value)
    if isinstance(value, dict):
        return {k: v if k in TEMPLATE_KEYS else plotly_texts(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plotly_text(v) if v.__class__ is str else v if v.__class__ in _PLAIN
                else plotly_texts(v) for v in value]
    return value


def plot_html(div_id: str, spec: Spec, height: int) -> str:
    """The div and its script, as ``plotly.io.to_html(..., full_html=False)`` writes them.
    Every text but the hover templates goes through :func:`plotly_text` at this boundary, so
    no record text is read as Plotly's own markup."""
    config = {**CONFIG, "toImageButtonOptions": {"filename": div_id}}
    data, layout = plotly_texts(spec.data), plotly_texts(spec.layout)
    args = ", ".join(chart_json(part) for part in (data, layout, config))
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{height}px; width:100%;">'
        f"</div>\n<script>window.PLOTLYENV = window.PLOTLYENV || {{}};\n"
        f'if (document.getElementById("{div_id}")) {{ Plotly.newPlot("{div_id}", {args}); }}'
        f"\n</script>"
    )


_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"), ("&", "\\u0026"))


def chart_json(value: Any) -> str:
    """Compact JSON with sorted keys in which ``<``, ``>``, ``/`` and ``&`` are escapes, so no
    text can close the script element or be read as markup; non-ASCII text as ``\\u`` escapes.
    NaN and infinities become null, as plotly writes them."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=True, sort_keys=True)
    if "NaN" in text or "Infinity" in text:  # only then can the encoder have written them
        text = json.dumps(json.loads(text, parse_constant=lambda _: None),
                          separators=(",", ":"), sort_keys=True)
    for char, escape in _UNSAFE:
        text = text.replace(char, escape)
    return text
