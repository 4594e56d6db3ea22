"""The records the model works on: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt

CONTRACT_TYPES = ("fixed", "hourly")
ENDED_BY = ("client", "freelancer", "platform")
END_REASONS = ("completed", "unresponsive", "cancelled", "dispute", "refunded", "other")
SCORE_NAMES = ("skills", "quality", "availability", "deadlines", "communication", "cooperation")


@dataclass(frozen=True)
class Payment:
    date: dt.date
    amount: float


@dataclass(frozen=True)
class Feedback:
    date: dt.date | None = None
    stars: float | None = None  # public overall, 1.0-5.0
    scores: tuple[tuple[str, float], ...] = ()  # sorted (name, 1-5) pairs
    recommend: int | None = None  # private 0-10, when known
    comment: str | None = None

    def visible_on(self, on: dt.date) -> bool:
        return self.date is None or self.date <= on


@dataclass(frozen=True)
class Contract:
    id: str
    client: str
    title: str
    type: str  # fixed | hourly
    start: dt.date
    end: dt.date | None = None
    paused: bool = False
    payments: tuple[Payment, ...] = ()  # sorted by date
    earned: float | None = None  # total, when payments are not itemised
    last_payment: dt.date | None = None  # with earned
    refunded: float = 0.0
    feedback: Feedback | None = None
    ended_by: str | None = None
    end_reason: str | None = None
    dispute: bool = False
    client_flagged: bool = False
    removed: bool = False
    last_activity: dt.date | None = None
    notes: str | None = None
    source: str | None = None  # where an importer found it
    _effective: tuple[Payment, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pays = self.payments
        if not pays and self.earned:
            when = self.last_payment or self.end or self.start
            pays = (Payment(when, self.earned),)
        object.__setattr__(self, "_effective", tuple(sorted(pays, key=lambda p: p.date)))

    @property
    def effective_payments(self) -> tuple[Payment, ...]:
        """Itemised payments, or ``earned`` as one payment on ``last_payment``."""
        return self._effective

    def paid_until(self, on: dt.date) -> tuple[Payment, ...]:
        return tuple(p for p in self._effective if p.date <= on)

    def earned_on(self, on: dt.date) -> float:
        """Gross earnings up to ``on``, less refunds (never below zero)."""
        total = sum(p.amount for p in self._effective if p.date <= on)
        return max(0.0, round(total - self.refunded, 2))

    @property
    def total_earned(self) -> float:
        total = sum(p.amount for p in self._effective)
        return max(0.0, round(total - self.refunded, 2))

    def last_paid(self, on: dt.date) -> dt.date | None:
        last = None
        for p in self._effective:
            if p.date <= on:
                last = p.date
        return last

    def is_open(self, on: dt.date) -> bool:
        return self.end is None or self.end > on

    def started(self, on: dt.date) -> bool:
        return self.start <= on


@dataclass(frozen=True)
class Snapshot:
    """What the platform showed on a date."""

    date: dt.date
    jss: int | None = None
    would_recommend: int | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    currency: str = "USD"
    rules: str = "auto"
    as_of: dt.date | None = None
    snapshots: tuple[Snapshot, ...] = ()


@dataclass(frozen=True)
class CloseAction:
    contract: str
    on: dt.date
    feedback: Feedback | None = None


@dataclass(frozen=True)
class AddAction:
    contract: Contract


@dataclass(frozen=True)
class Scenario:
    name: str
    actions: tuple[CloseAction | AddAction, ...]
    slug: str = ""
