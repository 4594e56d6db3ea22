"""How numbers and dates read in the report: shared by the report, the charts and the templates."""

from __future__ import annotations

import re
from datetime import date

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
# Codes a redacted report's scrubber also recognises after a number (``1,234 CHF``), whatever
# the profile's currency: the common ones (a profile's own is always added).
CURRENCY_CODES = frozenset({
    *CURRENCY_SYMBOLS, "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "HKD", "HUF", "IDR",
    "ILS", "KRW", "MXN", "NGN", "NOK", "NZD", "PHP", "PKR", "PLN", "RON", "RUB", "SEK", "SGD",
    "THB", "TRY", "UAH", "VND", "ZAR", "EGP", "BDT", "ARS", "COP", "KES", "LKR", "MYR",
})

WINDOW_LABELS = {
    "24m": "24-month window",
    "12m": "12-month window",
    "6m": "6-month window",
    "3m": "3-month window",
    "trending": "Trending (6m + 3m) / 2",
}

KIND_LABELS = {
    "success": "Success",
    "partial": "Partial success",
    "neutral": "Neutral",
    "negative": "Negative",
    "excluded": "Excluded",
    "pending": "Not counted yet",
}


def currency_affixes(currency: str) -> tuple[str, str]:
    """(prefix, suffix) around a number in ``currency``: ``("$", "")``, or ``("", " CHF")`` for
    a currency without a symbol here."""
    symbol = CURRENCY_SYMBOLS.get(currency)
    return (symbol, "") if symbol else ("", f" {currency}")


def format_money(amount: float | None, currency: str = "USD", redact: bool = False) -> str:
    """Every amount the report shows goes through here (or :func:`format_money_short`).

    ``$1,234`` for whole amounts, ``$1,234.50`` otherwise; unknown currencies get their code
    (``1,234 CHF``). With ``redact``, the amount's band instead (:func:`format_band`)."""
    if amount is None:
        return ""
    if redact:
        return format_band(amount, currency)
    whole = abs(amount - round(amount)) < 0.005
    number = f"{abs(amount):,.0f}" if whole else f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 and number.strip("0.,") else ""
    pre, post = currency_affixes(currency)
    return f"{sign}{pre}{number}{post}"


def format_money_short(amount: float | None, currency: str = "USD",
                       redact: bool = False) -> str:
    """A headline amount that fits a card: ``$25.2M`` from a million on, whole units from
    ten thousand on (``$251,913``), else ``format_money``."""
    if redact or amount is None or abs(amount) < 10_000:
        return format_money(amount, currency, redact)
    if abs(amount) < 1_000_000:
        return format_money(round(amount), currency)
    pre, post = currency_affixes(currency)
    sign = "-" if amount < 0 else ""
    return f"{sign}{pre}{abs(amount) / 1_000_000:.1f}M{post}"


# The job-size bands of the model (model.outcomes.size_weight): what a redacted report shows.
BAND_SMALL, BAND_MEDIUM = 250.0, 1000.0


def format_band(amount: float | None, currency: str = "USD") -> str:
    """``$1–250``, ``$251–1,000`` or ``over $1,000``; ``$0`` for nothing."""
    if amount is None:
        return ""
    pre, post = currency_affixes(currency)
    if amount <= 0:
        return f"{pre}0{post}"
    if amount <= BAND_SMALL:
        return f"{pre}1–250{post}"
    if amount <= BAND_MEDIUM:
        return f"{pre}251–1,000{post}"
    return f"over {pre}1,000{post}"


def format_percent(value: float | None, digits: int = 0) -> str:
    """``82%``; an em dash for a value the model could not compute."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}%"


def format_points(value: float | None) -> str:
    """A signed change in score points: ``+1.9``, ``-3.0``."""
    if value is None:
        return ""
    return f"{value:+.1f}"


def format_signed(value: int | None) -> str:
    """A signed whole number of points: ``+12``, ``-3``, ``0``."""
    return "" if value is None else f"{value:+d}" if value else "0"


def counted(count: int, noun: str) -> str:
    """``1 page``, ``4 pages``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} B"


def format_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def window_label(name: str | None) -> str:
    return "" if name is None else WINDOW_LABELS.get(name, name)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


# What a terminal would act on instead of showing: C0 controls but tab and newline (ESC starts
# CSI/OSC sequences: a window title, the clipboard with OSC 52), DEL, the C1 controls (0x9b is
# a one-byte CSI) and the bidirectional overrides that reorder what is shown.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                                "\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` as a terminal may print it: every control character is a ``?``."""
    return TERMINAL_CONTROLS.sub("?", text)
