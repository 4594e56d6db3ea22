"""Typed reading of YAML fields, collecting problems with file:line, where and field path.

Each getter returns the value when it is right and ``None`` otherwise, after recording
a problem. The fast path (a value of the right type) does no string work at all: paths
and messages are only built for problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Collection, Iterable
from typing import Any

from jssreport.errors import Problem
from jssreport.input.yamlload import INVALID, YMap, YSeq, shown

__all__ = ["Checker", "date_out_of_range", "describe", "fmt", "hint", "parse_date", "shown"]

_MISSING: Any = object()
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_EXPECTED = "must be an ISO date (YYYY-MM-DD)"

# Sane bounds, so that no record can make the model work for minutes or overflow: every date
# (records, scenarios, the report date) within the platform's life (its predecessors oDesk and
# Elance date from the 2000s) and a few years ahead of today (UTC); every amount (a payment,
# earned, refunded, a contract's total) above zero and at most ten million.
DATE_MIN = dt.date(2000, 1, 1)
YEARS_AHEAD = 5
DATE_MAX = dt.date(dt.datetime.now(dt.timezone.utc).year + YEARS_AHEAD, 12, 31)
DATE_RANGE = (f"between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()} (the platform's "
              f"life and {YEARS_AHEAD} years ahead)")
MAX_AMOUNT = 10_000_000


def date_out_of_range(day: dt.date) -> str | None:
    """``must be between ...`` when ``day`` is outside ``DATE_MIN``..``DATE_MAX``."""
    return None if DATE_MIN <= day <= DATE_MAX else f"must be {DATE_RANGE}"


class Checker:
    """The problems found in one file; ``where`` names the record being read."""

    __slots__ = ("file", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, where, message))

    # -- structure ------------------------------------------------------------------------

    def mapping(self, value: Any, line: int, where: str, path: str) -> YMap | None:
        if value.__class__ is YMap:
            return value
        if value is not INVALID:
            self.add(line, where, f"{path} must be a mapping of fields, got {describe(value)}")
        return None

    def sequence(self, value: Any, line: int, where: str, path: str) -> YSeq | None:
        if value.__class__ is YSeq:
            return value
        if value is not INVALID:
            self.add(line, where, f"{path} must be a list, got {describe(value)}")
        return None

    def unknown(self, m: YMap, allowed: frozenset[str], where: str, prefix: str = "") -> None:
        """Report every field of ``m`` that is not in ``allowed``, with a hint for typos."""
        if m.values.keys() <= allowed:
            return
        for key in m.values:
            if key not in allowed:
                self.add(
                    m.lines[key],
                    where,
                    f"{prefix}{shown(key)} is not a known field{hint(key, allowed)}",
                )

    # -- scalars --------------------------------------------------------------------------

    def _absent(self, m: YMap, key: str, v: Any, where: str, prefix: str, required: bool) -> None:
        if required and v is None:  # written but left empty
            self.add(m.lines[key], where, f"{prefix}{key} must not be empty")
        elif required and v is not INVALID:
            self.add(m.line, where, f"{prefix}{key} is required")

    def text(
        self, m: YMap, key: str, where: str, prefix: str = "", required: bool = False
    ) -> str | None:
        v = m.values.get(key, _MISSING)
        if v.__class__ is str:
            if required and not v.strip():
                self.add(m.lines[key], where, f"{prefix}{key} must not be empty")
                return None
            return v
        if v is _MISSING or v is None or v is INVALID:
            self._absent(m, key, v, where, prefix, required)
            return None
        quote = " (put it in quotes to use it as text)" if _is_scalar(v) else ""
        self.add(m.lines[key], where, f"{prefix}{key} must be a string, got {describe(v)}{quote}")
        return None

    def date(
        self, m: YMap, key: str, where: str, prefix: str = "", required: bool = False
    ) -> dt.date | None:
        v = m.values.get(key, _MISSING)
        if v.__class__ is dt.date and DATE_MIN <= v <= DATE_MAX:
            return v
        if v is _MISSING or v is None or v is INVALID:
            self._absent(m, key, v, where, prefix, required)
            return None
        parsed = parse_date(v)
        if parsed is None:
            self.add(m.lines[key], where, f"{prefix}{key} {DATE_EXPECTED}, got {describe(v)}")
            return None
        bad = date_out_of_range(parsed)
        if bad:
            self.add(m.lines[key], where, f"{prefix}{key} {bad}, got {describe(v)}")
            return None
        return parsed

    def flag(self, m: YMap, key: str, where: str, prefix: str = "") -> bool | None:
        v = m.values.get(key, _MISSING)
        if v is True or v is False:
            return v
        if v is _MISSING or v is None or v is INVALID:
            return None
        self.add(m.lines[key], where, f"{prefix}{key} must be true or false, got {describe(v)}")
        return None

    def number(
        self,
        m: YMap,
        key: str,
        where: str,
        prefix: str = "",
        required: bool = False,
        low: float | None = None,
        high: float | None = None,
        above: float | None = None,
        whole: bool = False,
        most: float | None = None,
    ) -> float | None:
        """A number (never a boolean) within ``low``..``high`` or greater than ``above``, and
        at most ``most`` (a sane bound, said on its own)."""
        v = m.values.get(key, _MISSING)
        cls = v.__class__
        if cls is not int and cls is not float:
            if v is _MISSING or v is None or v is INVALID:
                self._absent(m, key, v, where, prefix, required)
            else:
                kind = "a whole number" if whole else "a number"
                self.add(m.lines[key], where, f"{prefix}{key} must be {kind}, got {describe(v)}")
            return None
        bad = ""
        if cls is float and not math.isfinite(v):
            bad = "must be a finite number"
        elif whole and cls is float and not v.is_integer():
            bad = "must be a whole number"
        elif low is not None and high is not None and not low <= v <= high:
            bad = f"must be between {_bound(low)} and {_bound(high)}"
        elif low is not None and high is None and v < low:
            bad = f"must be {fmt(low)} or more"
        elif above is not None and v <= above:
            bad = f"must be greater than {fmt(above)}"
        elif most is not None and v > most:
            bad = f"must be at most {_bound(most)}"
        if bad:
            self.add(m.lines[key], where, f"{prefix}{key} {bad}, got {describe(v)}")
            return None
        return int(v) if whole else float(v)

    def choice(
        self,
        m: YMap,
        key: str,
        choices: Collection[str],
        where: str,
        prefix: str = "",
        required: bool = False,
    ) -> str | None:
        v = m.values.get(key, _MISSING)
        if v.__class__ is str and v in choices:
            return v
        if v is _MISSING or v is None or v is INVALID:
            self._absent(m, key, v, where, prefix, required)
            return None
        tip = hint(v, choices) if isinstance(v, str) else ""
        self.add(
            m.lines[key],
            where,
            f"{prefix}{key} must be one of {', '.join(choices)}, got {describe(v)}{tip}",
        )
        return None


def _bound(number: float) -> str:
    """A limit in a message: ``10,000,000``, ``5``, ``4.5``."""
    return f"{number:,.0f}" if abs(number) >= 10_000 and float(number).is_integer() \
        else fmt(number)


def _is_scalar(v: Any) -> bool:
    return v.__class__ is not YMap and v.__class__ is not YSeq


def parse_date(v: Any) -> dt.date | None:
    """A date from a YAML date or an ISO ``YYYY-MM-DD`` string; ``None`` if it is neither."""
    if v.__class__ is dt.date:
        return v
    if v.__class__ is str and _ISO_DATE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return None
    return None


def hint(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def fmt(number: float) -> str:
    """A number as people write it: 5 rather than 5.0, 4.6 stays 4.6; a whole number too long
    to read by its size."""
    if isinstance(number, int) and abs(number) >= 10**15:
        return f"a number of about {int(number.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(number, float) and number.is_integer() and math.isfinite(number):
        if abs(number) >= 10**15:
            return f"{number:.6g}"
        return str(int(number))
    return str(number)


def describe(v: Any) -> str:
    """A value as the user would recognise it in an error message."""
    if v is None:
        return "nothing"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v.__class__ is str:
        text = v if len(v) <= 40 else v[:37] + "..."
        return repr(text)
    if isinstance(v, (int, float)):
        return fmt(v)
    if isinstance(v, dt.datetime):
        return f"the date and time {v.isoformat(sep=' ')}"
    if isinstance(v, dt.date):
        return f"the date {v.isoformat()}"
    if isinstance(v, YSeq):
        return "a list"
    if isinstance(v, YMap):
        return "a mapping"
    return type(v).__name__
