"""Upwork CSV export layouts: recognise a header, turn each row into a ``Transaction``.

Upwork has changed its transaction export several times; the header row is the only reliable
way to tell the layouts apart. Matching ignores case, surrounding spaces, a UTF-8 byte-order
mark and trailing empty header cells (spreadsheet programs add those), but otherwise the
columns must be exactly the known ones, so a new layout is reported instead of misread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

EARNING = "earning"
REFUND = "refund"
# Skip reasons double as the kinds of rows that are not earnings.
FEE = "fee"
TAX = "tax"
WITHDRAWAL = "withdrawal"
CONNECTS = "connects/membership"
CARD = "card payment"
OTHER = "other"


@dataclass(frozen=True)
class Layout:
    """One known export layout: its header as Upwork writes it and the columns we use."""

    name: str
    label: str
    header: tuple[str, ...]
    date: str
    amount: str
    type: str = ""  # empty: the layout has no such column
    client: str = ""
    title: str = ""
    details: str = ""
    account: str = ""
    balance: str = ""
    txid: str = ""
    refid: str = ""
    hours: str = ""
    contract: str = ""
    optional: tuple[str, ...] = ()  # columns some versions of the layout add


_TITLE_CASE = (
    "Date", "Transaction ID", "Transaction Type", "Transaction Summary",
    "Transaction Summary Details", "Description 1", "Description 2", "Description 3",
    "Entered Description", "Agency", "Freelancer", "Team", "Account Name", "PO", "Ref ID",
    "Amount $", "Amount in local currency", "Currency", "Current Balance $", "Payment Method",
)  # fmt: skip
_SENTENCE_CASE = (
    "Date", "Transaction ID", "Transaction type", "Transaction summary",
    "Transaction summary details", "Description 1", "Description 2", "Description 3",
    "Agency team", "Freelancer", "Client team", "Account name", "PO", "Ref ID", "Amount $",
    "Amount in local currency", "Currency", "Current balance $", "Payment method",
)  # fmt: skip

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="legacy",
        label="legacy 13-column export (about 2018-2022)",
        header=("Date", "Ref ID", "Type", "Description", "Agency", "Freelancer", "Team",
                "Account Name", "PO", "Amount", "Amount in local currency", "Currency",
                "Balance"),  # fmt: skip
        date="Date", amount="Amount", type="Type", client="Team", details="Description",
        account="Account Name", balance="Balance", refid="Ref ID",
    ),
    Layout(
        name="transaction-id",
        label="Title Case 'Transaction ID' export (2024-2025)",
        header=_TITLE_CASE,
        date="Date", amount="Amount $", type="Transaction Type", client="Team",
        title="Transaction Summary", details="Transaction Summary Details",
        balance="Current Balance $", txid="Transaction ID", refid="Ref ID",
        optional=("Entered Description",),
    ),
    Layout(
        name="sentence-case",
        label="sentence-case export with 'Client team' (2026)",
        header=_SENTENCE_CASE,
        date="Date", amount="Amount $", type="Transaction type", client="Client team",
        title="Transaction summary", details="Transaction summary details",
        balance="Current balance $", txid="Transaction ID", refid="Ref ID",
    ),
    Layout(
        name="weekly-summary",
        label="Weekly Summary export (2023-)",
        header=("Date", "Contract", "Hours", "Amount", "Payment type"),
        date="Date", amount="Amount", type="Payment type", contract="Contract", hours="Hours",
    ),
)


@lru_cache(maxsize=4096)
def normalize(cell: str) -> str:
    """Header cells compare case-insensitively, without a BOM or surrounding spaces."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _known_header(layout: Layout) -> tuple[str, ...]:
    return tuple(normalize(c) for c in layout.header)


def detect_layout(cells: Sequence[str]) -> Layout | None:
    """The layout whose header is ``cells``, or None."""
    found = [normalize(c) for c in cells]
    while found and not found[-1]:
        found.pop()
    for layout in LAYOUTS:
        optional = {normalize(c) for c in layout.optional}
        if [c for c in found if c not in optional] == [
            c for c in _known_header(layout) if c not in optional
        ] and all(found.count(c) <= 1 for c in optional):
            return layout
    return None


def unknown_header_message(cells: Sequence[str]) -> str:
    shown = ", ".join(c.replace("\ufeff", "").strip() for c in cells) or "(empty)"
    known = "\n".join(f"  {lay.label}: {', '.join(lay.header)}" for lay in LAYOUTS)
    return (
        f"not a known Upwork export; its header is: {shown}\n"
        f"Known layouts (the header must match, ignoring case and spaces):\n{known}"
    )


def column_index(layout: Layout, cells: Sequence[str]) -> dict[str, int]:
    """Role name (``date``, ``amount``, ...) -> column number in this file."""
    where = {normalize(c): i for i, c in enumerate(cells)}
    roles = ("date", "amount", "type", "client", "title", "details", "account", "balance",
             "txid", "refid", "hours", "contract")  # fmt: skip
    index: dict[str, int] = {}
    for role in roles:
        column = getattr(layout, role)
        if column and normalize(column) in where:
            index[role] = where[normalize(column)]
    return index


# --- values -------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%Y/%m/%d")
_date_cache: dict[str, date | None] = {}


