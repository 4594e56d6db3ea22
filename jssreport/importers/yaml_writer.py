"""Write contract records as YAML in one fixed style, so the same records give the same bytes.

Keys follow the order of the record format in docs/records.md, payments are one flow mapping a line,
amounts have two decimals, multi-line notes are literal blocks. Strings and unusual scalars
are quoted by PyYAML itself (so the text always loads back to the same values); the rest is
formatted here because PyYAML's pure-Python emitter is too slow for 100,000 payments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

CONTRACT_KEYS = (
    "id", "client", "title", "type", "start", "end", "paused", "payments", "earned",
    "last_payment", "refunded", "feedback", "ended_by", "end_reason", "dispute",
    "client_flagged", "removed", "last_activity", "notes", "source",
)  # fmt: skip
FEEDBACK_KEYS = ("date", "stars", "scores", "recommend", "comment")
PAYMENT_KEYS = ("date", "amount")
MONEY_KEYS = frozenset({"amount", "earned", "refunded"})
_WIDTH = 2**30  # never fold long lines
CENT = Decimal("0.01")
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")  # what YAML reads as a line break


class _LiteralDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def _strip_end(text: str) -> str:
    return text.removesuffix("\n...\n").removesuffix("\n")


# Text that is plain YAML in any context and never read as another type: it starts with a
# letter, holds no indicator that matters (",:#[]{}" and the like) and ends without a space.
_SAFE_PLAIN = re.compile(r"[^\W\d_][\w .&'()/!+%-]*(?<! )")
_NOT_TEXT = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n", "null"})


@lru_cache(maxsize=65536)
def _quoted(text: str, in_flow: bool) -> str:
    if _SAFE_PLAIN.fullmatch(text) and text.lower() not in _NOT_TEXT:
        return text  # the common case, without PyYAML's slow emitter
    if in_flow:  # dumped inside a flow sequence, so also safe inside ``{...}``
        out = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=_WIDTH)
        out = _strip_end(out)[1:-1]
    else:
        out = _strip_end(yaml.safe_dump(text, allow_unicode=True, width=_WIDTH))
    if any(c in out for c in _BREAKS):  # PyYAML folded it over lines: escape the breaks
        out = _double_quoted(text)
    return out


def _double_quoted(text: str) -> str:
    out = yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True,
                    width=_WIDTH)  # fmt: skip
    return _strip_end(out)


@lru_cache(maxsize=1024)
def _literal(text: str) -> list[str]:
    """A multi-line string as a literal block (``|`` and its lines), if it loads back the
    same; else one double-quoted line."""
    dumped = _strip_end(yaml.dump(text, Dumper=_LiteralDumper, allow_unicode=True, width=_WIDTH))
    if dumped.startswith("|"):
        try:
            if yaml.safe_load(f"k: {dumped}\n") == {"k": text}:
                return dumped.split("\n")
        except yaml.YAMLError:
            pass
    return [_double_quoted(text)]


def money(value: Any) -> str:
    """An amount with two decimals; more precise hand-typed amounts are kept as they are."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    cents = exact.quantize(CENT)
    return f"{cents}" if cents == exact else f"{exact}"


def scalar(value: Any, is_money: bool = False, in_flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_money and isinstance(value, (int, float, Decimal)):
        return money(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, str):
        return _quoted(value, in_flow)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return _strip_end(yaml.safe_dump(value, allow_unicode=True, width=_WIDTH))


def _key(key: Any) -> str:
    return scalar(key, in_flow=True)


def ordered(mapping: Mapping[Any, Any], first: Iterable[str]) -> list[Any]:
    """Known keys in their fixed order, then any others as they came."""
    known = [k for k in first if k in mapping]
    return known + [k for k in mapping if k not in known]


def flow(value: Any, is_money: bool = False, nested: bool = False) -> str:
    """``value`` on one line; ``nested`` inside ``[...]`` or ``{...}``."""
    if isinstance(value, Mapping):
        keys = ordered(value, PAYMENT_KEYS)
        inner = ", ".join(f"{_key(k)}: {flow(value[k], k in MONEY_KEYS, True)}" for k in keys)
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v, nested=True) for v in value) + "]"
    return scalar(value, is_money, nested)


def _field(key: Any, value: Any, prefix: str, indent: int, out: list[str]) -> None:
    """Append ``key: value`` lines; ``prefix`` starts the first line, ``indent`` the rest."""
    head = f"{prefix}{_key(key)}:"
    pad = " " * indent
    if isinstance(value, list) and value and (
        key == "payments" or any(isinstance(v, (Mapping, list)) for v in value)
    ):
        out.append(head)
        out.extend(f"{pad}  - {flow(item)}" for item in value)
    elif isinstance(value, Mapping) and value and key != "scores":
        out.append(head)
        for sub in ordered(value, FEEDBACK_KEYS if key == "feedback" else ()):
            _field(sub, value[sub], pad + "  ", indent + 2, out)
    elif isinstance(value, str) and "\n" in value:
        first, *rest = _literal(value)
        out.append(f"{head} {first}")
        out.extend(pad + line if line else "" for line in rest)
    else:
        out.append(f"{head} {flow(value, key in MONEY_KEYS)}")


def render_contracts(doc: Mapping[str, Any], header: str = "") -> str:
    """The whole file: ``header`` (comment lines, kept verbatim), ``contracts:``, other keys."""
    out: list[str] = [header.removesuffix("\n")] if header.strip() else []
    contracts = doc.get("contracts") or []
    if not contracts:
        out.append("contracts: []")
    else:
        out.append("contracts:")
        for contract in contracts:
            if not isinstance(contract, Mapping) or not contract:
                out.append(f"  - {flow(contract)}")
                continue
            for i, key in enumerate(ordered(contract, CONTRACT_KEYS)):
                _field(key, contract[key], "  - " if i == 0 else "    ", 4, out)
    for key in doc:
        if key != "contracts":
            _field(key, doc[key], "", 0, out)
    return "\n".join(out) + "\n"
