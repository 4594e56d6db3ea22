"""Open contracts: active, quiet or dormant, from the days since the last sign of life.

Thresholds (days without a payment or recorded activity), per contract type:

- hourly: quiet after 14 days (two weekly billing cycles without hours), dormant after 30,
  when the platform warns the client about an inactive hourly contract [U];
- fixed: quiet after 30 days, dormant after 76, the day the platform sends its first notice
  before closing a fixed-price contract with escrow 90 days after the last milestone due date
  (notices on days 76 and 83; messages do not count as activity) [U].

The quiet thresholds are ours [I]. All four are configurable (``dormancy`` in jssreport.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jssreport.model.dormancy import Dormancy
from jssreport.model.types import Contract

__all__ = ["STATUSES", "Dormancy", "OpenStatus", "classify_open", "last_sign_of_life"]

STATUSES = ("active", "quiet", "dormant", "ended")


@dataclass(frozen=True)
class OpenStatus:
    """Whether one contract is active, quiet, dormant or ended on a date, how long it has been
    idle, and the thresholds that decided it."""

    contract_id: str
    status: str  # one of STATUSES
    idle_days: int | None  # None when ended
    since: date | None  # the last sign of life
    since_what: str  # "last payment" | "last activity" | "start" | "end"
    quiet_after: int
    dormant_after: int
    why: str
    source: str  # why the dormant threshold is where it is


def last_sign_of_life(contract: Contract, on: date) -> tuple[date, str]:
    """The latest of the last payment, the last recorded activity and the start, up to ``on``."""
    best, what = contract.start, "start"
    paid = contract.last_paid(on)
    if paid is not None and paid >= best:
        best, what = paid, "last payment"
    act = contract.last_activity
    if act is not None and act <= on and act > best:
        best, what = act, "last activity"
    return best, what


def activity_of(contract: Contract, on: date, thresholds: Dormancy | None = None
                ) -> tuple[str, int | None]:
    """``classify_open``'s status and idle days (an ended contract's without building its
    status: the contracts table asks this of every contract)."""
    if not contract.is_open(on):
        return "ended", None
    status = classify_open(contract, on, thresholds)
    return status.status, status.idle_days


def classify_open(contract: Contract, on: date, thresholds: Dormancy | None = None) -> OpenStatus:
    """Active, quiet or dormant (or ended) on ``on``, with the threshold used and why."""
    th = thresholds or Dormancy()
    quiet, dormant = th.thresholds(contract.type)
    if not contract.is_open(on):
        assert contract.end is not None
        return OpenStatus(contract.id, "ended", None, contract.end, "end", quiet, dormant,
                          f"ended on {contract.end.isoformat()}", th.source(contract.type))
    since, what = last_sign_of_life(contract, on)
    idle = max(0, (on - since).days)
    kind = f"{contract.type} contracts"
    if idle >= dormant:
        status = "dormant"
        why = (f"{idle} days since the {what} ({since.isoformat()}); {kind} are dormant after "
               f"{dormant} days")
    elif idle >= quiet:
        status = "quiet"
        why = (f"{idle} days since the {what} ({since.isoformat()}); {kind} are quiet after "
               f"{quiet} days and dormant after {dormant}")
    else:
        status = "active"
        why = f"{idle} days since the {what} ({since.isoformat()})"
    return OpenStatus(contract.id, status, idle, since, what, quiet, dormant, why,
                      th.source(contract.type))
