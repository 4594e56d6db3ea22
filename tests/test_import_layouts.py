"""Recognising Upwork export layouts and reading their values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jssreport.importers import upwork_layouts as lay

LEGACY = ("Date,Ref ID,Type,Description,Agency,Freelancer,Team,Account Name,PO,Amount,"
          "Amount in local currency,Currency,Balance")  # fmt: skip
TITLE_CASE = ("Date,Transaction ID,Transaction Type,Transaction Summary,"
              "Transaction Summary Details,Description 1,Description 2,Description 3,Agency,"
              "Freelancer,Team,Account Name,PO,Ref ID,Amount $,Amount in local currency,"
              "Currency,Current Balance $,Payment Method")  # fmt: skip
SENTENCE_CASE = ("Date,Transaction ID,Transaction type,Transaction summary,"
                 "Transaction summary details,Description 1,Description 2,Description 3,"
                 "Agency team,Freelancer,Client team,Account name,PO,Ref ID,Amount $,"
                 "Amount in local currency,Currency,Current balance $,Payment method")  # fmt: skip
WEEKLY = "Date,Contract,Hours,Amount,Payment type"


def layout_of(header: str) -> str | None:
    found = lay.detect_layout(header.split(","))
    return found.name if found else None


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (LEGACY, "legacy"),
        (TITLE_CASE, "transaction-id"),
        (TITLE_CASE.replace("Description 3,", "Description 3,Entered Description,"),
         "transaction-id"),
        (SENTENCE_CASE, "sentence-case"),
        (WEEKLY, "weekly-summary"),
        ("\ufeff" + LEGACY, "legacy"),  # byte-order mark
        (LEGACY.upper(), "legacy"),
        (" date , ref id ,TYPE" + LEGACY[len("Date,Ref ID,Type"):], "legacy"),
        (WEEKLY + ",,", "weekly-summary"),  # trailing empty cells from a spreadsheet
    ],
)  # fmt: skip
def test_detects_every_layout(header: str, name: str) -> None:
    assert layout_of(header) == name


@pytest.mark.parametrize(
    "header",
    [
        "Date,Description,Amount,Balance",
        LEGACY.replace("Team,", ""),  # a column missing
        WEEKLY + ",Extra",  # a column too many
        TITLE_CASE.replace("Team", "Client team"),  # a mix of two layouts
        TITLE_CASE + ",Entered Description,Entered Description",
        "",
    ],
)
def test_rejects_other_headers(header: str) -> None:
    assert layout_of(header) is None


def test_unknown_header_message_lists_the_known_layouts() -> None:
    text = lay.unknown_header_message(["\ufeffDate", " Foo ", "Bar"])
    lines = text.split("\n")
    assert lines[0] == "not a known Upwork export; its header is: Date, Foo, Bar"
    assert lines[1] == "Known layouts (the header must match, ignoring case and spaces):"
    assert lines[2] == f"  legacy 13-column export (about 2018-2022): {LEGACY.replace(',', ', ')}"
    assert lines[-1] == (
        "  Weekly Summary export (2023-): Date, Contract, Hours, Amount, Payment type")
    assert len(lines) == 2 + len(lay.LAYOUTS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sep 25, 2026", date(2026, 9, 25)),
        ("Sep 5, 2026", date(2026, 9, 5)),
        ("Sept 5, 2026", date(2026, 9, 5)),
        ("September 25, 2026", date(2026, 9, 25)),
        ("2025-03-03", date(2025, 3, 3)),
        ("03/07/2022", date(2022, 3, 7)),  # US order: month first
        (" Mar  18, 2022 ", date(2022, 3, 18)),
        ("Feb 30, 2022", None),
        ("Oct 32, 2026", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert lay.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("(150.00)", "-150.00"),
        ("($1,000.00)", "-1000.00"),
        ("-500.00", "-500.00"),
        ("-$500.00", "-500.00"),
        ("$-500.00", "-500.00"),
        ("135", "135"),
        (" 0.10 ", "0.10"),
        ("", None),
        ("12,3x", None),
        ("1.2.3", None),
        ("--5", None),
        ("$", None),
    ],
)
def test_parse_amount(text: str, expected: str | None) -> None:
    assert lay.parse_amount(text) == (None if expected is None else Decimal(expected))


def test_parse_hours_and_rate_from_an_invoice() -> None:
    hours, rate = lay.parse_hours("Invoice for 05/27/2024-06/02/2024 - 14:20 hrs @ $18.00/hr")
    assert (hours, rate) == (Decimal("14.3333"), Decimal("18.00"))
    assert lay.parse_hours("Invoice for 03/07/2022-03/13/2022 - 8:00 hrs @ $1,040.00/hr") == (
        Decimal("8.0000"), Decimal("1040.00"))  # fmt: skip
    assert lay.parse_hours("Milestone 1") == (None, None)


@pytest.mark.parametrize(
    ("type_text", "negative", "text", "expected"),
    [
        ("Hourly", False, "", (lay.EARNING, "hourly")),
        ("Fixed Price", False, "", (lay.EARNING, "fixed")),
        ("Fixed-price", False, "", (lay.EARNING, "fixed")),
        ("fixed price payment", False, "", (lay.EARNING, "fixed")),
        ("Milestone", False, "", (lay.EARNING, "fixed")),
        ("BONUS", False, "", (lay.EARNING, "bonus")),
        ("Hourly", True, "", (lay.REFUND, "hourly")),  # a negative earning gives money back
        ("Refund to client", True, "", (lay.REFUND, "")),
        ("Refund", True, "Refund for Logo", (lay.REFUND, "")),
        ("Refund", False, "Refund of service fee", (lay.FEE, "")),
        ("Refund", False, "Refund of Connects", (lay.CONNECTS, "")),
        ("Service fee refund", False, "", (lay.FEE, "")),
        ("Service Fee", True, "", (lay.FEE, "")),
        ("VAT", True, "", (lay.TAX, "")),
        ("WHT", True, "", (lay.TAX, "")),
        ("Withholding Tax", True, "", (lay.TAX, "")),
        ("Withdrawal", True, "", (lay.WITHDRAWAL, "")),
        ("Withdrawal Fee", True, "", (lay.WITHDRAWAL, "")),
        ("Membership Fee", True, "", (lay.CONNECTS, "")),
        ("Connects", True, "", (lay.CONNECTS, "")),
        ("Payment", True, "Connects Connects purchase", (lay.CONNECTS, "")),
        ("Payment", True, "Card verification", (lay.CARD, "")),
        ("Miscellaneous", False, "", (lay.OTHER, "")),
    ],
)
def test_classify(type_text: str, negative: bool, text: str, expected: tuple[str, str]) -> None:
    assert lay.classify(type_text, negative, text) == expected


@pytest.mark.parametrize(
    ("description", "title"),
    [
        ("Invoice for Menu redesign - Milestone 1", "Menu redesign"),
        ("Invoice for Site - phase 2 - Final delivery", "Site - phase 2"),
        ("Invoice for Logo sketch", "Logo sketch"),
        ("Milestone 1", "Milestone 1"),
        ("", None),
    ],
)
def test_legacy_title(description: str, title: str | None) -> None:
    assert lay.legacy_title(description) == title


def test_weekly_contract() -> None:
    assert lay.weekly_contract("Landing page (41000001)") == ("Landing page", "41000001")
    assert lay.weekly_contract("Logo (v2) (41000009)") == ("Logo (v2)", "41000009")
    assert lay.weekly_contract("No id here") == ("No id here", None)
