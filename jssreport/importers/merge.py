"""Merge imported contracts into a records file without touching what the user wrote.

A contract is recognised by its ``source`` (kept when the user renames its id or title), then
by its id. Only three things ever change in a contract already on file: payments not yet
there are added (compared as a multiset of (date, amount), since two equal payments on one
day are legitimate), ``refunded`` is raised to the refund total found in the exports (it
never goes down, so importing a subset of the files later changes nothing; a smaller total
is reported, since it may be a new refund), and ``start`` moves earlier if a payment
predates it. New contracts are appended.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jssreport.errors import JssReportError, Problem
from jssreport.importers.yaml_writer import CENT, money
from jssreport.input.yamlload import YMap, YSeq, parse_yaml, read_bytes

Pay = tuple[date, Decimal]
MAX_ID_LENGTH = 48


@dataclass
class ImportedContract:
    """One contract as the exports show it."""

    client: str
    title: str
    source: str
    hourly: bool = False
    payments: list[Pay] = field(default_factory=list)
    refunded: Decimal = Decimal(0)
    last_refund: date | None = None
    hours: Decimal = Decimal(0)
    rates: set[Decimal] = field(default_factory=set)

    @property
    def start(self) -> date | None:
        return min(p[0] for p in self.payments) if self.payments else None

    @property
    def gross(self) -> Decimal:
        return sum((p[1] for p in self.payments), Decimal(0))


@dataclass
class MergeResult:
    """The records file after a merge (``doc``) and what the merge did: the counts, one line per
    change, the warnings, and the id of each imported source's record."""

    doc: dict[str, Any]
    changed: bool = False
    contracts_added: int = 0
    payments_added: int = 0
    refunds_recorded: int = 0
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # source -> id of the record


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0] or slug[:MAX_ID_LENGTH]
    return slug


def contract_id(client: str, title: str) -> str:
    same = title.casefold().startswith(client.casefold())
    return slugify(title if same else f"{client} {title}") or "contract"


def load_yaml(path: Path, shown: str) -> Any:
    """A records file as plain values, read like the records loader reads it (safely, no
    aliases); its problems are raised, since merging into a broken file could lose data."""
    data, problem = read_bytes(path, shown)
    if problem is not None or data is None:
        raise JssReportError([problem or Problem(shown, 0, "", "cannot be read")])
    value, problems = parse_yaml(data, shown)
    if problems:
        raise JssReportError(problems)
    return _plain(value)


def _plain(value: Any) -> Any:
    if value.__class__ is YMap:
        return {k: _plain(v) for k, v in value.values.items()}
    if value.__class__ is YSeq:
        return [_plain(v) for v in value.items]
    return value


def contracts_of(doc: Any, shown: str) -> list[Any]:
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise JssReportError([Problem(file=shown, message="expected a mapping with 'contracts:'")])
    contracts = doc.get("contracts")
    if contracts is None:
        return []
    if not isinstance(contracts, list):
        raise JssReportError([Problem(file=shown, message="'contracts' must be a list")])
    return contracts


def _cents(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value)).quantize(CENT)


def _payments_on_file(record: dict[str, Any], shown: str) -> Counter[Pay]:
    where = f"contract '{record.get('id', '?')}'"
    items = record.get("payments") or []
    found: Counter[Pay] = Counter()
    ok = isinstance(items, list)
    for item in items if ok else []:
        amount = _cents(item.get("amount")) if isinstance(item, dict) else None
        when = item.get("date") if isinstance(item, dict) else None
        if amount is None or not isinstance(when, date):
            ok = False
            break
        found[(when, amount)] += 1
    if not ok:
        raise JssReportError([Problem(file=shown, where=where, message=(
            "payments must be a list of {date, amount}; fix it before importing"))])
    return found


def _missing(imported: Sequence[Pay], on_file: Counter[Pay]) -> list[Pay]:
    left = Counter(on_file)
    missing = []
    for pay in sorted(imported):
        if left[pay] > 0:
            left[pay] -= 1
        else:
            missing.append(pay)
    return missing


@dataclass
class OtherFiles:
    """Ids and sources of contracts kept in the project's other record files."""

    ids: set[str] = field(default_factory=set)
    sources: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


def read_other_files(paths: Sequence[tuple[Path, str]]) -> OtherFiles:
    other = OtherFiles()
    for path, shown in paths:
        for record in contracts_of(load_yaml(path, shown), shown):
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("id"), str):
                other.ids.add(record["id"])
            if isinstance(record.get("source"), str):
                other.sources.setdefault(record["source"], (shown, record))
    return other


