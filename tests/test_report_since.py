"""What changed since the last build: the pure comparison, and builds that read the previous
report.json (of the site they replace, or --since FILE)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.report.since import compute_since

MakeProject = Callable[..., Path]

PROFILE = """
    name: Test Person
    as_of: 2020-07-01
"""
CONTRACTS = """
    contracts:
      - {id: one, client: Acme, title: First job, type: fixed, start: 2020-01-06,
         end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
         feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Birch, title: Second job, type: hourly, start: 2020-02-03,
         end: 2020-03-01, payments: [{date: 2020-03-01, amount: 1200}],
         feedback: {date: 2020-03-02, stars: 5}}
      - {id: three, client: Cobalt, title: Third job, type: fixed, start: 2020-03-02,
         end: 2020-04-01, payments: [{date: 2020-04-01, amount: 200}],
         feedback: {date: 2020-04-02, stars: 5}}
      - {id: four, client: Dune, title: Open job, type: fixed, start: 2020-04-06,
         payments: [{date: 2020-04-20, amount: 100}]}
"""
# "four" ends badly, with a second payment: it enters the windows and pulls the score down.
ENDED = """{id: four, client: Dune, title: Open job, type: fixed, start: 2020-04-06,
         end: 2020-06-10, payments: [{date: 2020-04-20, amount: 100},
         {date: 2020-06-10, amount: 150}], feedback: {date: 2020-06-11, stars: 2}}"""


def run(*args: object, code: int = 0) -> Any:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def report_of(site: Path) -> dict[str, Any]:
    return json.loads((site / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project({"content/profile.yml": PROFILE,
                         "content/contracts/2020.yml": CONTRACTS})


def end_four(project: Path) -> None:
    path = project / "content/contracts/2020.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- {id: four")
    path.write_text(text[:start] + "- " + ENDED + "\n", encoding="utf-8")


def test_first_build_has_no_since_and_a_rebuild_of_the_same_input_is_identical(
        project: Path) -> None:
    run("build", "--project", project)
    assert report_of(project / "site")["since"] is None
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Since the last build" not in index
    first = snapshot(project / "site")
    run("build", "--project", project)
    assert snapshot(project / "site") == first  # same input and date, same bytes


def test_a_later_build_compares_with_the_last_one(project: Path) -> None:
    run("build", "--project", project, "--as-of", "2020-07-01")
    run("build", "--project", project, "--as-of", "2020-07-02")
    since = report_of(project / "site")["since"]
    assert since["previous_as_of"] == "2020-07-01"
    assert since["headline"].startswith("The estimate is still 100%")
    second = snapshot(project / "site")
    for _ in range(2):  # rebuilding the same input for the same date changes no byte
        run("build", "--project", project, "--as-of", "2020-07-02")
        assert snapshot(project / "site") == second
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Since the last build on 2020-07-01" in index


def test_a_change_shows_what_moved_and_why(project: Path) -> None:
    run("build", "--project", project)
    before = report_of(project / "site")
    end_four(project)
    run("build", "--project", project)
    after = report_of(project / "site")
    since = after["since"]
    assert since["jss"] == {"before": before["jss"], "after": after["jss"]}
    assert after["jss"] < before["jss"]
    assert since["headline"] == f"The estimate went from {before['jss']}% to {after['jss']}% " \
        f"({after['jss'] - before['jss']:+d} points)."
    assert since["windows"]["24m"] == {"before": before["windows"]["24m"],
                                       "after": after["windows"]["24m"]}
    assert since["entered"] == [{"contract": "four", "windows": ["24m", "12m", "6m", "3m"],
                                 "detail": "the 24-, 12-, 6- and 3-month windows"}]
    assert since["payments"] == [{"contract": "four",
                                  "detail": "1 new payment, the last on 2020-06-10 (+$150)"}]
    assert since["feedback"] == [{"contract": "four", "detail": "2.0 stars"}]
    assert since["outcome"] == [{"contract": "four", "detail": "Not counted yet → Negative"}]
    assert since["contribution"][0]["contract"] == "four"  # the largest change comes first
    assert since["contribution"][0]["change"] < 0
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Why the score moved" in index and "Open job (Dune)" in index


def test_since_file_option(project: Path, tmp_path: Path) -> None:
    run("build", "--project", project, "-o", tmp_path / "old")
    end_four(project)
    run("build", "--project", project, "--since", tmp_path / "old/report.json",
        "-o", tmp_path / "new")
    assert report_of(tmp_path / "new")["since"]["feedback"] != []
    one = tmp_path / "one.html"
    run("build", "--project", project, "--single-file", "-o", one,
        "--since", tmp_path / "old/report.json")
    assert "Since the last build on 2020-07-01" in one.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{", "cannot be read as JSON (Expecting property name enclosed in double quotes: "
          "line 1 column 2 (char 1))"),
    ("[]", "not a jssreport report.json (not a JSON object)"),
    ('{"as_of": "2020-07-01", "windows": {}}', "not a jssreport report.json (no 'contracts')"),
    ('{"as_of": "July", "windows": {}, "contracts": []}',
     "not a jssreport report.json ('as_of' is not a date)"),
])
def test_bad_since_file_is_an_error(project: Path, tmp_path: Path, content: str | None,
                                    message: str) -> None:
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("build", "--project", project, "--since", path, code=1)
    assert result.stderr == f"Error: --since {path}: {message}\n"
    assert not (project / "site").exists()


def test_an_unreadable_previous_site_report_is_ignored(project: Path) -> None:
    run("build", "--project", project)
    (project / "site/report.json").write_text("garbage", encoding="utf-8")
    run("build", "--project", project)
    assert report_of(project / "site")["since"] is None


# --- the pure comparison ------------------------------------------------------------------


def entry(cid: str, **fields: Any) -> dict[str, Any]:
    base = {"id": cid, "title": f"Job {cid}", "client": f"Client {cid}", "outcome": "success",
            "contribution": 1.0, "windows": ["24m", "12m"], "payments": 1, "earned": 100.0,
            "last_payment": "2020-01-01", "stars": 5.0}
    return {**base, **fields}


def report(contracts: list[dict[str, Any]], jss: int | None = 90, **more: Any) -> dict[str, Any]:
    windows = {"24m": 90.0, "12m": 90.0, "6m": None, "3m": None, "trending": None}
    return {"as_of": "2020-07-01", "jss": jss, "window": "24m", "windows": windows,
            "contracts": contracts, "currency": "USD", "redacted": False, **more}


def test_compute_since_nothing_changed() -> None:
    old = report([entry("a"), entry("b")])
    since = compute_since(old, copy.deepcopy(old))
    assert not since.changed and since.changes == ()
    assert since.to_json()["left"] == []


def test_compute_since_windows_contracts_and_order() -> None:
    old = report([entry("a"), entry("b", windows=["24m"]), entry("gone"), entry("d")])
    new = report([entry("a", windows=["24m"], contribution=-2.0),
                  entry("b", windows=["24m"], payments=3, earned=350.0,
                        last_payment="2020-06-01", contribution=1.5),
                  entry("c", stars=None), entry("d", stars=4.0)], jss=None)
    new["windows"]["24m"] = 80.0
    since = compute_since(old, new)
    data = since.to_json()
    assert since.headline == "The estimate went from 90% to —."
    assert data["windows"]["24m"] == {"before": 90.0, "after": 80.0}
    assert [w.window for w in since.changed_windows] == ["24m"]
    assert data["left"] == [{"contract": "a", "windows": ["12m"],
                             "detail": "the 12-month window"}]
    assert data["new"] == [{"contract": "c", "detail": "new contract"}]
    assert data["gone"] == [{"contract": "gone", "detail": "no longer in the records"}]
    assert data["feedback"] == [{"contract": "d", "detail": "5.0 → 4.0 stars"}]
    assert data["payments"] == [{"contract": "b", "detail":
                                 "2 new payments, the last on 2020-06-01 (+$250)"}]
    assert [(c["contract"], c["change"]) for c in data["contribution"]] == \
        [("a", -3.0), ("c", 1.0), ("gone", -1.0), ("b", 0.5)]
    assert [heading for heading, _ in since.groups][:2] == \
        ["Why the score moved: the largest changes in contribution", "Left a window"]


def test_compute_since_redacted_reports_show_no_amount_and_never_mix() -> None:
    old = report([entry("contract-1", earned="$1–250")], redacted=True)
    new = report([entry("contract-1", earned="$251–1,000", payments=2)], redacted=True)
    assert compute_since(old, new).to_json()["payments"] == \
        [{"contract": "contract-1", "detail": "1 new payment, the last on 2020-01-01"}]
    plain = report([entry("acme-logo")])
    mixed = compute_since(plain, new)
    assert mixed.changes == ()
    assert mixed.note == ("The previous report was built without --redact, so its contracts "
                          "are not compared.")
    assert compute_since(new, plain).note.startswith("The previous report was built with ")


# --- reading the previous report.json with the new one -----------------------------------


def test_the_previous_report_decodes_only_the_contracts_that_differ() -> None:
    from jssreport.jsonformat import json_bytes
    from jssreport.report.since import READ, previous_report, since_previous

    old = report([entry("a"), entry("b", stars=4.0), entry("c"), entry("gone")],
                 since={"previous_as_of": "2020-06-01"})
    new = report([entry("a"), entry("b", stars=5.0), entry("c", payments=2), entry("new")])
    text = json_bytes(old)
    read = previous_report(text, new)
    assert read is not None
    whole = json.loads(text)
    assert read == {k: v for k, v in whole.items() if k in (*READ, "contracts")}
    # the unchanged contract is the current entry itself; the others are decoded
    assert read["contracts"][0] is new["contracts"][0]
    assert read["contracts"][1] is not new["contracts"][1]
    assert compute_since(read, new) == compute_since(whole, new)
    assert since_previous(date(2020, 7, 1), read, new) == \
        since_previous(date(2020, 7, 1), whole, new)


@pytest.mark.parametrize("text", [
    b"garbage", b"[]", b'{"as_of": "2020-07-01"}',
    # laid out as jssreport writes it, but a contract without an id
    b'{\n "as_of": "2020-07-01",\n "contracts": [\n  {"id":"a"},\n  {"x":1}\n ],\n'
    b' "windows": {}\n}\n',
    # a broken line
    b'{\n "as_of": "2020-07-01",\n "contracts": [\n  {"id":"a"},\n  {"id":\n ],\n'
    b' "windows": {}\n}\n',
    b"\xff\xfe",
    # laid out as jssreport writes it, with a broken value the comparison reads
    b'{\n "as_of": "2020-07-01",\n "contracts": [\n  {"id":"a"}\n ],\n "jss": 9x,\n'
    b' "windows": {}\n}\n',
])
def test_a_previous_report_that_is_not_one_is_left_out(text: bytes) -> None:
    from jssreport.report.since import previous_report

    assert previous_report(text, report([entry("a")])) is None


@pytest.mark.parametrize("indent", [None, 2])
def test_a_previous_report_laid_out_otherwise_is_decoded_whole(indent: int | None) -> None:
    from jssreport.report.since import previous_report

    old = report([entry("a"), entry("b")])
    text = json.dumps(old, indent=indent).encode()
    assert previous_report(text, report([entry("a")])) == old
    assert previous_report(json.dumps(report([])).encode(), report([entry("a")])) == report([])
