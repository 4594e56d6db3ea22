"""--redact: no name, text or exact amount of the records in any byte of the output, and the
same estimate as the normal build."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.model.types import Contract
from jssreport.report.redact import (
    assign_names,
    band_floor,
    format_band,
    letters,
    scrub_amounts,
)

MakeProject = Callable[..., Path]

# Every text field carries a marker of its own; "zzq" occurs nowhere in jssreport or plotly.js.
MARKERS = {
    "name": "ZZQNAME", "client": "ZZQCLIENT", "title": "ZZQTITLE", "id": "zzqid",
    "comment": "ZZQCOMMENT", "notes": "ZZQNOTES", "source": "ZZQSOURCE", "link": "zzqlink",
    "scenario": "ZZQSCENARIO", "added": "ZZQADDED", "page": "ZZQPAGE", "setting": "ZZQSETTING",
    "message": "ZZQSIGNATURE", "file": "zzqfile",
}
AMOUNTS = (1234.56, 98765.43)

FILES = {
    "jssreport.yml": """
        title: ZZQSETTING report
        base_url: https://zzqsetting.example/report/
    """,
    "content/profile.yml": """
        name: ZZQNAME Person
        currency: USD
        as_of: 2020-07-01
        snapshots:
          - {date: 2020-06-01, jss: 90, would_recommend: 100}
    """,
    "content/contracts/zzqfile-2020.yml": """
        contracts:
          - {id: zzqid-big, client: ZZQCLIENT Big Corp, title: ZZQTITLE Big job, type: hourly,
             start: 2019-09-02, end: 2020-01-15, source: ZZQSOURCE.csv,
             payments: [{date: 2019-10-01, amount: 98765.43}],
             feedback: {date: 2020-01-16, stars: 5, comment: "ZZQCOMMENT thanks"}}
          - {id: zzqid-mid, client: ZZQCLIENT Mid Ltd, title: ZZQTITLE Mid job, type: fixed,
             start: 2019-11-04, end: 2020-02-20, payments: [{date: 2020-02-20, amount: 1234.56}],
             feedback: {date: 2020-02-21, stars: 4.4, comment: ZZQCOMMENT so-so},
             notes: "ZZQNOTES see [zzqlink](https://zzqlink.example/x)"}
          - {id: zzqid-small, client: ZZQCLIENT Small, title: ZZQTITLE Small job, type: fixed,
             start: 2020-03-02, end: 2020-03-30, payments: [{date: 2020-03-30, amount: 200}],
             feedback: {date: 2020-03-31, stars: 5}}
          - {id: zzqid-quiet, client: ZZQCLIENT Quiet, title: ZZQTITLE Quiet job, type: fixed,
             start: 2020-01-06, payments: [{date: 2020-01-20, amount: 400}],
             last_activity: 2020-01-21, notes: ZZQNOTES quiet}
          - {id: zzqid-total, client: ZZQCLIENT Big Corp, title: ZZQTITLE Lump sum, type: fixed,
             start: 2020-04-06, end: 2020-05-04, earned: 600, last_payment: 2020-05-04}
    """,
    "content/scenarios/zzqfile-close.yml": """
        name: ZZQSCENARIO close the quiet one
        actions:
          - {close: zzqid-quiet, on: 2020-07-15, feedback: {stars: 5, comment: ZZQCOMMENT}}
          - {add: {id: zzqid-added, client: ZZQADDED client, title: ZZQADDED job, type: fixed,
                   start: 2020-08-01, end: 2020-09-01,
                   payments: [{date: 2020-09-01, amount: 500}], feedback: {stars: 5}}}
    """,
    "content/pages/zzqfile-page.md": """
        ---
        title: ZZQPAGE about
        ---
        ZZQPAGE text by ZZQNAME.
    """,
    "templates/messages/close.txt": """
        Hello {{ client }}, could we close "{{ title }}"? ZZQSIGNATURE
    """,
}


def money_pattern(values: set[float]) -> re.Pattern[bytes]:
    """Every way the amounts can be written, as whole numbers (not part of a longer one)."""
    forms = {f for v in values
             for f in (f"{v:.2f}", f"{v:,.2f}", f"{v:,.0f}", f"{v:.0f}", repr(v))}
    either = b"|".join(re.escape(f.encode()) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rb"(?<![\d.,])(?:" + either + rb")(?![\d]|[.,]\d)")


def exact_amounts(report: dict) -> set[float]:
    """Every amount of the unredacted report that would identify: cents, or $1,000 and more."""
    found = {float(c["earned"]) for c in report["contracts"]}
    e = report["earnings"]
    found |= {float(e["last_12_months"]), float(e["total"])}
    for month in e["by_month"]:
        found |= {float(v) for v in month["clients"].values()} | {float(month["total"])}
    return {v for v in found if v >= 1000 or v != int(v)}


def every_file(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leaks(output: dict[str, bytes], amounts: set[float]) -> list[str]:
    found = []
    pattern = money_pattern(amounts)
    for name, data in output.items():
        lower = data.lower()
        for word in MARKERS.values():
            if word.lower() in name.lower() or word.lower().encode() in lower:
                found.append(f"{name}: {word}")
        found += [f"{name}: {m.group(0).decode()!r}" for m in pattern.finditer(data)]
    return found


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The marker project built normally, then redacted over the same site (so the redacted
    build reads an unredacted previous report), and redacted as a single file."""
    import textwrap

    project = tmp_path_factory.mktemp("redact") / "project"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    run("build", "--project", project, "-o", project / "normal")
    run("build", "--project", project)
    normal_site = every_file(project / "site")
    run("build", "--project", project, "--redact")
    run("build", "--project", project, "--redact", "--single-file", "-o",
        project / "shared.html")
    config = project / "jssreport.yml"
    config.write_text(config.read_text(encoding="utf-8") + "redact: true\n", encoding="utf-8")
    run("build", "--project", project, "-o", project / "by-setting")
    assert every_file(project / "normal") == normal_site
    return {"project": project, "normal": project / "normal", "redacted": project / "site",
            "single": project / "shared.html", "setting": project / "by-setting"}


