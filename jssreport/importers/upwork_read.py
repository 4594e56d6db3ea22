"""Read Upwork CSV exports into earnings and refunds, counting every row left out and why.

Rows that are not earnings (fees, taxes, withdrawals, Connects, card payments) are counted by
reason; fees and taxes are also summed so a report can show gross and net. Pending rows are
skipped before duplicates are looked for, so a row that was pending in an older export is
still taken from a newer one.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from jssreport.errors import Problem
from jssreport.importers import upwork_layouts as lay
from jssreport.input.fields import MAX_AMOUNT, date_out_of_range, describe

MAX_PROBLEMS_PER_FILE = 20
PROGRESS_EVERY = 10_000
PENDING = "pending"
DUPLICATE = "duplicate"
ZERO = "zero amount"
LEGACY_HOURLY_TITLE = "Hourly work"
UNTITLED = "Untitled contract"

Progress = Callable[[str, int, bool], None]  # (file, rows so far, finished)


@dataclass(frozen=True, slots=True)
class Transaction:
    """An earning (a payment of a contract) or a refund to the client, amount > 0."""

    file: str
    line: int
    date: date
    kind: str  # lay.EARNING or lay.REFUND
    earning: str  # hourly | fixed | bonus
    amount: Decimal
    client: str
    title: str | None  # None: a legacy bonus or refund, placed on a contract later
    contract_id: str | None  # the Weekly Summary's contract number
    hours: Decimal | None = None
    rate: Decimal | None = None


@dataclass
class ReadResult:
    """Everything read from the exports: the earnings and refunds, the rows skipped by reason,
    the fee and tax totals, and the problems."""

    transactions: list[Transaction] = field(default_factory=list)
    rows_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    rows_by_layout: Counter[str] = field(default_factory=Counter)
    fees: Decimal = Decimal(0)  # service fees paid, less fees given back
    taxes: Decimal = Decimal(0)
    fees_by_client: dict[str, Decimal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A spreadsheet program re-saved the export in the Windows code page.
        return data.decode("cp1252")


class _Reader:
    """State shared across files: duplicates are looked for across all of them."""

    def __init__(self, today: date, progress: Progress | None) -> None:
        self.today = today
        self.progress = progress
        self.result = ReadResult()
        self.seen_ids: set[tuple[object, ...]] = set()
        # Rows without any id (Weekly Summary): an overlapping export repeats them, but two
        # equal rows in one export are two payments. Keep, per row, the largest number of
        # copies any one export (or header-delimited section) has.
        self.kept_copies: Counter[tuple[object, ...]] = Counter()
        self.settled_seen = False  # a row with a balance was seen in this export section

    def read(self, path: Path, shown: str) -> None:
        res = self.result
        try:
            text = _decode(path.read_bytes())
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            res.problems.append(Problem(file=shown, message=f"cannot read the file: {why}"))
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        layout: lay.Layout | None = None
        col: dict[str, int] = {}
        section_copies: Counter[tuple[object, ...]] = Counter()
        problems: list[Problem] = []
        bad_rows = 0
        rows = 0
        last_line = 0
        try:
            for cells in reader:
                line, last_line = last_line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if layout is None or "date" in cells[0].casefold():
                    found = lay.detect_layout(cells)
                    if found is not None:  # first header, or concatenated exports
                        layout, col = found, lay.column_index(found, cells)
                        section_copies = Counter()
                        self.settled_seen = False
                        continue
                    if layout is None:
                        problems.append(Problem(shown, line, "",
                                                lay.unknown_header_message(cells)))
                        break
                rows += 1
                res.rows_by_layout[layout.name] += 1
                problem = self._row(cells, col, layout, shown, line, section_copies)
                if problem:
                    bad_rows += 1
                    if len(problems) < MAX_PROBLEMS_PER_FILE:
                        problems.append(problem)
                if self.progress and rows % PROGRESS_EVERY == 0:
                    self.progress(shown, rows, False)
        except csv.Error as exc:
            problems.append(Problem(shown, reader.line_num, "", f"cannot read CSV: {exc}"))
        if layout is None and not problems:
            problems.append(Problem(shown, 0, "", "empty file: expected an Upwork export"))
        if bad_rows > MAX_PROBLEMS_PER_FILE:
            more = bad_rows - MAX_PROBLEMS_PER_FILE
            problems.append(Problem(shown, 0, "", f"... and {more} more bad rows"))
        res.problems.extend(problems)
        res.rows_read += rows
        if self.progress and rows >= PROGRESS_EVERY:
            self.progress(shown, rows, True)

    def _row(self, cells: list[str], col: dict[str, int], layout: lay.Layout, shown: str,
             line: int, section_copies: Counter[tuple[object, ...]]) -> Problem | None:
        res = self.result
        width = len(cells)
        values = {role: cells[i].strip() for role, i in col.items() if i < width}
        cell = values.get  # every call passes "" for a column this layout lacks

        raw_date, raw_amount = cell("date", ""), cell("amount", "")
        when = lay.parse_date(raw_date)
        if when is None:
            return Problem(shown, line, "", f"cannot read the date {raw_date!r}")
        amount = lay.parse_amount(raw_amount)
        if amount is None:
            return Problem(shown, line, "", f"cannot read the amount {raw_amount!r}")
        bad = date_out_of_range(when)
        if bad:
            return Problem(shown, line, "", f"the date {raw_date!r} {bad}")
        if abs(amount) > MAX_AMOUNT:
            return Problem(shown, line, "", f"the amount {describe(raw_amount)} is more than "
                           f"{MAX_AMOUNT:,}, the most a record may hold")
        type_text = cell("type", "")
        hours_cell = cell("hours", "")
        if layout.contract and not type_text:
            type_text = "Hourly" if hours_cell else "Fixed Price"  # Weekly Summary
        details, title_cell = cell("details", ""), cell("title", "")
        kind, earning = lay.classify(type_text, amount < 0, f"{title_cell} {details}")
        if layout.contract and kind == lay.OTHER:  # Weekly Summary: "Manual time" and the like
            earning = "hourly" if hours_cell else "fixed"
            kind = lay.REFUND if amount < 0 else lay.EARNING

        # Pending: paid out later. Not recorded as seen, so the settled row still counts.
        # Upwork leaves the balance empty until a payment clears; rows are newest first, so
        # rows without a balance above the first row with one were pending when exported,
        # whatever today's date is.
        balance = cell("balance", "")
        if "balance" in col and not balance and (when > self.today or not self.settled_seen):
            res.skipped[PENDING] += 1
            return None
        if balance:
            self.settled_seen = True
        txid, refid = cell("txid", ""), cell("refid", "")
        if txid or refid:
            key: tuple[object, ...] = (txid, refid, lay.normalize(type_text), amount)
            if key in self.seen_ids:
                res.skipped[DUPLICATE] += 1
                return None
            self.seen_ids.add(key)
        else:
            row_key = (layout.name, when, cell("client", ""), title_cell, cell("contract", ""),
                       lay.normalize(type_text), amount, hours_cell, details)  # fmt: skip
            section_copies[row_key] += 1
            if section_copies[row_key] <= self.kept_copies[row_key]:
                res.skipped[DUPLICATE] += 1
                return None
            self.kept_copies[row_key] = section_copies[row_key]

        client = cell("client", "") or cell("account", "") or "Unknown client"
        if kind in (lay.FEE, lay.TAX):
            if kind == lay.FEE:
                res.fees -= amount
                res.fees_by_client[client] = res.fees_by_client.get(client, Decimal(0)) - amount
            else:
                res.taxes -= amount
            res.skipped[kind] += 1
            return None
        if kind not in (lay.EARNING, lay.REFUND):
            reason = f"other: {type_text or '(no type)'}" if kind == lay.OTHER else kind
            res.skipped[reason] += 1
            return None
        if amount == 0:
            res.skipped[ZERO] += 1
            return None

        contract_id: str | None = None
        title: str | None
        hours = rate = None
        if layout.contract:
            title, contract_id = lay.weekly_contract(cell("contract", ""))
            client = title  # no client column: each contract stands for its own client
            if hours_cell and earning == "hourly":
                hours = lay.parse_amount(hours_cell)
                if hours:
                    rate = (abs(amount) / hours).quantize(Decimal("0.01"))
        elif layout.title:
            title = title_cell or (LEGACY_HOURLY_TITLE if earning == "hourly" else UNTITLED)
        elif earning == "hourly":
            title = LEGACY_HOURLY_TITLE  # legacy hourly invoices do not name the contract
        elif earning == "fixed":
            title = lay.legacy_title(details) or "Fixed-price work"
        else:
            title = None
        if hours is None and earning == "hourly":
            hours, rate = lay.parse_hours(details)
        res.transactions.append(Transaction(
            file=shown, line=line, date=when, kind=kind, earning=earning, amount=abs(amount),
            client=client, title=title, contract_id=contract_id, hours=hours, rate=rate,
        ))  # fmt: skip
        return None


def read_exports(files: Sequence[tuple[Path, str]], today: date,
                 progress: Progress | None = None) -> ReadResult:
    """Read every ``(path, shown name)`` in order; problems are collected, not raised."""
    reader = _Reader(today, progress)
    for path, shown in files:
        reader.read(path, shown)
    return reader.result
