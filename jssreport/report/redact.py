"""``--redact``: the report without names, free text or exact amounts.

Two steps, so that the estimate is exactly the one of the normal build:

1. Before the model, every name and text in the records is replaced: clients become
   "Client A", "Client B", ... (by first contract start, then name), contracts "Contract 1",
   "Contract 2", ... (id ``contract-1``; by start, then id), scenarios "Scenario 1", ...; the
   freelancer is "Freelancer"; comments, notes, import sources and the Markdown pages are
   dropped. The model only needs names to be distinct, and the replacement is one-to-one and
   keeps the records' order.
2. After the model, amounts are replaced: the model read the exact ones (job-size weights
   and the Top Rated earnings test depend on them), the output shows bands ($1–250,
   $251–1,000, over $1,000) where one amount is shown and shares of all earnings in the
   earnings chart. Amount-like text in sentences (recommendations, checks) is banded too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from jssreport.model.types import AddAction, CloseAction, Contract, Feedback, Scenario
from jssreport.report.data import Earnings, MonthEarnings
from jssreport.textformat import BAND_MEDIUM, BAND_SMALL, CURRENCY_CODES, CURRENCY_SYMBOLS
from jssreport.textformat import format_band as format_band  # re-exported

if TYPE_CHECKING:
    from jssreport.input.config import Settings
    from jssreport.input.records import Records
    from jssreport.report.compute import Report

FREELANCER = "Freelancer"
SMALL, MEDIUM = BAND_SMALL, BAND_MEDIUM
# Rule constants that sentences quote ("$1,000 or more earned", "a $0 contract"); they are
# not the freelancer's amounts and stay as written.
RULE_AMOUNTS = frozenset({0.0, 1.0, 250.0, 251.0, 1000.0, 5000.0, 10000.0})
T = TypeVar("T")


# --- names ---------------------------------------------------------------------------------


def letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB, ... (spreadsheet column names)."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


@dataclasses.dataclass(frozen=True)
class Names:
    """The replacement of every client name and contract id."""

    clients: Mapping[str, str]
    contracts: Mapping[str, int]  # real id -> number

    def client(self, name: str) -> str:
        return self.clients[name]

    def contract_id(self, cid: str) -> str:
        return f"contract-{self.contracts[cid]}"

    def contract_title(self, cid: str) -> str:
        return f"Contract {self.contracts[cid]}"


def assign_names(contracts: Sequence[Contract], extra: Sequence[Contract] = ()) -> Names:
    """Clients by (first contract start, name), contracts by (start, id); the contracts that
    scenarios add come after the real ones, in the order they are added."""
    first: dict[str, Any] = {}
    for c in contracts:
        if c.client not in first or c.start < first[c.client]:
            first[c.client] = c.start
    ordered = sorted(first, key=lambda name: (first[name], name))
    for c in extra:
        if c.client not in first:
            first[c.client] = c.start
            ordered.append(c.client)
    clients = {name: f"Client {letters(i)}" for i, name in enumerate(ordered)}
    numbers: dict[str, int] = {}
    for c in [*sorted(contracts, key=lambda c: (c.start, c.id)), *extra]:
        numbers.setdefault(c.id, len(numbers) + 1)
    return Names(MappingProxyType(clients), MappingProxyType(numbers))


def redact_contract(c: Contract, names: Names) -> Contract:
    feedback = c.feedback
    if feedback is not None and feedback.comment is not None:
        feedback = dataclasses.replace(feedback, comment=None)
    return dataclasses.replace(
        c, id=names.contract_id(c.id), client=names.client(c.client),
        title=names.contract_title(c.id), notes=None, source=None, feedback=feedback,
    )


def redact_scenario(s: Scenario, number: int, names: Names) -> Scenario:
    actions: list[CloseAction | AddAction] = []
    for action in s.actions:
        if isinstance(action, CloseAction):
            feedback: Feedback | None = action.feedback
            if feedback is not None and feedback.comment is not None:
                feedback = dataclasses.replace(feedback, comment=None)
            contract = names.contract_id(action.contract) if action.contract in \
                names.contracts else action.contract
            actions.append(dataclasses.replace(action, contract=contract, feedback=feedback))
        else:
            actions.append(AddAction(redact_contract(action.contract, names)))
    return Scenario(name=f"Scenario {number}", actions=tuple(actions), slug=f"scenario-{number}")


def redact_records(records: Records) -> Records:
    """The records with every name and text replaced; dates, stars and amounts unchanged."""
    added = [a.contract for s in records.scenarios for a in s.actions
             if isinstance(a, AddAction)]
    names = assign_names(records.contracts, added)
    contracts = tuple(redact_contract(c, names) for c in records.contracts)
    scenarios = tuple(redact_scenario(s, i, names)
                      for i, s in enumerate(records.scenarios, 1))
    return dataclasses.replace(
        records,
        profile=dataclasses.replace(records.profile, name=FREELANCER),
        contracts=contracts,
        scenarios=scenarios,
        pages=(),  # the freelancer's own prose: it may name anyone
        locations=MappingProxyType({names.contract_id(cid): ("", 0)
                                    for cid in records.locations if cid in names.contracts}),
    )


def redact_inputs(records: Records, settings: Settings) -> tuple[Records, Settings]:
    """Redacted records, and settings without the project's own title (it may hold a name)."""
    defaults = type(settings)()
    settings = dataclasses.replace(settings, title=defaults.title, base_url=None)
    return redact_records(records), settings