def test_markers_are_in_the_normal_build(builds: dict[str, Path]) -> None:
    """The scan finds what it looks for: the normal build shows the names and amounts."""
    report = json.loads((builds["normal"] / "report.json").read_text(encoding="utf-8"))
    amounts = exact_amounts(report)
    assert {1234.56, 98765.43} <= amounts
    found = "\n".join(leaks(every_file(builds["normal"]), amounts))
    for field in ("name", "client", "title", "id", "comment", "notes", "link", "scenario",
                  "page", "setting"):
        assert MARKERS[field] in found, field
    for value in AMOUNTS:
        assert f"'{value:,.2f}'" in found


@pytest.mark.parametrize("which", ["redacted", "single", "setting"])
def test_no_marker_and_no_exact_amount_in_any_output_file(builds: dict[str, Path],
                                                          which: str) -> None:
    report = json.loads((builds["normal"] / "report.json").read_text(encoding="utf-8"))
    assert leaks(every_file(builds[which]), exact_amounts(report)) == []


def test_redacted_estimate_is_the_normal_one(builds: dict[str, Path]) -> None:
    normal = json.loads((builds["normal"] / "report.json").read_text(encoding="utf-8"))
    redacted = json.loads((builds["redacted"] / "report.json").read_text(encoding="utf-8"))
    assert redacted["redacted"] is True and normal["redacted"] is False
    for key in ("jss", "window", "windows", "score", "would_recommend", "eligible_outcomes",
                "clients", "history", "snapshots", "outcome_mix", "rules"):
        assert redacted[key] == normal[key], key
    assert normal["jss"] is not None

    def model(c: dict) -> tuple:
        return (c["outcome"], c["credit"], c["weight"], c["contribution"], c["windows"])

    assert [model(c) for c in redacted["contracts"]] == [model(c) for c in normal["contracts"]]
    assert [r["effect"] for r in redacted["recommendations"]] == \
        [r["effect"] for r in normal["recommendations"]]


