"""The records the model works on: plain frozen values, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import NamedTuple

CONTRACT_TYPES = ("fixed", "hourly")
ENDED_BY = ("client", "freelancer", "platform")
END_REASONS = ("completed", "unresponsive", "cancelled", "dispute", "refunded", "other")
SCORE_NAMES = ("skills", "quality", "availability", "deadlines", "communication", "cooperation")


def whole_months(start: dt.date, later: dt.date) -> int:
    """Whole months from ``start`` to ``later`` (a month ends on the same day-of-month)."""
    months = (later.year - start.year) * 12 + later.month - start.month
    if later.day < start.day:
        months -= 1
    return months


class Payment(NamedTuple):
    """A payment: a named pair, so that the records cache stores and reads back the hundreds
    of thousands of a long history as plain tuples (several times faster than objects)."""

    date: dt.date
    amount: float


@dataclass(frozen=True)
class Feedback:
    """A client's feedback on a contract: public stars and scores, the private 0-10 rating when
    known, and the comment; not yet visible before ``date``."""

    date: dt.date | None = None
    stars: float | None = None  # public overall, 1.0-5.0
    scores: tuple[tuple[str, float], ...] = ()  # sorted (name, 1-5) pairs
    recommend: int | None = None  # private 0-10, when known
    comment: str | None = None

    def visible_on(self, on: dt.date) -> bool:
        return self.date is None or self.date <= on


@dataclass(frozen=True)
class Contract:
    """One contract record (docs/records.md section 4), with prefix tables over its payments so
    that every "as of a date" question is a bisect."""

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
    _dates: tuple[dt.date, ...] = field(default=(), init=False, repr=False, compare=False)
    _earned: tuple[float, ...] = field(default=(), init=False, repr=False, compare=False)
    _periods: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)
    _max_gap: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Prefix tables over the payments make every "as of a date" question a bisect, so the
        # history can ask them at every update date without quadratic cost.
        pays = tuple(self.payments)  # the same tuple when it is one
        if not pays and self.earned:
            when = self.last_payment or self.end or self.start
            pays = (Payment(when, self.earned),)
        dates = tuple([p.date for p in pays])
        if list(dates) != sorted(dates):  # records come sorted (input.recordcheck)
            pays = tuple(sorted(pays, key=lambda p: p.date))
            dates = tuple([p.date for p in pays])
        cum, periods, gaps = [0.0], [0], [0]
        total, count, seen_period, widest, before = 0.0, 0, -1, 0, None
        start = self.start
        for p in pays:
            total += p.amount
            cum.append(total)
            period = whole_months(start, p.date) // 3
            if period != seen_period:
                count += 1
                seen_period = period
            periods.append(count)
            if before is not None:
                gap = (p.date - before).days
                if gap > widest:
                    widest = gap
            gaps.append(widest)
            before = p.date
        put = object.__setattr__
        put(self, "_effective", pays)
        put(self, "_dates", dates)
        refunded = self.refunded  # earnings less refunds (never below zero) after each payment
        put(self, "_earned", tuple([max(0.0, round(x - refunded, 2)) for x in cum]))
        put(self, "_periods", tuple(periods))
        put(self, "_max_gap", tuple(gaps))

    def evolve(self, **changes: object) -> Contract:
        """``dataclasses.replace`` that keeps the payment tables when the changes cannot alter
        them: the advice re-scores thousands of what-ifs (ended now, another private rating),
        and rebuilding the tables for each would cost more than scoring it."""
        if changes.keys() & _TABLE_INPUTS or ("end" in changes and _end_dates_earned(self)):
            return replace(self, **changes)  # type: ignore[arg-type]
        unknown = changes.keys() - _FIELDS
        if unknown:
            raise TypeError(f"Contract has no field {sorted(unknown)[0]!r}")
        new = object.__new__(Contract)
        state = dict(self.__dict__)
        state.update(changes)
        new.__dict__.update(state)
        return new

    def paid_by(self, on: dt.date, **changes: object) -> Contract:
        """The contract with only the payments made by ``on`` (itemised: ``earned`` becomes
        its one payment), and ``changes``. The tables over a prefix of the payments are
        prefixes of the tables, so they are cut, not rebuilt."""
        if changes.keys() & _TABLE_INPUTS or changes.keys() - _FIELDS:
            raise TypeError(f"paid_by cannot change {sorted(changes)}")
        n = self.paid_count(on)
        new = object.__new__(Contract)
        state = dict(self.__dict__)
        state.update(changes)
        state.update(payments=self._effective[:n], earned=None, last_payment=None,
                     _effective=self._effective[:n], _dates=self._dates[:n],
                     _earned=self._earned[: n + 1], _periods=self._periods[: n + 1],
                     _max_gap=self._max_gap[: n + 1])
        new.__dict__.update(state)
        return new

    @property
    def effective_payments(self) -> tuple[Payment, ...]:
        """Itemised payments, or ``earned`` as one payment on ``last_payment``."""
        return self._effective

    def paid_count(self, on: dt.date) -> int:
        """How many payments were made up to and including ``on``."""
        return bisect_right(self._dates, on)

    def paid_until(self, on: dt.date) -> tuple[Payment, ...]:
        return self._effective[: self.paid_count(on)]

    def earned_on(self, on: dt.date) -> float:
        """Gross earnings up to ``on``, less refunds (never below zero)."""
        return self.earned_of(self.paid_count(on))

    def earned_of(self, count: int) -> float:
        """Gross earnings of the first ``count`` payments, less refunds (never below zero)."""
        return self._earned[count]

    def earned_prefixes(self) -> tuple[float, ...]:
        """``earned_of(k)`` for every ``k`` from 0 to the number of payments."""
        return self._earned

    @property
    def total_earned(self) -> float:
        return self._earned[-1]

    def last_paid(self, on: dt.date) -> dt.date | None:
        return self.last_of(self.paid_count(on))

    def last_of(self, count: int) -> dt.date | None:
        """The date of the ``count``-th payment (None for none)."""
        return self._dates[count - 1] if count else None

    def first_paid(self) -> dt.date | None:
        return self._dates[0] if self._dates else None

    def paid_periods(self, on: dt.date) -> int:
        """Distinct 3-month periods of the contract's life (from start) with a payment."""
        return self._periods[self.paid_count(on)]

    def periods_of(self, count: int) -> int:
        """``paid_periods`` counting the first ``count`` payments."""
        return self._periods[count]

    def max_payment_gap(self, on: dt.date) -> int:
        """The longest gap in days between consecutive payments up to ``on``."""
        return self._max_gap[self.paid_count(on)]

    def max_gap_of(self, count: int) -> int:
        """``max_payment_gap`` over the first ``count`` payments."""
        return self._max_gap[count]

    def is_open(self, on: dt.date) -> bool:
        return self.end is None or self.end > on

    def started(self, on: dt.date) -> bool:
        return self.start <= on


