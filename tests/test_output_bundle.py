"""The pinned partial plotly.js bundle (jssreport/vendor/) and what the demo site weighs with it.

The bundle must hold every trace type any chart of the demo draws: a chart of a type it lacks
would not draw at all. The demo site stays under 2 MB, and the Overview's first visit (the page,
the stylesheet and the scripts it loads, gzipped) under 600 kB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from jssreport.input.config import load_settings
from jssreport.output.render import PLOTLY_ASSET, PLOTLY_JS_VERSION, plotly_js
from jssreport.output.singlefile import assemble
from jssreport.paths import PLOTLY_BUNDLE
from jssreport.pipeline import render_report

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "jssreport" / "vendor"
BUNDLE_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
# How plotly.js registers a trace module; the minifier keeps these property names and strings.
TRACE_MODULE = re.compile(rb'moduleType:"trace",name:"([a-z0-9]+)"')
NEW_PLOT = re.compile(r'Plotly\.newPlot\("([^"]+)", ')
SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')

SITE_LIMIT = 2_000_000
FIRST_VISIT_GZIP_LIMIT = 600_000
SINGLE_FILE_LIMIT = 1_600_000


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, bytes]:
    """Every file of the repository's demo site, rendered in memory."""
    project = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "jssreport.yml", project / "jssreport.yml")
    return render_report(project, load_settings(project)).files


def bundle_trace_types(bundle: bytes) -> set[str]:
    return {name.decode() for name in TRACE_MODULE.findall(bundle)}


def chart_trace_types(html: str) -> dict[str, set[str]]:
    """The trace types of each chart a page draws, from the data of its ``Plotly.newPlot``."""
    found: dict[str, set[str]] = {}
    decoder = json.JSONDecoder()
    for match in NEW_PLOT.finditer(html):
        data, _ = decoder.raw_decode(html, match.end())
        # a trace without a type is a scatter (plotly.js's default)
        found[match.group(1)] = {trace.get("type", "scatter") for trace in data}
    return found


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_the_bundle_is_the_pinned_basic_bundle_with_its_licence() -> None:
    bundle = plotly_js()
    assert bundle == (ROOT / "jssreport" / PLOTLY_BUNDLE).read_bytes()
    assert hashlib.sha256(bundle).hexdigest() == BUNDLE_SHA256
    assert bundle.startswith(b"/**\n* plotly.js (basic - minified) v" + PLOTLY_JS_VERSION.encode())
    assert b"window.Plotly = Plotly;" in bundle[-200:]
    assert "MIT License" in (VENDOR / "LICENSE.plotly.js").read_text(encoding="utf-8")
    note = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"plotly.js-basic-dist-min {PLOTLY_JS_VERSION}" in note and BUNDLE_SHA256 in note
    assert bundle_trace_types(bundle) == {"bar", "pie", "scatter"}


def test_every_trace_type_a_demo_chart_draws_is_in_the_bundle(
        demo_files: Mapping[str, bytes]) -> None:
    available = bundle_trace_types(demo_files[PLOTLY_ASSET])
    drawn: dict[str, set[str]] = {}
    for name, data in demo_files.items():
        if name.endswith(".html"):
            drawn.update(chart_trace_types(data.decode("utf-8")))
    assert len(drawn) == 10  # every chart of the demo, each found once
    missing = {chart: types - available for chart, types in drawn.items() if types - available}
    assert missing == {}
    assert set().union(*drawn.values()) == {"scatter", "bar"}


def test_the_demo_site_and_its_first_visit_are_light(demo_files: Mapping[str, bytes]) -> None:
    total = sum(len(data) for data in demo_files.values())
    assert total < SITE_LIMIT, f"the demo site is {total:,} bytes"
    index = demo_files["index.html"].decode("utf-8")
    loads = STYLESHEET.findall(index) + SCRIPT.findall(index)
    assert PLOTLY_ASSET in loads and "assets/style.css" in loads
    first_visit = gzipped(demo_files["index.html"]) + sum(gzipped(demo_files[name])
                                                           for name in loads)
    assert first_visit < FIRST_VISIT_GZIP_LIMIT, f"first visit: {first_visit:,} bytes gzipped"


def test_the_single_file_inlines_the_same_bundle(demo_files: Mapping[str, bytes]) -> None:
    document = assemble(demo_files)
    assert len(document) < SINGLE_FILE_LIMIT, f"the single file is {len(document):,} bytes"
    assert document.count(b"plotly.js (basic - minified) v" + PLOTLY_JS_VERSION.encode()) == 1