# --- amounts ------------------------------------------------------------------------------


def band_floor(amount: float) -> float:
    """The smallest amount of ``amount``'s band: a number that tells no more than the band."""
    if amount <= 0:
        return 0.0
    if amount <= SMALL:
        return 1.0
    if amount <= MEDIUM:
        return 251.0
    return 1001.0


def scrub_amounts(text: str, currency: str) -> str:
    """Every amount written in ``text`` as its band (in ``currency``), except the rule
    constants. Whatever currency a sentence was written in: any known symbol before a number
    (``$``, ``€``, ...) and ``currency`` or any known code after it (``1,234 CHF``)."""
    symbols = sorted({*CURRENCY_SYMBOLS.values(), "$"}, key=len, reverse=True)
    codes = sorted({*CURRENCY_CODES, currency})
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    before = "|".join(re.escape(s) for s in symbols)
    after = "|".join(re.escape(c) for c in codes)
    pattern = (rf"(?<![\w.,])(?:(?:{before})\s?(?P<pre>{number})(?!\w)"
               rf"|(?P<post>{number})\s?(?:{after})\b)")

    def band(match: re.Match[str]) -> str:
        value = float((match["pre"] or match["post"]).replace(",", ""))
        return match.group(0) if value in RULE_AMOUNTS else format_band(value, currency)

    return re.sub(pattern, band, text)


def scrub(value: T, currency: str) -> T:
    """``value`` with :func:`scrub_amounts` applied to every string inside it (dataclasses,
    tuples, lists and dicts are rebuilt only where something changed)."""
    return _scrub(value, currency)  # type: ignore[no-any-return]


def _scrub(value: Any, currency: str) -> Any:
    if isinstance(value, str):
        return scrub_amounts(value, currency)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _scrub(old, currency)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, (tuple, list)):
        items = [_scrub(v, currency) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if hasattr(value, "_fields"):  # a named tuple
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, Mapping):
        pairs = {k: _scrub(v, currency) for k, v in value.items()}
        if all(pairs[k] is v for k, v in value.items()):
            return value
        return pairs
    return value


@dataclasses.dataclass(frozen=True)
class RedactedEarnings(Earnings):
    """Earnings with amounts as band floors and each month's payments as percent of all
    earnings (``months[i].by_client``)."""

    @property
    def last_12_months_text(self) -> str:
        return format_band(self.last_12_months, self.currency)

    @property
    def last_12_months_short(self) -> str:
        return self.last_12_months_text


def redact_earnings(e: Earnings) -> RedactedEarnings:
    total = sum(m.total for m in e.months)

    def share(amount: float) -> float:
        return round(100.0 * amount / total, 1) if total > 0 else 0.0

    months = tuple(MonthEarnings(m.month, tuple((client, share(amount))
                                                for client, amount in m.by_client))
                   for m in e.months)
    return RedactedEarnings(e.currency, band_floor(e.last_12_months), band_floor(e.total),
                            months, e.clients)


def redact_report(report: Report) -> Report:
    """The computed report with every amount banded; its names were redacted before."""
    currency = report.currency
    earned_12 = report.earnings.last_12_months
    checks = tuple(
        dataclasses.replace(check, detail=f"{format_band(earned_12, currency)} earned")
        if check.name.endswith("earned in the last 12 months") else check
        for check in report.top_rated.checks)
    report = dataclasses.replace(
        report,
        rows=tuple(dataclasses.replace(r, earned=band_floor(r.earned), comment=None, notes=None)
                   for r in report.rows),
        earnings=redact_earnings(report.earnings),
        top_rated=dataclasses.replace(report.top_rated, checks=checks),
        redacted=True,
    )
    # The history is only dates and percentages; everything else may hold a sentence.
    history = report.history
    return dataclasses.replace(scrub(dataclasses.replace(report, history=()), currency),
                               history=history)


def redact_json(data: dict[str, Any], currency: str) -> dict[str, Any]:
    """report.json of a redacted report: bands instead of the band floors, and shares said
    to be shares."""
    for entry in data.get("contracts", ()):
        if isinstance(entry.get("earned"), (int, float)):
            entry["earned"] = format_band(entry["earned"], currency)
    earnings = data.get("earnings")
    if isinstance(earnings, dict):
        for key in ("last_12_months", "total"):
            if isinstance(earnings.get(key), (int, float)):
                earnings[key] = format_band(earnings[key], currency)
        earnings["by_month_unit"] = "percent of all earnings"
    return scrub(data, currency)