def _usd(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def merge(doc: Any, shown: str, imported: Sequence[ImportedContract],
          other: OtherFiles) -> MergeResult:
    """Merge ``imported`` (in a fixed order) into ``doc``, the loaded ``into`` file."""
    records = contracts_of(doc, shown)
    out = MergeResult(doc=dict(doc) if isinstance(doc, dict) else {})
    records = list(records)
    out.doc["contracts"] = records
    by_source: dict[str, dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        if isinstance(record, dict):
            if isinstance(record.get("source"), str):
                by_source.setdefault(record["source"], record)
            if isinstance(record.get("id"), str):
                by_id.setdefault(record["id"], record)
    taken = set(by_id) | other.ids

    refunds: dict[int, tuple[dict[str, Any], Decimal]] = {}  # id(record) -> (record, total)
    orphans: list[ImportedContract] = []
    created: set[int] = set()
    for contract in imported:
        record = by_source.get(contract.source)
        if record is None and contract.source in other.sources:
            where, elsewhere = other.sources[contract.source]
            new = _missing(contract.payments, _payments_on_file(elsewhere, where))
            out.ids[contract.source] = str(elsewhere.get("id"))
            if new:
                out.warnings.append(
                    f"{_count(len(new), 'new payment')} of '{elsewhere.get('id')}' not added: "
                    f"it is in {where}, which the importer does not edit; add them by hand")
            continue
        slug = contract_id(contract.client, contract.title)
        if record is None and slug in by_id and "source" not in by_id[slug]:
            record = by_id[slug]  # written by hand before the first import
        if record is None and not contract.payments:
            orphans.append(contract)  # a refund only: its payments came in an older export
            continue
        if record is None:
            record = _add(contract, slug, taken, records, out)
            created.add(id(record))
        else:
            _update(contract, record, out, shown)
        if contract.refunded:
            total = refunds.get(id(record), (record, Decimal(0)))[1] + contract.refunded
            refunds[id(record)] = (record, total)

    for contract in orphans:
        # The refund's summary names no contract on file: the client's contract paid most
        # recently before it is the best guess.
        record = _client_record(records, contract.client, contract.last_refund)
        if record is None:
            out.warnings.append(
                f"refund of {_usd(contract.refunded)} to {contract.client} ({contract.title}) "
                f"not recorded: no payments from that client in these files or in {shown}")
            continue
        out.ids[contract.source] = str(record.get("id"))
        total = refunds.get(id(record), (record, Decimal(0)))[1] + contract.refunded
        refunds[id(record)] = (record, total)
    for record, total in refunds.values():
        _refund(record, total, id(record) in created, out, shown)
    return out


def _client_record(records: Sequence[Any], client: str,
                   when: date | None) -> dict[str, Any] | None:
    best: tuple[date, int, dict[str, Any]] | None = None
    first: tuple[date, int, dict[str, Any]] | None = None
    for i, record in enumerate(records):
        if not isinstance(record, dict) or record.get("client") != client:
            continue
        items = record.get("payments")
        dates = sorted(p["date"] for p in items if isinstance(p, dict)
                       and isinstance(p.get("date"), date)) if isinstance(items, list) else []
        if not dates:
            continue
        if first is None or (dates[0], i) < first[:2]:
            first = (dates[0], i, record)
        before = [d for d in dates if when is None or d <= when]
        if before and (best is None or before[-1] > best[0]):
            best = (before[-1], i, record)
    chosen = best or first
    return chosen[2] if chosen else None


def _add(contract: ImportedContract, slug: str, taken: set[str], records: list[Any],
         out: MergeResult) -> dict[str, Any]:
    start = contract.start
    assert start is not None  # only contracts with payments are added
    new_id, n = slug, 1
    while new_id in taken:
        n += 1
        new_id = f"{slug}-{n}"
    taken.add(new_id)
    record: dict[str, Any] = {
        "id": new_id, "client": contract.client, "title": contract.title,
        "type": "hourly" if contract.hourly else "fixed", "start": start,
        "payments": [{"date": d, "amount": a} for d, a in sorted(contract.payments)],
        "source": contract.source,
    }  # fmt: skip
    records.append(record)
    out.ids[contract.source] = new_id
    out.changed = True
    out.contracts_added += 1
    out.payments_added += len(contract.payments)
    hours = f", {contract.hours:.2f} h" if contract.hours else ""
    out.changes.append(
        f"new contract {new_id}: {contract.client} / {contract.title}, {record['type']}, "
        f"{_count(len(contract.payments), 'payment')}, {_usd(contract.gross)}{hours}")
    return record


def _update(contract: ImportedContract, record: dict[str, Any], out: MergeResult,
            shown: str) -> None:
    rid = str(record.get("id"))
    out.ids[contract.source] = rid
    new = _missing(contract.payments, _payments_on_file(record, shown))
    if new and record.get("earned") is not None and not record.get("payments"):
        out.warnings.append(f"{_count(len(new), 'new payment')} of '{rid}' not added: its "
                            "earnings are a total ('earned'), not itemised payments")
        new = []
    if new:
        payments = list(record.get("payments") or [])
        payments.extend({"date": d, "amount": a} for d, a in new)
        payments.sort(key=lambda p: p["date"])
        record["payments"] = payments
        out.changed = True
        out.payments_added += len(new)
        total = sum((a for _, a in new), Decimal(0))
        out.changes.append(f"{rid}: {_count(len(new), 'new payment')}, {_usd(total)}")
        start = record.get("start")
        if isinstance(start, date) and new[0][0] < start:
            record["start"] = new[0][0]
            out.changes.append(f"{rid}: start moved to {new[0][0].isoformat()}, its first "
                               "payment")


def _refund(record: dict[str, Any], total: Decimal, created: bool, out: MergeResult,
            shown: str) -> None:
    """Raise ``refunded`` to the exports' refund total, at most what was paid (the records
    cannot refund more); never lower it."""
    rid = str(record.get("id"))
    paid = sum((a for _, a in _payments_on_file(record, shown).elements()), Decimal(0))
    if total > paid:
        out.warnings.append(
            f"'{rid}': refunds of {_usd(total)} are more than the {_usd(paid)} of payments "
            f"found; recorded {_usd(paid)} (import the older exports too)")
        total = paid
    on_file = _cents(record.get("refunded", 0)) or Decimal(0)
    if total > on_file:
        record["refunded"] = total
        out.changed = True
        out.refunds_recorded += 1
        change = _usd(total) if created else f"{money(on_file)} -> {money(total)}"
        out.changes.append(f"{rid}: refunded {change}")
    elif total < on_file:
        # Without a ledger of refund rows, a new refund in an export that does not repeat
        # the old ones cannot be told from one already counted: say so instead of guessing.
        out.warnings.append(
            f"'{rid}': these exports refund {_usd(total)} and the record has "
            f"{_usd(on_file)} refunded; if the {_usd(total)} is new, add it by hand")
