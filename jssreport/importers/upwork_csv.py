"""``jssreport import upwork-csv``: Upwork transaction exports -> contract records, merged.

Reading is ``upwork_read`` (with the layouts in ``upwork_layouts``), merging ``merge``, writing
``yaml_writer``; this module groups transactions into contracts and runs the stages. The
decisions a user should know are listed in tests/fixtures/upwork-csv/README.md, in short:

- Contracts are grouped by client and contract title (``Transaction Summary``). Legacy exports
  name a fixed-price contract only in the invoice text and an hourly one not at all, so a
  client's legacy hourly invoices form one contract "Hourly work"; a legacy bonus or refund
  goes to that client's contract paid most recently on or before it.
- The Weekly Summary has no client column: each contract's title stands in for its client
  (``source: upwork-csv:contract/<contract id>`` still recognises it once edited).
- ``source`` is ``upwork-csv:<client>/<title>``, so renaming the id, title or client by hand
  does not make a re-import create the contract again.
- Fee and tax totals are in the summary only: the record format has no field for them.
"""

from __future__ import annotations

import copy
import os
import sys
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from jssreport.errors import JssReportError, Problem
from jssreport.importers import upwork_layouts as lay
from jssreport.importers.keepcomments import merged_text
from jssreport.importers.merge import (
    ImportedContract,
    MergeResult,
    OtherFiles,
    load_yaml,
    merge,
    read_other_files,
)
from jssreport.importers.upwork_read import ReadResult, Transaction, read_exports
from jssreport.importers.yaml_writer import render_contracts
from jssreport.paths import remove_leftovers

DEFAULT_INTO = Path("content/contracts/imported.yml")
HEADER = """\
# Contracts imported from Upwork exports by `jssreport import upwork-csv`.
# Edit freely (id, title, end, feedback, notes, ...): importing again only adds new payments
# and contracts, and recognises each contract by its `source`. Comments below this header
# are not kept when the importer rewrites the file.
"""


@dataclass(frozen=True)
class ContractStats:
    """What the exports say about one contract (for the dry-run listing and charts)."""

    id: str
    client: str
    title: str
    type: str
    payments: int
    gross: Decimal
    refunded: Decimal
    hours: Decimal
    rates: tuple[Decimal, ...]


