"""Sane bounds instead of tracebacks: amounts above zero and at most ten million (a payment,
earned, refunded, a contract's total), dates within the platform's life and a few years ahead
(every date field, the report date from the flag, jssreport.yml, the profile and
SOURCE_DATE_EPOCH). Each out-of-range value is one clear error with file:line, contract,
field and the allowed range; exit status 1."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.input.fields import DATE_MAX, DATE_MIN, DATE_RANGE, MAX_AMOUNT
from jssreport.input.schema import json_schema

MakeProject = Callable[..., Path]
PROFILE = "name: Me\nas_of: 2021-06-30\n"
GOOD = ("  - {id: good, client: G, title: G, type: fixed, start: 2020-01-06, end: 2020-02-03,\n"
        "     payments: [{date: 2020-02-03, amount: 500}], feedback: {date: 2020-02-04, "
        "stars: 5}}\n")
RANGE = f"between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"


def invoke(*args: object, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit), result.output
    return result.exit_code, result.output


def contract(fields: str) -> str:
    return ("contracts:\n" + GOOD +
            "  - {id: bad, client: B, title: B, type: fixed, " + fields + "}\n")


BIG = "9" * 5000
AMOUNTS = {
    "huge int payment": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: "
                         f"{10**400}}}]", "payments[0].amount must be at most 10,000,000"),
    "5000 digits": (f"start: 2020-01-06, payments: [{{date: 2020-02-03, amount: {BIG}}}]",
                    "about 5000 digits"),
    "1e308": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: 1.0e+308}]",
              "payments[0].amount must be at most 10,000,000, got 1e+308"),
    "a cent too much": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: 10000000.01}]",
                        "must be at most 10,000,000, got 10000000.01"),
    "a total too large": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: 9000000}, "
                          "{date: 2020-02-04, amount: 9000000}]",
                          "payments add up to 18,000,000.00, more than the 10,000,000.00"),
    "sum to infinity": ("start: 2020-01-06, payments: [" + ", ".join(
        ["{date: 2020-02-03, amount: 1.7e+308}"] * 3) + "]", "must be at most 10,000,000"),
    "earned": ("start: 2020-01-06, earned: 1000000000000000000000000000000",
               "earned must be at most 10,000,000, got a number of about 31 digits"),
    "refunded": ("start: 2020-01-06, earned: 100, refunded: 1.0e+12",
                 "refunded must be at most 10,000,000"),
    "nan": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: .nan}]",
            "must be a finite number"),
    "inf": ("start: 2020-01-06, earned: .inf", "must be a finite number"),
    "negative zero": ("start: 2020-01-06, payments: [{date: 2020-02-03, amount: -0.0}]",
                      "must be greater than 0"),
}


@pytest.mark.parametrize("case", sorted(AMOUNTS))
def test_amounts_out_of_range(make_project: MakeProject, case: str) -> None:
    fields, message = AMOUNTS[case]
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/c.yml": contract(fields)})
    for command in ("check", "build", "score"):
        code, out = invoke(command, "--project", project)
        assert code == 1, (command, out)
        assert "Traceback" not in out
        assert "Error: content/contracts/c.yml:4: contract 'bad': " in out, out
        assert message in out, out


DATE_FIELDS = {
    "start": "start: {d}, end: 2020-02-03",
    "end": "start: 2000-01-01, end: {d}",
    "payments[0].date": "start: 2000-01-01, payments: [{{date: {d}, amount: 5}}]",
    "feedback.date": "start: 2000-01-01, end: 2000-01-02, feedback: {{date: {d}, stars: 5}}",
    "last_payment": "start: 2000-01-01, earned: 5, last_payment: {d}",
    "last_activity": "start: 2000-01-01, last_activity: {d}",
}
LEAP_AFTER = next(y for y in range(DATE_MAX.year + 1, DATE_MAX.year + 9) if calendar.isleap(y))
OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1999-12-31", "1970-01-01", "1996-02-29",
                f"{DATE_MAX.year + 1}-01-01", f"{LEAP_AFTER}-02-29"]


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_contract_dates_out_of_range(make_project: MakeProject, field: str, day: str) -> None:
    fields = DATE_FIELDS[field].format(d=day)
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/c.yml": contract(fields)})
    code, out = invoke("check", "--project", project)
    assert code == 1 and "Traceback" not in out
    assert (f"Error: content/contracts/c.yml:4: contract 'bad': {field} must be {RANGE}"
            in out), out
    assert f"got the date {day}" in out


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_other_dates_out_of_range(make_project: MakeProject, day: str) -> None:
    project = make_project({
        "jssreport.yml": f"as_of: {day}\n",
        "content/profile.yml": f"name: Me\nas_of: {day}\nsnapshots:\n  - {{date: {day}, "
                               "jss: 90}\n",
        "content/contracts/c.yml": "contracts:\n" + GOOD,
        "content/scenarios/s.yml": f"name: S\nactions:\n  - {{close: good, on: {day}}}\n"
                                   "  - {add: {id: new, client: N, title: N, type: fixed, "
                                   f"start: {day}}}}}\n",
    })
    code, out = invoke("check", "--project", project)
    assert code == 1 and "Traceback" not in out
    for where in ("jssreport.yml:1: as_of", "profile.yml:2: as_of",
                  "profile.yml:4: snapshots[0].date", "s.yml:3: scenario 'S': actions[0].on",
                  "s.yml:4: scenario 'S': actions[1].add.start"):
        assert f"{where} must be {RANGE}" in out, (where, out)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31",
                                 f"{DATE_MAX.year + 1}-01-01"])
@pytest.mark.parametrize("command", ["build", "score", "explain"])
def test_as_of_flag_out_of_range(make_project: MakeProject, command: str, day: str) -> None:
    project = make_project({"content/profile.yml": "name: Me\n",
                            "content/contracts/c.yml": "contracts:\n" + GOOD})
    code, out = invoke(command, "--project", project, "--as-of", day)
    assert code == 1 and "Traceback" not in out
    assert f"--as-of must be {RANGE}" in out and day in out, out


@pytest.mark.parametrize("epoch", ["253402300799", "-62135596800", "-1", "946684799",
                                   "99999999999999999999", "1e9", "abc"])
def test_source_date_epoch_out_of_range(make_project: MakeProject, epoch: str) -> None:
    project = make_project({"content/profile.yml": "name: Me\n",
                            "content/contracts/c.yml": "contracts:\n" + GOOD})
    code, out = invoke("score", "--project", project, env={"SOURCE_DATE_EPOCH": epoch})
    assert code == 1 and "Traceback" not in out
    assert "SOURCE_DATE_EPOCH" in out, out


def test_the_bounds_themselves_are_allowed(make_project: MakeProject) -> None:
    project = make_project({
        "content/profile.yml": f"name: Me\nas_of: {DATE_MAX.isoformat()}\n",
        "content/contracts/c.yml": "contracts:\n" + GOOD +
        "  - {id: edge, client: E, title: E, type: fixed, start: 2000-01-01, end: 2000-03-01,\n"
        "     payments: [{date: 2000-01-03, amount: 4000000}, {date: 2000-02-29, amount: "
        "6000000}], feedback: {date: 2000-03-02, stars: 4}}\n",
    })
    code, out = invoke("check", "--project", project)
    assert code == 0, out
    code, out = invoke("score", "--project", project, "--as-of", DATE_MIN.isoformat())
    assert code == 0, out


def test_the_schema_says_so() -> None:
    defs = json_schema()["$defs"]
    assert defs["date"]["formatMinimum"] == DATE_MIN.isoformat()
    assert defs["date"]["formatMaximum"] == DATE_MAX.isoformat()
    assert DATE_RANGE in defs["date"]["description"]
    contract_props = defs["contract"]["properties"] if "contract" in defs else None
    text = str(defs)
    assert text.count(f"'maximum': {MAX_AMOUNT}") >= 3  # amount, earned, refunded
    assert contract_props is None or "earned" in contract_props


CSV_HEADER = ("Date,Ref ID,Type,Description,Agency,Freelancer,Team,Account Name,PO,Amount,"
              "Amount in local currency,Currency,Balance\n")


@pytest.mark.parametrize(("day", "amount", "message"), [
    ("Jan 01, 0001", "250.00", "the date 'Jan 01, 0001' must be " + RANGE),
    ("Dec 31, 9999", "250.00", "the date 'Dec 31, 9999' must be " + RANGE),
    ("Dec 31, 1999", "250.00", "the date 'Dec 31, 1999' must be " + RANGE),
    ("Mar 09, 2022", "9" * 60 + ".00", "is more than 10,000,000"),
    ("Mar 09, 2022", "-10000000.01", "is more than 10,000,000"),
])
def test_import_refuses_what_check_would(make_project: MakeProject, day: str, amount: str,
                                         message: str) -> None:
    project = make_project({"content/profile.yml": "name: Me\n"})
    csv = project / "x.csv"
    csv.write_text(CSV_HEADER + f'"{day}",7002,Fixed Price,Invoice for Logo - Milestone 1,,Me,'
                   f"Acme,Acme,,{amount},{amount},USD,1.00\n", encoding="utf-8")
    code, out = invoke("import", "upwork-csv", "--project", project, csv)
    assert code == 1 and "Traceback" not in out
    assert "x.csv:2: " in out and message in out, out
