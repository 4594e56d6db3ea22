"""--redact in every currency: no exact amount in any output file, nor in what ``score`` and
``explain`` print (with the flag or ``redact: true`` in jssreport.yml)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.report.redact import scrub_amounts
from jssreport.textformat import format_money, format_money_short
from tests.test_report_redact import FILES, MARKERS, every_file, exact_amounts, leaks

CURRENCIES = ("USD", "EUR", "GBP", "JPY", "INR", "CAD", "AUD", "CHF", "XYZ")
# A lump sum with cents next to the 98,765.43 payment: "earned" amounts are shown too.
EARNED = 99999.99


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def write_project(root: Path, currency: str) -> Path:
    project = root / "project"
    for rel, text in FILES.items():
        text = textwrap.dedent(text).lstrip("\n").replace("currency: USD",
                                                          f"currency: {currency}")
        text = text.replace("earned: 600", f"earned: {EARNED}")
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    return project


def terminal_output(project: Path, *flags: str) -> dict[str, bytes]:
    out = {}
    for command in ("score", "explain"):
        for form in ((), ("--json",)):
            name = f"{command}{''.join(form)}{''.join(flags)}"
            out[name] = run(command, "--project", project, *form, *flags).encode()
    return out


@pytest.mark.parametrize("currency", CURRENCIES)
def test_no_exact_amount_in_any_currency(tmp_path: Path, currency: str) -> None:
    project = write_project(tmp_path, currency)
    run("build", "--project", project, "-o", tmp_path / "normal")
    normal = json.loads((tmp_path / "normal/report.json").read_text(encoding="utf-8"))
    amounts = exact_amounts(normal)
    assert {98765.43, EARNED} <= amounts
    # The scan finds the amounts where they are shown: the normal build and score.
    found = "\n".join(leaks({**every_file(tmp_path / "normal"), **terminal_output(project)},
                            amounts))
    assert "98,765.43" in found and "99,999.99" in found
    assert MARKERS["client"] in found

    run("build", "--project", project, "--redact", "-o", tmp_path / "redacted")
    run("build", "--project", project, "--redact", "--single-file", "-o",
        tmp_path / "shared.html")
    output = {**every_file(tmp_path / "redacted"), **every_file(tmp_path / "shared.html"),
              **terminal_output(project, "--redact")}
    assert leaks(output, amounts) == []
    redacted = json.loads(output["report.json"])
    assert redacted["earnings"]["total"] == format_money(EARNED, currency, redact=True)

    config = project / "jssreport.yml"
    config.write_text(config.read_text(encoding="utf-8") + "redact: true\n", encoding="utf-8")
    assert leaks(terminal_output(project), amounts) == []


def test_one_formatter_knows_currency_and_redaction() -> None:
    assert format_money(98765.43, "EUR") == "€98,765.43"
    assert format_money(98765.43, "CHF") == "98,765.43 CHF"
    assert format_money(-5, "GBP") == "-£5"
    assert format_money(98765.43, "EUR", redact=True) == "over €1,000"
    assert format_money(120, "XYZ", redact=True) == "1–250 XYZ"
    assert format_money_short(25_200_000, "CHF") == "25.2M CHF"
    assert format_money_short(25_200_000, "USD", redact=True) == "over $1,000"


@pytest.mark.parametrize("currency", CURRENCIES)
def test_scrub_finds_amounts_written_in_any_currency(currency: str) -> None:
    """A sentence that wrote its amount in another currency's notation is banded too."""
    text = ("largest $98,765.43; €1,234.56 paid; £99,999.99; ¥123456; ₹2,500; 4,321.09 CHF; "
            f"77,777 {currency}; $1,000 or more; a $0 contract; JSS 90%")
    scrubbed = scrub_amounts(text, currency)
    for exact in ("98,765", "1,234", "99,999", "123456", "2,500", "4,321", "77,777"):
        assert exact not in scrubbed, (exact, scrubbed)
    assert "1,000 or more" in scrubbed and "0 contract" in scrubbed and "JSS 90%" in scrubbed


def test_warnings_name_contracts_as_the_redacted_report(tmp_path: Path) -> None:
    """With ``redact: true`` what check and build print on the terminal (a public CI log) names
    contracts as the redacted report does."""
    project = write_project(tmp_path, "EUR")
    (project / "content/contracts/zzqfile-later.yml").write_text(
        "contracts:\n  - {id: zzqid-later, client: ZZQCLIENT Later, title: ZZQTITLE Later, "
        "type: fixed, start: 2021-01-04}\n", encoding="utf-8")
    config = project / "jssreport.yml"
    config.write_text(config.read_text(encoding="utf-8") + "redact: true\n", encoding="utf-8")
    for command in ("check", "build", "score"):
        result = CliRunner().invoke(main, [command, "--project", str(project)])
        assert result.exit_code == 0, result.output
        assert "starts after the report date" in result.output or command == "score"
        assert "zzq" not in result.output.lower(), (command, result.output)


def test_amounts_equal_to_rule_constants_are_banded_too(tmp_path: Path) -> None:
    """A freelancer's own amount that happens to be a rule's ($5,000, $10,000) is written as
    its band where the advice quotes it, like any other amount."""
    project = tmp_path / "p"
    (project / "content/contracts").mkdir(parents=True)
    (project / "content/profile.yml").write_text("name: Me\nas_of: 2020-07-01\n",
                                                 encoding="utf-8")
    (project / "content/contracts/c.yml").write_text(
        "contracts:\n"
        "  - {id: big, client: A, title: A, type: fixed, start: 2020-01-06, end: 2020-02-03,\n"
        "     payments: [{date: 2020-02-03, amount: 5000}], feedback: {date: 2020-02-04, "
        "stars: 5}}\n"
        "  - {id: other, client: B, title: B, type: fixed, start: 2020-02-03, end: 2020-03-02,\n"
        "     payments: [{date: 2020-03-02, amount: 5000}], feedback: {date: 2020-03-03, "
        "stars: 5}}\n", encoding="utf-8")
    run("build", "--project", project, "--redact", "-o", tmp_path / "site")
    report = json.loads((tmp_path / "site/report.json").read_text(encoding="utf-8"))
    details = [i["detail"] for i in report["top_rated"]["checklist"]]
    text = json.dumps(report)
    assert "largest over $1,000" in text
    assert "\"$10,000\"" not in text and "\"$5,000\"" not in text, details
    # ... while the rules' own amounts stay as the rules say them (never a band)
    names = [i["name"] for i in report["top_rated"]["checklist"]]
    assert any("1,000+ earned in the last 12 months" in n for n in names), names
    assert any("5,000+" in n for n in names), names
    assert not [n for n in names if "–" in n or "over " in n], names