def parse_date(text: str) -> date | None:
    """``Sep 25, 2026``, ``2025-03-03`` or ``03/07/2022`` (US order); None if unreadable."""
    hit = _date_cache.get(text)
    if hit is not None or text in _date_cache:
        return hit
    value: date | None = None
    cleaned = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.strptime(cleaned, fmt).date()
            break
        except ValueError:
            continue
    if value is None and cleaned[:3].casefold() in _MONTHS:
        # "Sept 5, 2026": strptime knows only three-letter abbreviations.
        m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})", cleaned)
        if m:
            try:
                value = date(int(m[3]), _MONTHS[m[1][:3].casefold()], int(m[2]))
            except ValueError:
                value = None
    if len(_date_cache) < 100_000:
        _date_cache[text] = value
    return value


_amount_cache: dict[str, Decimal | None] = {}
_AMOUNT = re.compile(
    r"(\()?(-)?(?:US)?\$?(-)?(\d[\d,]*(?:\.\d*)?|\.\d+)(\))?"
)


def parse_amount(text: str) -> Decimal | None:
    """``$1,234.50``, ``(150.00)``, ``-500.00``, ``-$5``; None if unreadable or empty."""
    hit = _amount_cache.get(text)
    if hit is not None or text in _amount_cache:
        return hit
    value: Decimal | None = None
    m = _AMOUNT.fullmatch(text.replace(" ", ""))
    if m and bool(m[1]) == bool(m[5]) and [m[1], m[2], m[3]].count(None) >= 2:
        try:
            number = Decimal(m[4].replace(",", ""))
            value = -number if m[1] or m[2] or m[3] else number
        except InvalidOperation:
            value = None
    if len(_amount_cache) < 100_000:
        _amount_cache[text] = value
    return value


_HOURS = re.compile(r"(\d+):(\d{2})\s*hrs?\b(?:\s*@\s*\$?([\d,]+(?:\.\d+)?)\s*/\s*hr)?", re.I)


def parse_hours(text: str) -> tuple[Decimal | None, Decimal | None]:
    """Hours and rate from ``Invoice for 05/27/2024-06/02/2024 - 14:20 hrs @ $18.00/hr``."""
    m = _HOURS.search(text)
    if not m:
        return None, None
    hours = Decimal(int(m[1])) + Decimal(int(m[2])) / 60
    rate = Decimal(m[3].replace(",", "")) if m[3] else None
    return hours.quantize(Decimal("0.0001")), rate


# --- what a row means ---------------------------------------------------------------------

_TAX_WORDS = {"vat", "wht", "tax", "taxes", "gst", "withholding"}
_ASK_TEXT = "?"  # the type alone does not say; the row's descriptions decide
_type_cache: dict[tuple[str, bool], tuple[str, str]] = {}


def _classify_type(type_text: str, negative: bool) -> tuple[str, str]:
    t = " ".join(type_text.replace("-", " ").replace("_", " ").split()).casefold()
    words = set(t.split())
    if "withdrawal" in words:
        return WITHDRAWAL, ""
    if words & {"connects", "connect", "membership"}:
        return CONNECTS, ""
    if "refund" in words:
        # "Service fee refund" gives a fee back; "Refund to client" / "Refund" returns earnings.
        if "fee" in words:
            return FEE, ""
        return (REFUND, "") if negative else (_ASK_TEXT, "refund")
    if words & _TAX_WORDS:
        return TAX, ""
    if words & {"fee", "fees"}:
        return FEE, ""
    if t == "payment" or "card" in words:
        return _ASK_TEXT, "payment"
    for word, earning in (("hourly", "hourly"), ("bonus", "bonus"), ("fixed", "fixed"),
                          ("milestone", "fixed")):  # fmt: skip
        if word in words:
            return (REFUND, earning) if negative else (EARNING, earning)
    return OTHER, ""


def classify(type_text: str, negative: bool, text: str = "") -> tuple[str, str]:
    """(kind, earning type) of a row: kind is EARNING, REFUND or a skip reason.

    The earning type is ``hourly``, ``fixed`` or ``bonus`` for earnings and negative
    earnings (refunds). ``text`` (the row's descriptions) decides only for card payments
    and positive refunds, which can be Connects, a fee given back, or something else.
    """
    key = (type_text, negative)
    hit = _type_cache.get(key)
    if hit is None:
        hit = _type_cache[key] = _classify_type(type_text, negative)
    if hit[0] != _ASK_TEXT:
        return hit
    about = text.casefold()
    if "connect" in about or "membership" in about:
        return CONNECTS, ""
    if hit[1] == "refund":
        return (FEE, "") if "fee" in about else (OTHER, "")
    return CARD, ""


def legacy_title(description: str) -> str | None:
    """Contract title in a legacy fixed-price description, e.g.
    ``Invoice for Menu redesign - Milestone 1`` -> ``Menu redesign``."""
    text = description.strip()
    if text.casefold().startswith("invoice for "):
        text = text[len("invoice for "):].strip()
    if " - " in text:
        text = text.rsplit(" - ", 1)[0].strip()
    return text or None


_CONTRACT = re.compile(r"^(.*?)\s*\(\s*([A-Za-z0-9_-]+)\s*\)\s*$")


def weekly_contract(cell: str) -> tuple[str, str | None]:
    """``Title (41000001)`` -> (title, contract id)."""
    m = _CONTRACT.match(cell)
    if m and m[1]:
        return m[1], m[2]
    return cell.strip(), None