@dataclass(frozen=True)
class ImportSummary:
    """What ``jssreport import upwork-csv`` read, skipped and added (or would add, on a dry run),
    with the gross, fee and tax totals of the exports."""

    rows_read: int
    rows_skipped: Mapping[str, int]  # reason -> rows, e.g. "fee", "pending", "duplicate"
    contracts_added: int
    payments_added: int
    refunds_recorded: int  # contracts whose `refunded` was set or raised
    fees_total: Decimal  # service fees in the exports, less fees given back
    taxes_total: Decimal = Decimal(0)
    gross_total: Decimal = Decimal(0)  # earnings in the exports, before fees
    fees_by_client: Mapping[str, Decimal] = field(default_factory=dict)
    rows_by_layout: Mapping[str, int] = field(default_factory=dict)
    contracts: tuple[ContractStats, ...] = ()
    changes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    into: str = ""
    dry_run: bool = False
    written: bool = False

    def lines(self) -> list[str]:
        layouts = ", ".join(f"{n:,} {name}" for name, n in sorted(self.rows_by_layout.items()))
        out = [f"Read {_count(self.rows_read, 'row')}" + (f" ({layouts})." if layouts else ".")]
        skipped = sum(self.rows_skipped.values())
        if skipped:
            reasons = sorted(self.rows_skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(f"Skipped {_count(skipped, 'row')}: " + ", ".join(
                f"{n:,} {reason}" for reason, n in reasons) + ".")
        if self.changes:
            verb = "Would add" if self.dry_run else "Added"
            out.append(f"{verb} {_count(self.contracts_added, 'contract')} and "
                       f"{_count(self.payments_added, 'payment')} to {self.into}.")
        elif not self.contracts:
            out.append("No earnings in these exports: nothing to add.")
        else:
            out.append(f"Nothing new: {self.into} already has every payment in these exports.")
        if self.refunds_recorded:
            verb = "Would record" if self.dry_run else "Recorded"
            out.append(f"{verb} refunds on {_count(self.refunds_recorded, 'contract')}.")
        out.append(f"Gross earnings in these exports: {_usd(self.gross_total)}; service fees "
                   f"{_usd(self.fees_total)}; taxes {_usd(self.taxes_total)}.")
        if self.changes and self.dry_run:
            out.append("Dry run: nothing was written.")
        out.extend(f"Warning: {w}" for w in self.warnings)
        return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _usd(amount: Decimal) -> str:
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def _today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(timezone.utc).date()  # UTC, like the report date


def _shown(path: Path, project: Path) -> str:
    """Paths in messages relative to the project when inside it, else as given."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return str(path)


def _stderr_progress(name: str, rows: int, done: bool) -> None:
    end = "\n" if done else ""
    sys.stderr.write(f"\r{name}: {rows:,} rows{' read' if done else '...'}{end}")
    sys.stderr.flush()


def group_contracts(transactions: Sequence[Transaction]) -> list[ImportedContract]:
    """Contracts in a fixed order (first payment, client, title)."""
    found: dict[tuple[str, str], ImportedContract] = {}
    floating: list[Transaction] = []
    for tx in transactions:
        if tx.title is None:
            floating.append(tx)
            continue
        _place(tx, _contract_for(found, tx, tx.title))
    # Legacy bonuses and refunds name no contract. Place them by the payments that do, so
    # the choice depends neither on file order nor on one another.
    by_client: dict[str, list[tuple[list[date], ImportedContract]]] = {}
    for key in sorted(found):
        contract = found[key]
        if contract.payments and key[0] != "#":
            dates = sorted(d for d, _ in contract.payments)
            by_client.setdefault(contract.client, []).append((dates, contract))
    for tx in floating:
        target = _latest_for(by_client.get(tx.client, []), tx.date)
        # With no contract of the client here, a refund waits for the merge, which looks
        # at the records on file; a bonus becomes a contract of its own.
        fallback = "Refund" if tx.kind == lay.REFUND else "Bonus"
        _place(tx, target or _contract_for(found, tx, fallback))
    ordered = sorted(found.values(), key=lambda c: (c.start or date.max, c.client, c.title,
                                                    c.source))
    return ordered


def _latest_for(mine: Sequence[tuple[list[date], ImportedContract]],
                when: date) -> ImportedContract | None:
    """The contract paid most recently on or before ``when``, else the first one paid."""
    best: tuple[date, ImportedContract] | None = None
    for dates, contract in mine:
        i = bisect_right(dates, when)
        if i and (best is None or dates[i - 1] > best[0]):
            best = (dates[i - 1], contract)
    if best is not None:
        return best[1]
    return min(mine, key=lambda dc: dc[0][0])[1] if mine else None


def _contract_for(found: dict[tuple[str, str], ImportedContract], tx: Transaction,
                  title: str) -> ImportedContract:
    if tx.contract_id:
        key = ("#", tx.contract_id)
        source = f"upwork-csv:contract/{tx.contract_id}"
    else:
        key = (tx.client, title)
        source = f"upwork-csv:{tx.client}/{title}"
    contract = found.get(key)
    if contract is None:
        contract = found[key] = ImportedContract(client=tx.client, title=title, source=source)
    return contract


def _place(tx: Transaction, contract: ImportedContract) -> None:
    if tx.kind == lay.REFUND:
        contract.refunded += tx.amount
        contract.last_refund = max(contract.last_refund or tx.date, tx.date)
        return
    contract.payments.append((tx.date, tx.amount))
    if tx.earning == "hourly":
        contract.hourly = True
        if tx.hours:
            contract.hours += tx.hours
        if tx.rate:
            contract.rates.add(tx.rate)


def _write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A dot name: the records loader skips it if we are killed before the rename. Not
    # mkstemp, whose 0600 mode would stick to the records file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _leading_comments(path: Path) -> str:
    """The comment block at the top of an existing file, kept verbatim on rewrite."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n" if any(line.strip() for line in lines) else ""


def run_import(project: Path, files: Sequence[Path], into: Path | None = None,
               dry_run: bool = False, echo: Callable[[str], None] = print,
               progress: bool = False, *, today: date | None = None) -> ImportSummary:
    """Import Upwork CSV exports into ``into`` (default content/contracts/imported.yml).

    Raises JssReportError for unreadable or unknown files and bad rows (all of them at once);
    nothing is written then. ``today`` decides which rows are still pending.
    """
    project = Path(project)
    target = project / (into if into is not None else DEFAULT_INTO)
    shown_into = _shown(target, project)
    tick = _stderr_progress if progress and sys.stderr.isatty() else None
    read: ReadResult = read_exports([(Path(f), _shown(Path(f), project)) for f in files],
                                    today or _today(), tick)
    if read.problems:
        raise JssReportError(read.problems)
    imported = group_contracts(read.transactions)

    contracts_dir = project / "content" / "contracts"
    others = sorted(p for p in [*contracts_dir.glob("*.yml"), *contracts_dir.glob("*.yaml")]
                    if p.resolve() != target.resolve())
    other: OtherFiles = read_other_files([(p, _shown(p, project)) for p in others])
    exists = target.is_file()
    doc = load_yaml(target, shown_into) if exists else None
    before = copy.deepcopy(doc) if isinstance(doc, dict) else {}  # merge changes doc's records
    result: MergeResult = merge(doc, shown_into, imported, other)

    written = False
    if result.changed:
        header = _leading_comments(target) if exists else HEADER
        # a hand-written file keeps its comments, or is not written (a dry run says so too)
        text = merged_text(target.read_text(encoding="utf-8"), before, result.doc, header,
                           shown_into) if exists else render_contracts(result.doc, header)
    if result.changed and not dry_run:
        try:
            remove_leftovers(target)
            _write_atomically(target, text)
        except OSError as exc:
            why = exc.strerror or str(exc)
            problem = Problem(file=shown_into, message=f"cannot write: {why}")
            raise JssReportError([problem]) from None
        written = True
    summary = _summary(read, imported, result, shown_into, dry_run, written)
    if dry_run:
        for change in summary.changes:
            echo(f"  {change}")
    for line in summary.lines():
        echo(line)
    return summary


def _summary(read: ReadResult, imported: Sequence[ImportedContract], result: MergeResult,
             into: str, dry_run: bool, written: bool) -> ImportSummary:
    stats = tuple(
        ContractStats(
            id=result.ids.get(c.source, ""), client=c.client, title=c.title,
            type="hourly" if c.hourly else "fixed", payments=len(c.payments), gross=c.gross,
            refunded=c.refunded, hours=c.hours, rates=tuple(sorted(c.rates)),
        )
        for c in imported
    )  # fmt: skip
    return ImportSummary(
        rows_read=read.rows_read,
        rows_skipped=dict(sorted(read.skipped.items())),
        contracts_added=result.contracts_added,
        payments_added=result.payments_added,
        refunds_recorded=result.refunds_recorded,
        fees_total=read.fees,
        taxes_total=read.taxes,
        gross_total=sum((c.gross for c in imported), Decimal(0)),
        fees_by_client=dict(sorted(read.fees_by_client.items())),
        rows_by_layout=dict(sorted(read.rows_by_layout.items())),
        contracts=stats,
        changes=tuple(result.changes),
        warnings=tuple(result.warnings),
        into=into,
        dry_run=dry_run,
        written=written,
    )
