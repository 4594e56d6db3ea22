"""The input stage: YAML files -> validated records, every problem reported at once."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jssreport.errors import InputError
from jssreport.input import yamlload
from jssreport.input.records import load_records, parse_contract_file
from jssreport.model.types import AddAction, CloseAction, Feedback, Payment

MakeProject = Callable[..., Path]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROFILE = "name: Bianca B.\n"
GOOD = """\
contracts:
  - id: acme-logo
    client: Acme Studio
    title: Logo redesign
    type: fixed
    start: 2019-11-02
    end: 2019-12-15
    payments:
      - {date: 2019-12-15, amount: 850.00}
    feedback: {date: 2019-12-16, stars: 5.0}
  - {id: beta-web, client: Beta, title: Website, type: hourly, start: 2020-01-06}
"""


def problems(project: Path) -> list[str]:
    """The error lines ``load_records`` reports, in order."""
    with pytest.raises(InputError) as info:
        load_records(project)
    return str(info.value).splitlines()


def contracts_project(make_project: MakeProject, text: str, **more: str) -> Path:
    return make_project({"content/profile.yml": PROFILE, "content/contracts/c.yml": text, **more})


def one_contract(make_project: MakeProject, lines: str) -> list[str]:
    """Problems of a file whose only contract is the given fields (indented by the helper)."""
    body = "".join(f"    {line}\n" for line in lines.strip("\n").splitlines())
    text = "contracts:\n  - id: acme-logo\n" + body
    return problems(contracts_project(make_project, text))


BASE = "client: Acme\ntitle: Logo\ntype: fixed\nstart: 2020-01-06\n"
CLOSED = BASE + "end: 2020-02-01\n"

# -- valid input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "example", sorted(p.name for p in (FIXTURES / "examples").iterdir() if (p / "content").is_dir())
)
def test_worked_examples_load_without_problems(example: str) -> None:
    records = load_records(FIXTURES / "examples" / example)
    assert records.contracts
    assert records.profile.name


def test_every_field_of_a_contract_is_read(make_project: MakeProject) -> None:
    project = contracts_project(
        make_project,
        """\
        contracts:
          - id: acme-logo
            client: Acme Studio
            title: Logo redesign
            type: fixed
            start: 2019-11-02
            end: '2019-12-15'
            paused: false
            payments:
              - {date: 2019-12-20, amount: 50}
              - {date: 2019-12-15, amount: 850.00}
            refunded: 25.5
            feedback:
              date: 2019-12-16
              stars: 4.6
              scores: {skills: 4, quality: 5, availability: 5, deadlines: 5,
                       communication: 5, cooperation: 5}
              recommend: 9
              comment: Great work
            ended_by: client
            end_reason: completed
            dispute: false
            client_flagged: true
            removed: false
            last_activity: 2020-01-10
            notes: free *Markdown*
            source: "upwork-csv:Acme Studio/Logo redesign"
        """,
    )
    (c,) = load_records(project).contracts
    assert c.end == dt.date(2019, 12, 15)
    assert c.payments == (
        Payment(dt.date(2019, 12, 15), 850.0),
        Payment(dt.date(2019, 12, 20), 50.0),
    )
    assert c.refunded == 25.5
    assert c.feedback == Feedback(
        date=dt.date(2019, 12, 16),
        stars=4.6,
        scores=(
            ("availability", 5.0),
            ("communication", 5.0),
            ("cooperation", 5.0),
            ("deadlines", 5.0),
            ("quality", 5.0),
            ("skills", 4.0),
        ),
        recommend=9,
        comment="Great work",
    )
    assert (c.ended_by, c.end_reason, c.client_flagged, c.dispute) == (
        "client",
        "completed",
        True,
        False,
    )
    assert c.last_activity == dt.date(2020, 1, 10)
    assert c.notes == "free *Markdown*"
    assert c.source == "upwork-csv:Acme Studio/Logo redesign"


def test_earned_without_itemised_payments(make_project: MakeProject) -> None:
    text = "contracts:\n  - {id: a, client: A, title: T, type: hourly, start: 2020-01-01,\n"
    text += "     end: 2020-03-01, earned: 1200, last_payment: 2020-02-28, refunded: 200}\n"
    (c,) = load_records(contracts_project(make_project, text)).contracts
    assert (c.earned, c.last_payment, c.total_earned) == (1200.0, dt.date(2020, 2, 28), 1000.0)


def test_profile_fields_and_defaults(make_project: MakeProject) -> None:
    project = make_project(
        {
            "content/profile.yml": """\
            name: Bianca B.
            currency: EUR
            rules: upwork-2020-03
            as_of: 2020-07-01
            snapshots:
              - {date: 2020-06-14, jss: 82, would_recommend: 60}
              - {date: 2020-05-01, jss: 85}
            """
        }
    )
    profile = load_records(project).profile
    assert (profile.name, profile.currency, profile.rules) == ("Bianca B.", "EUR", "upwork-2020-03")
    assert profile.as_of == dt.date(2020, 7, 1)
    assert [(s.date.isoformat(), s.jss, s.would_recommend) for s in profile.snapshots] == [
        ("2020-05-01", 85, None),
        ("2020-06-14", 82, 60),
    ]
    bare = load_records(make_project({"content/profile.yml": PROFILE}, root=project.parent / "b"))
    assert (bare.profile.currency, bare.profile.rules, bare.profile.as_of) == ("USD", "auto", None)
    assert (bare.contracts, bare.scenarios, bare.pages) == ((), (), ())


def test_contracts_from_every_file_sorted_by_start_then_id(make_project: MakeProject) -> None:
    project = contracts_project(
        make_project,
        GOOD,
        **{
            "content/contracts/2018.yml": """\
            contracts:
              - {id: zeta, client: Z, title: T, type: fixed, start: 2020-01-06}
              - {id: old, client: O, title: T, type: fixed, start: 2018-05-01}
            """,
            "content/contracts/empty.yml": "# nothing yet\n",
            "content/contracts/none.yml": "contracts:\n",
        },
    )
    records = load_records(project)
    assert [c.id for c in records.contracts] == ["old", "acme-logo", "beta-web", "zeta"]
    assert dict(records.locations) == {
        "zeta": ("content/contracts/2018.yml", 2),
        "old": ("content/contracts/2018.yml", 3),
        "acme-logo": ("content/contracts/c.yml", 2),
        "beta-web": ("content/contracts/c.yml", 11),
    }


def test_empty_optional_fields_mean_absent(make_project: MakeProject) -> None:
    text = "contracts:\n  - id: a\n    client: A\n    title: T\n    type: fixed\n"
    text += "    start: 2020-01-01\n    end:\n    feedback:\n    notes:\n"
    (c,) = load_records(contracts_project(make_project, text)).contracts
    assert (c.end, c.feedback, c.notes) == (None, None, None)


# -- bad values, wrong types, unknown fields ----------------------------------------------------

PREFIX = "content/contracts/c.yml"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            CLOSED + "feedback: {stars: 7}",
            "8: contract 'acme-logo': feedback.stars must be between 1 and 5, got 7",
        ),
        (
            CLOSED + "feedback:\n  scores: {skills: 0}",
            "9: contract 'acme-logo': feedback.scores.skills must be between 1 and 5, got 0",
        ),
        (
            CLOSED + "feedback: {recommend: 11}",
            "8: contract 'acme-logo': feedback.recommend must be between 0 and 10, got 11",
        ),
        (
            CLOSED + "feedback: {recommend: 8.5}",
            "8: contract 'acme-logo': feedback.recommend must be a whole number, got 8.5",
        ),
        (
            BASE + "payments: [{date: 2020-02-01, amount: 0}]",
            "7: contract 'acme-logo': payments[0].amount must be greater than 0, got 0",
        ),
        (
            BASE
            + "payments:\n  - {date: 2020-02-01, amount: 10}\n  - {date: 2020-02-01, amount: -5}",
            "9: contract 'acme-logo': payments[1].amount must be greater than 0, got -5",
        ),
        (
            BASE + "payments: [{date: 2020-01-01, amount: 10}]",
            "7: contract 'acme-logo': payments[0].date 2020-01-01 is before start 2020-01-06",
        ),
        (
            BASE + "payments: [{date: 2020-02-01, amount: .nan}]",
            "7: contract 'acme-logo': payments[0].amount must be a finite number, got nan",
        ),
        (
            BASE + "end: 2020-01-01",
            "7: contract 'acme-logo': end 2020-01-01 is before start 2020-01-06",
        ),
        (
            BASE + "type: fixd",
            "7: duplicate key 'type' (first at line 5)",
        ),
        (
            "client: Acme\ntitle: Logo\ntype: fixd\nstart: 2020-01-06",
            "5: contract 'acme-logo': type must be one of fixed, hourly, got 'fixd'"
            " (did you mean 'fixed'?)",
        ),
        (
            BASE + "ended_by: me",
            "7: contract 'acme-logo': ended_by must be one of client, freelancer, platform,"
            " got 'me'",
        ),
        (
            BASE + "end_reason: done",
            "7: contract 'acme-logo': end_reason must be one of completed, unresponsive,"
            " cancelled, dispute, refunded, other, got 'done'",
        ),
        (
            BASE + "refunded: -1",
            "7: contract 'acme-logo': refunded must be 0 or more, got -1",
        ),
        (
            CLOSED + "earned: 100\nrefunded: 150",
            "9: contract 'acme-logo': refunded 150.00 is more than the 100.00 earned",
        ),
        (
            BASE + "earned: 100\npayments: [{date: 2020-02-01, amount: 100}]",
            "7: contract 'acme-logo': earned cannot be given together with payments"
            " (give one or the other)",
        ),
        (
            BASE + "last_payment: 2020-02-01",
            "7: contract 'acme-logo': last_payment is only allowed with earned",
        ),
        (
            BASE + "feedback: {stars: 5}",
            "7: contract 'acme-logo': feedback is given but the contract is open"
            " (it has no end date)",
        ),
        (
            BASE + "last_activity: 2019-12-31",
            "7: contract 'acme-logo': last_activity 2019-12-31 is before start 2020-01-06",
        ),
    ],
)
def test_bad_values(make_project: MakeProject, fields: str, expected: str) -> None:
    assert one_contract(make_project, fields) == [f"{PREFIX}:{expected}"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            "client: 123\ntitle: Logo\ntype: fixed\nstart: 2020-01-06",
            "3: contract 'acme-logo': client must be a string, got 123"
            " (put it in quotes to use it as text)",
        ),
        (
            "client: Acme\ntitle: [a, b]\ntype: fixed\nstart: 2020-01-06",
            "4: contract 'acme-logo': title must be a string, got a list",
        ),
        (
            "client: Acme\ntitle: '  '\ntype: fixed\nstart: 2020-01-06",
            "4: contract 'acme-logo': title must not be empty",
        ),
        (
            "client: Acme\ntitle: Logo\ntype: fixed\nstart: 2020/01/06",
            "6: contract 'acme-logo': start must be an ISO date (YYYY-MM-DD), got '2020/01/06'",
        ),
        (
            "client: Acme\ntitle: Logo\ntype: fixed\nstart: 2020-02-30",
            "6: contract 'acme-logo': start must be an ISO date (YYYY-MM-DD), got '2020-02-30'",
        ),
        (
            "client: Acme\ntitle: Logo\ntype: fixed\nstart: 2020-01-06 10:00:00",
            "6: contract 'acme-logo': start must be an ISO date (YYYY-MM-DD),"
            " got the date and time 2020-01-06 10:00:00",
        ),
        (
            "client: Acme\ntitle: Logo\ntype: fixed\nstart: 20200106",
            "6: contract 'acme-logo': start must be an ISO date (YYYY-MM-DD), got 20200106",
        ),
        (
            BASE + "paused: maybe",
            "7: contract 'acme-logo': paused must be true or false, got 'maybe'",
        ),
        (
            BASE + "removed: 1",
            "7: contract 'acme-logo': removed must be true or false, got 1",
        ),
        (
            BASE + "earned: '100'",
            "7: contract 'acme-logo': earned must be a number, got '100'",
        ),
        (
            BASE + "earned: true",
            "7: contract 'acme-logo': earned must be a number, got true",
        ),
        (
            BASE + "payments: {date: 2020-02-01, amount: 5}",
            "7: contract 'acme-logo': payments must be a list, got a mapping",
        ),
        (
            BASE + "payments: [2020-02-01]",
            "7: contract 'acme-logo': payments[0] must be a mapping of fields,"
            " got the date 2020-02-01",
        ),
        (
            CLOSED + "feedback: 5",
            "8: contract 'acme-logo': feedback must be a mapping of fields, got 5",
        ),
        (
            BASE + "notes: [a]",
            "7: contract 'acme-logo': notes must be a string, got a list",
        ),
    ],
)
def test_wrong_types(make_project: MakeProject, fields: str, expected: str) -> None:
    assert one_contract(make_project, fields) == [f"{PREFIX}:{expected}"]


def test_unknown_fields_are_errors_with_a_hint(make_project: MakeProject) -> None:
    fields = CLOSED + (
        "feedbak: {stars: 5}\nfeedback: {stras: 5, scores: {qualty: 5}}\n"
        "payments: [{date: 2020-02-01, amount: 5, currency: USD}]\nxyzzy: 1"
    )
    assert one_contract(make_project, fields) == [
        f"{PREFIX}:8: contract 'acme-logo': feedbak is not a known field"
        " (did you mean 'feedback'?)",
        f"{PREFIX}:9: contract 'acme-logo': feedback.scores.qualty is not a known field"
        " (did you mean 'quality'?)",
        f"{PREFIX}:9: contract 'acme-logo': feedback.stras is not a known field"
        " (did you mean 'stars'?)",
        f"{PREFIX}:10: contract 'acme-logo': payments[0].currency is not a known field",
        f"{PREFIX}:11: contract 'acme-logo': xyzzy is not a known field",
    ]


def test_missing_required_fields_and_a_bad_id(make_project: MakeProject) -> None:
    text = "contracts:\n  - {id: Acme Logo, type: hourly}\n  - {client: A}\n  - just text\n"
    text += "  - id: ''\n    title:\n"
    assert problems(contracts_project(make_project, text)) == [
        f"{PREFIX}:2: contract 'Acme Logo': client is required",
        f"{PREFIX}:2: contract 'Acme Logo': id must be lowercase letters and digits, words joined"
        " by '-' (like 'acme-logo'), got 'Acme Logo'",
        f"{PREFIX}:2: contract 'Acme Logo': start is required",
        f"{PREFIX}:2: contract 'Acme Logo': title is required",
        f"{PREFIX}:3: contracts[1]: id is required",
        f"{PREFIX}:3: contracts[1]: start is required",
        f"{PREFIX}:3: contracts[1]: title is required",
        f"{PREFIX}:3: contracts[1]: type is required",
        f"{PREFIX}:4: contracts[2] must be a mapping of fields, got 'just text'",
        f"{PREFIX}:5: contracts[3]: client is required",
        f"{PREFIX}:5: contracts[3]: id must not be empty",
        f"{PREFIX}:5: contracts[3]: start is required",
        f"{PREFIX}:5: contracts[3]: type is required",
        f"{PREFIX}:6: contracts[3]: title must not be empty",
    ]


def test_file_shape_problems(make_project: MakeProject) -> None:
    project = make_project(
        {
            "content/profile.yml": "- name: Bianca\n",
            "content/contracts/a.yml": "- {id: a}\n",
            "content/contracts/b.yml": "contract:\n  - {id: a}\n",
            "content/contracts/c.yml": "contracts: {id: a}\n",
            "content/contracts/d.yaml": "contracts: []\n",
        }
    )
    assert problems(project) == [
        "content/contracts/a.yml:1: the file is a bare list of contracts: start it with a line "
        "'contracts:' and indent the list under it",
        "content/contracts/b.yml:1: contract is not a known field (did you mean 'contracts'?)",
        "content/contracts/b.yml:1: contracts is required (the list of contract records)",
        "content/contracts/c.yml:1: contracts must be a list, got a mapping",
        "content/contracts/d.yaml: record files must end in .yml; rename it to d.yml",
        "content/profile.yml:1: the file must be a mapping of fields, got a list",
    ]


def test_profile_problems(make_project: MakeProject) -> None:
    project = make_project(
        {
            "content/profile.yml": """\
            currency: usd
            rules: upwork-2021
            as_of: 2020-13-01
            snapshots:
              - {date: 2020-06-14, jss: 182, would_recomend: 60}
              - {jss: 80.5}
            """
        }
    )
    assert problems(project) == [
        "content/profile.yml:1: currency must be a three-letter ISO 4217 code in capitals like"
        " USD, got 'usd'",
        "content/profile.yml:1: name is required",
        "content/profile.yml:2: rules must be one of upwork-2015, upwork-2020-03, upwork-2020-11,"
        " upwork-2023-12, upwork-2025, auto, got 'upwork-2021' (did you mean 'upwork-2025'?)",
        "content/profile.yml:3: as_of must be an ISO date (YYYY-MM-DD), got '2020-13-01'",
        "content/profile.yml:5: snapshots[0].jss must be between 0 and 100, got 182",
        "content/profile.yml:5: snapshots[0].would_recomend is not a known field"
        " (did you mean 'would_recommend'?)",
        "content/profile.yml:6: snapshots[1].date is required",
        "content/profile.yml:6: snapshots[1].jss must be a whole number, got 80.5",
    ]


def test_duplicate_ids_across_files_name_both_places(make_project: MakeProject) -> None:
    project = contracts_project(
        make_project,
        GOOD,
        **{"content/contracts/d.yml": "contracts:\n  - {id: acme-logo, client: X, title: Y,"
           " type: fixed, start: 2020-01-01}\n"},
    )  # fmt: skip
    assert problems(project) == [
        "content/contracts/d.yml:2: contract 'acme-logo': id 'acme-logo' is already used at"
        " content/contracts/c.yml:2"
    ]


def test_missing_profile_and_missing_project(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project({"content/contracts/c.yml": GOOD})
    assert problems(project) == [
        "content/profile.yml: missing; run 'jssreport init' to start a project"
    ]
    missing = tmp_path / "nowhere"
    assert problems(missing) == [f"project folder '{missing}' does not exist"]


def test_every_problem_in_every_file_at_once_sorted_by_file_then_line(
    make_project: MakeProject,
) -> None:
    project = make_project(
        {
            "content/profile.yml": "name: B\ncurrency: euro\n",
            "content/contracts/b.yml": "contracts:\n  - {id: b, client: B, title: T,"
            " type: fixed, start: 2020-01-01, feedbak: 1}\n  - {id: c}\n",
            "content/contracts/a.yml": "contracts: [\n",
            "content/scenarios/s.yml": "name: S\nactions:\n  - {close: zz, on: 2020-01-01}\n",
            "content/pages/index.md": "# Home\n",
        }
    )
    assert problems(project) == [
        "content/contracts/a.yml:2: invalid YAML: did not find expected node content"
        " (while parsing a flow node at line 2)",
        "content/contracts/b.yml:2: contract 'b': feedbak is not a known field"
        " (did you mean 'feedback'?)",
        "content/contracts/b.yml:3: contract 'c': client is required",
        "content/contracts/b.yml:3: contract 'c': start is required",
        "content/contracts/b.yml:3: contract 'c': title is required",
        "content/contracts/b.yml:3: contract 'c': type is required",
        "content/pages/index.md: page name 'index' is taken by a built-in page; rename the file",
        "content/profile.yml:2: currency must be a three-letter ISO 4217 code in capitals like"
        " USD, got 'euro'",
        "content/scenarios/s.yml:3: scenario 'S': actions[0].close: unknown contract 'zz'",
    ]


# -- unsafe or broken YAML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "contracts:\n  - id: a\n   client: b\n",
            "3: invalid YAML: did not find expected '-' indicator"
            " (while parsing a block collection at line 2)",
        ),
        ("contracts: x: y\n", "1: invalid YAML: mapping values are not allowed in this context"
         " (column 13)"),
        (
            "contracts:\n  - !!python/object/apply:os.system ['echo hi']\n",
            "2: tag !!python/object/apply:os.system is not allowed",
        ),
        ("contracts:\n  - {id: !foo a}\n", "2: tag !foo is not allowed"),
        ("contracts: !!set {a}\n", "1: tag !!set is not allowed"),
        ("contracts:\n  - &x {id: a}\n", "2: anchors and aliases are not allowed"),
        ("contracts: []\n---\ncontracts: []\n", "2: only one YAML document per file is allowed"),
        ("contracts:\n  - {id: \"\x07\"}\n", "2: invalid YAML: control characters are not allowed"
         " (character 0x07)"),
        ("contracts: [" + "[" * 30 + "]" * 30 + "]\n", "1: nested deeper than 20 levels"),
        (
            "contracts:\n  - {id: a, client: A, title: T, type: fixed, start: 2020-01-01,\n"
            "     notes: " + "x" * 10_001 + "}\n",
            "3: text longer than 10,000 characters",
        ),
        ("? [a]\n: 1\n", "1: mapping keys must be plain text"),
    ],
)  # fmt: skip
def test_unsafe_or_broken_yaml(make_project: MakeProject, text: str, expected: str) -> None:
    assert problems(contracts_project(make_project, text)) == [f"{PREFIX}:{expected}"]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
contracts: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_quickly(make_project: MakeProject) -> None:
    project = contracts_project(make_project, GOOD, **{"content/profile.yml": BILLION_LAUGHS})
    started = time.perf_counter()
    assert problems(project) == ["content/profile.yml:1: anchors and aliases are not allowed"]
    assert time.perf_counter() - started < 0.5


def test_a_huge_nesting_is_refused_quickly(make_project: MakeProject) -> None:
    project = contracts_project(make_project, "contracts: " + "[" * 200_000 + "\n")
    started = time.perf_counter()
    assert problems(project) == [
        f"{PREFIX}:1: invalid YAML: exceeded maximum nesting depth"
        " (while increasing flow level at line 1)"
    ]
    assert time.perf_counter() - started < 0.5


def test_binary_and_non_utf8_files(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE})
    (project / "content/contracts").mkdir()
    (project / "content/contracts/latin1.yml").write_bytes(
        "contracts: []\n# café\n".encode("latin-1")
    )
    (project / "content/contracts/nul.yml").write_bytes(b"contracts: []\n\0\0")
    (project / "content/contracts/utf16.yml").write_bytes("contracts: []\n".encode("utf-16"))
    (project / "content/contracts/bom.yml").write_bytes("\ufeffcontracts: []\n".encode())
    assert problems(project) == [
        "content/contracts/latin1.yml: not UTF-8 text (byte 0xe9 at offset 19)",
        "content/contracts/nul.yml: not a text file (NUL byte at offset 14)",
        "content/contracts/utf16.yml: not UTF-8 text (byte 0xff at offset 0)",
    ]


def test_files_over_the_size_limit_are_refused(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlload, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    project = contracts_project(make_project, "contracts: []\n" + "#" * (3 * 1024 * 1024) + "\n")
    assert problems(project) == [f"{PREFIX}: file too large (3,145,743 bytes; the limit is 2 MB)"]


def test_yaml_1_1_plain_scalars_and_quoted_keys(make_project: MakeProject) -> None:
    # 'on' as a key stays the text 'on' (PyYAML would make it True); quoted dates are dates.
    text = "contracts:\n  - {id: a, client: 'yes', title: T, type: fixed, start: '2020-01-06',"
    text += " paused: yes, removed: Off}\n"
    (c,) = load_records(contracts_project(make_project, text)).contracts
    assert (c.client, c.start, c.paused, c.removed) == ("yes", dt.date(2020, 1, 6), True, False)


def test_parse_contract_file_is_a_function_of_bytes() -> None:
    parsed = parse_contract_file("content/contracts/x.yml", GOOD.encode())
    assert [c.id for c in parsed.contracts] == ["acme-logo", "beta-web"]
    assert parsed.ids == (("acme-logo", 2), ("beta-web", 11))
    assert parsed.problems == ()


# -- scenarios ------------------------------------------------------------------------------


def scenario_project(make_project: MakeProject, text: str) -> Path:
    return contracts_project(make_project, GOOD, **{"content/scenarios/close-quiet.yml": text})


def test_a_valid_scenario(make_project: MakeProject) -> None:
    project = scenario_project(
        make_project,
        """\
        name: Close the quiet contracts
        actions:
          - {close: beta-web, on: 2020-07-15, feedback: {stars: 5}}
          - {add: {id: next-1, client: New client, title: Next job, type: fixed,
                   start: 2020-08-01, payments: [{date: 2020-09-01, amount: 1200}]}}
          - {close: next-1, on: 2020-09-01}
        """,
    )
    (scenario,) = load_records(project).scenarios
    assert (scenario.name, scenario.slug) == ("Close the quiet contracts", "close-quiet")
    close, add, close_added = scenario.actions
    assert close == CloseAction("beta-web", dt.date(2020, 7, 15), Feedback(stars=5.0))
    assert isinstance(add, AddAction)
    assert add.contract.id == "next-1"
    assert add.contract.payments == (Payment(dt.date(2020, 9, 1), 1200.0),)
    assert close_added == CloseAction("next-1", dt.date(2020, 9, 1))


def test_bad_scenario_references(make_project: MakeProject) -> None:
    project = scenario_project(
        make_project,
        """\
        name: Mixed
        descripton: x
        actions:
          - {close: beta-wbe, on: 2020-07-15}
          - {close: acme-logo, on: 2020-07-15}
          - {close: beta-web, on: 2019-12-01}
          - {close: beta-web, on: 2020-07-15, feedback: {stars: 6}}
          - {close: beta-web, on: 2020-07-16}
          - {add: {id: acme-logo, client: C, title: T, type: fixed, start: 2020-01-01}}
          - {add: {id: new, client: C, title: T, type: fixed, start: 2020-01-01}}
          - {add: {id: new, client: C, title: T, type: fixed, start: 2020-01-01, pay: 1}}
          - {close: x, add: {}}
          - {on: 2020-01-01}
          - {close: new}
        """,
    )
    where = "content/scenarios/close-quiet.yml"
    assert problems(project) == [
        f"{where}:2: scenario 'Mixed': descripton is not a known field",
        f"{where}:4: scenario 'Mixed': actions[0].close: unknown contract 'beta-wbe'"
        " (did you mean 'beta-web'?)",
        f"{where}:5: scenario 'Mixed': actions[1].close: 'acme-logo' already ended on 2019-12-15",
        f"{where}:6: scenario 'Mixed': actions[2].on 2019-12-01 is before 'beta-web' starts"
        " (2020-01-06)",
        f"{where}:7: scenario 'Mixed': actions[3].feedback.stars must be between 1 and 5, got 6",
        f"{where}:9: scenario 'Mixed': actions[5].add.id 'acme-logo' is already used by a"
        " contract at content/contracts/c.yml:2",
        f"{where}:11: scenario 'Mixed': actions[7].add.pay is not a known field",
        f"{where}:12: scenario 'Mixed': actions[8] must have either close or add, not both",
        f"{where}:13: scenario 'Mixed': actions[9] must have close or add",
        f"{where}:14: scenario 'Mixed': actions[10].on is required",
    ]


def test_scenario_shape_problems(make_project: MakeProject) -> None:
    project = contracts_project(
        make_project,
        GOOD,
        **{
            "content/scenarios/a.yml": "actions: []\n",
            "content/scenarios/b.yml": "name: B\n",
            "content/scenarios/c.yml": "name: C\nactions: {close: acme-logo}\n",
            "content/scenarios/d.yml": "name: D\nactions:\n  - {close: beta-web, on: 2020-05-01}"
            "\n  - {close: beta-web, on: 2020-06-01}\n",
        },
    )
    assert problems(project) == [
        "content/scenarios/a.yml:1: name is required",
        "content/scenarios/b.yml:1: scenario 'B': actions is required",
        "content/scenarios/c.yml:2: scenario 'C': actions must be a list, got a mapping",
        "content/scenarios/d.yml:4: scenario 'D': actions[1].close: 'beta-web' is already closed"
        " by actions[0]",
    ]


def test_control_characters_in_user_text_are_escaped(make_project: MakeProject) -> None:
    # One problem is one line: str.splitlines() would split at \x1e or \u2028.
    project = contracts_project(
        make_project, 'contracts:\n  - {id: "a\\x1eb", "x\\u2028y": 1}\n', **{"jssreport.yml": ""}
    )
    assert problems(project)[:2] == [
        f"{PREFIX}:2: contract 'a\\x1eb': client is required",
        f"{PREFIX}:2: contract 'a\\x1eb': id must be lowercase letters and digits, words joined"
        " by '-' (like 'acme-logo'), got 'a\\x1eb'",
    ]
    assert f"{PREFIX}:2: contract 'a\\x1eb': x\\u2028y is not a known field" in problems(project)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.-_:e+xob", min_size=1, max_size=12))
def test_fast_scalar_resolution_matches_pyyaml(text: str) -> None:
    want = yamlload._resolve_cached(text)  # PyYAML's own resolver and constructor
    got = yamlload.resolve_plain(text)
    assert type(got) is type(want)
    assert got == want or (got != got and want != want)  # nan


WORDS = ("yes", "Yes", "YES", "yEs", "y", "Y", "no", "No", "NO", "nO", "n", "N", "true", "True",
         "TRUE", "tRue", "t", "false", "False", "FALSE", "f", "on", "On", "ON", "oN", "o",
         "off", "Off", "OFF", "oFF", "null", "Null", "NULL", "nULL", "nil", "~", "~~", "~ x",
         "None", "none", "fixed", "freelancer", "ontario", "Tom", "yes please", "no.", "true!",
         ".inf", ".Inf", ".NaN", "-.inf", "+.inf", "1_000", "0x1F", "0o17", "1:30", "1e3",
         "2020-01-01 10:00", "-", "+", ".", "o'neil", "Yesterday", "Offline", "nulls")


@pytest.mark.parametrize("text", WORDS)
@pytest.mark.parametrize("suffix", ("", " ", "x", "1", ".", "-"))
def test_words_resolve_as_pyyaml_reads_them(text: str, suffix: str) -> None:
    want = yamlload._resolve_cached(text + suffix)
    got = yamlload.resolve_plain(text + suffix)
    assert type(got) is type(want) and (got == want or (got != got and want != want))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="yYnNtTfFoO~elsruaEL SRUA0.", min_size=1, max_size=7))
def test_generated_words_resolve_as_pyyaml_reads_them(text: str) -> None:
    want = yamlload._resolve_cached(text)
    got = yamlload.resolve_plain(text)
    assert type(got) is type(want) and got == want


def test_a_required_value_refused_by_the_parser_is_reported_once(make_project: MakeProject) -> None:
    text = "contracts:\n  - {id: a, client: A, type: fixed, start: 2020-01-01,\n"
    text += "     title: " + "x" * 10_001 + "}\n"
    assert problems(contracts_project(make_project, text)) == [
        f"{PREFIX}:3: text longer than 10,000 characters"
    ]