def test_redacted_names_amounts_and_pages(builds: dict[str, Path]) -> None:
    redacted = json.loads((builds["redacted"] / "report.json").read_text(encoding="utf-8"))
    rows = [(c["id"], c["title"], c["client"], c["earned"]) for c in redacted["contracts"]]
    assert rows == [
        ("contract-1", "Contract 1", "Client A", "over $1,000"),
        ("contract-2", "Contract 2", "Client B", "over $1,000"),
        ("contract-3", "Contract 3", "Client C", "$251–1,000"),
        ("contract-4", "Contract 4", "Client D", "$1–250"),
        ("contract-5", "Contract 5", "Client A", "$251–1,000"),
    ]
    assert redacted["freelancer"] == "Freelancer"
    assert redacted["title"] == "Job Success Score report"
    earnings = redacted["earnings"]
    assert (earnings["last_12_months"], earnings["total"]) == ("over $1,000", "over $1,000")
    assert earnings["by_month_unit"] == "percent of all earnings"
    assert sum(m["total"] for m in earnings["by_month"]) == pytest.approx(100, abs=0.3)
    assert redacted["since"]["note"] == "The previous report was built without --redact, " \
        "so its contracts are not compared."
    assert sorted(p.name for p in builds["redacted"].glob("*.html")) == \
        sorted(p.name for p in builds["normal"].glob("*.html") if "zzq" not in p.name)
    contracts = (builds["redacted"] / "contracts.html").read_text(encoding="utf-8")
    assert "Client A" in contracts and "over $1,000" in contracts
    assert "% of all earnings" in contracts  # the earnings chart draws shares


def test_letters_and_names() -> None:
    assert [letters(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]

    def c(cid: str, client: str, start: str) -> Contract:
        return Contract(cid, client, "t", "fixed", date.fromisoformat(start))

    names = assign_names([c("b", "Zed", "2020-01-01"), c("a", "Amy", "2020-01-01"),
                          c("x", "Old", "2019-05-01"), c("y", "Zed", "2019-06-01")])
    assert dict(names.clients) == {"Old": "Client A", "Zed": "Client B", "Amy": "Client C"}
    assert dict(names.contracts) == {"x": 1, "y": 2, "a": 3, "b": 4}


def test_bands() -> None:
    cases = [(0, "$0"), (0.01, "$1–250"), (250, "$1–250"), (250.01, "$251–1,000"),
             (1000, "$251–1,000"), (1000.01, "over $1,000"), (98765.43, "over $1,000")]
    assert [(a, format_band(a)) for a, _ in cases] == cases
    assert format_band(1234.56, "CHF") == "over 1,000 CHF"
    assert format_band(12, "EUR") == "€1–250"
    assert [band_floor(a) for a in (0, 3, 250, 251, 999, 1000.5)] == [0, 1, 1, 251, 251, 1001]
    assert all(format_band(band_floor(a)) == format_band(a) for a, _ in cases)


def test_scrub_amounts_keeps_rule_constants() -> None:
    text = ("Dormant but paid ($1,234.56, rated well); $98765 in total; a $0 contract; "
            "$1,000 or more; about $5k-$30k; $251–1,000 stays")
    assert scrub_amounts(text, "USD") == (
        "Dormant but paid (over $1,000, rated well); over $1,000 in total; a $0 contract; "
        "$1,000 or more; about $5k-$30k; $251–1,000 stays")
    assert scrub_amounts("paid 1,234.56 CHF and 80 CHF", "CHF") == \
        "paid over 1,000 CHF and 1–250 CHF"