_TABLE_INPUTS = frozenset({"start", "payments", "earned", "last_payment", "refunded"})
_FIELDS = frozenset(f.name for f in fields(Contract) if f.init)


@lru_cache(maxsize=1)
def record_fields() -> tuple[str, ...]:
    """The fields of a contract record (docs/records.md), without the tables derived from
    them: what a signature or a cache key of a contract is made of."""
    return tuple(f.name for f in dataclasses.fields(Contract) if not f.name.startswith("_"))


# Fields that only describe a contract: no rule of the model reads them (nor the feedback's
# comment). The verdict signature (model.history) is made of every other field.
DESCRIPTIVE_FIELDS = ("title", "notes", "source")
FEEDBACK_FIELDS = tuple(f.name for f in dataclasses.fields(Feedback))


def _end_dates_earned(c: Contract) -> bool:
    """Whether ``earned`` without itemised payments is dated by the end (see __post_init__)."""
    return not c.payments and bool(c.earned) and c.last_payment is None


@dataclass(frozen=True)
class Snapshot:
    """What the platform showed on a date."""

    date: dt.date
    jss: int | None = None
    would_recommend: int | None = None


@dataclass(frozen=True)
class Profile:
    """The freelancer as ``content/profile.yml`` describes them: name, currency, rule set, the
    report's date and the snapshots of what the platform showed."""

    name: str
    currency: str = "USD"
    rules: str = "auto"
    as_of: dt.date | None = None
    snapshots: tuple[Snapshot, ...] = ()


@dataclass(frozen=True)
class CloseAction:
    """A scenario action: the open contract ``contract`` ends on ``on``, with ``feedback`` or
    none."""

    contract: str
    on: dt.date
    feedback: Feedback | None = None


@dataclass(frozen=True)
class AddAction:
    """A scenario action: a whole new contract record is added."""

    contract: Contract


@dataclass(frozen=True)
class Scenario:
    """A what-if from ``content/scenarios/*.yml``: its name and its actions, applied in order to
    the records."""

    name: str
    actions: tuple[CloseAction | AddAction, ...]
    slug: str = ""
    action_lines: tuple[int, ...] = ()  # the line of each action in its file (input stage)
