"""The frozen values a Report is made of; derived display values are properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jssreport.advice.toprated import CheckItem
from jssreport.textformat import format_money, format_money_short, format_points, kind_label


@dataclass(frozen=True)
class ContractRow:
    """One contract as the report shows it on ``as_of``."""

    id: str
    client: str
    title: str
    type: str
    start: date
    end: date | None
    is_open: bool
    paused: bool
    earned: float
    last_payment: date | None
    days_since_payment: int | None
    stars: float | None
    recommend: int | None
    comment: str | None
    notes: str | None
    outcome: str  # a model.outcomes.KINDS value
    credit: float
    weight: float
    reason: str
    contribution: float | None  # points of the displayed score: with minus without it
    dormant_days: int | None  # open contracts: days since the last payment or activity
    activity: str  # active | quiet | dormant (open contracts, by the dormancy thresholds) | ended
    payments: int = 0  # payments received up to the report date

    @property
    def dormant(self) -> bool:
        return self.activity == "dormant"

    @property
    def idle_text(self) -> str:
        """``dormant, 140 days`` for quiet and dormant open contracts, else empty."""
        if self.activity not in ("quiet", "dormant"):
            return ""
        return f"{self.activity}, {self.dormant_days} days"

    @property
    def status(self) -> str:
        if not self.is_open:
            return "ended"
        return "paused" if self.paused else "open"

    @property
    def stars_text(self) -> str:
        return "" if self.stars is None else f"{self.stars:.1f}"

    # Display strings of the contracts table: one property each rather than logic in the
    # template, which renders thousands of rows.
    @property
    def status_type(self) -> str:
        """``ended, fixed``."""
        return f"{self.status}, {self.type}"

    @property
    def period_text(self) -> str:
        """``2020-01-06 to 2020-02-01``; ``2020-04-06 to today`` while open."""
        return f"{self.start.isoformat()} to {self.end.isoformat() if self.end else 'today'}"

    @property
    def paid_text(self) -> str:
        if self.days_since_payment is None:
            return "never paid"
        return f"paid {self.days_since_payment} days ago"

    @property
    def outcome_label(self) -> str:
        return kind_label(self.outcome)

    @property
    def weight_credit_text(self) -> str:
        """``weight 1.25, credit +1.00`` for a counted contract, else empty."""
        return f"weight {self.weight:g}, credit {self.credit:+.2f}" if self.weight else ""

    @property
    def contribution_text(self) -> str:
        return "" if self.contribution is None else format_points(self.contribution)

    @property
    def contribution_class(self) -> str:
        if not self.contribution:
            return ""
        return "up" if self.contribution > 0 else "down"

    @property
    def credit_text(self) -> str:
        return f"{self.credit:+.2f}" if self.weight else ""

    @property
    def weight_text(self) -> str:
        return f"{self.weight:g}" if self.weight else ""


@dataclass(frozen=True)
class SnapshotCheck:
    """What the platform showed on a date next to what the model estimates for it."""

    date: date
    observed: int | None
    estimate: int | None
    window: str | None
    rules: str
    observed_recommend: int | None
    estimate_recommend: int | None

    @property
    def error(self) -> int | None:
        if self.observed is None or self.estimate is None:
            return None
        return self.estimate - self.observed

    @property
    def error_text(self) -> str:
        return "" if self.error is None else f"{self.error:+d}"


@dataclass(frozen=True)
class WouldRecommend:
    """The share of rated clients who would recommend you: the model's estimate, and the latest
    value the platform showed, with its date."""

    estimate: int | None
    observed: int | None
    observed_on: date | None


@dataclass(frozen=True)
class MonthEarnings:
    """One calendar month's payments, summed by client."""

    month: str  # YYYY-MM
    by_client: tuple[tuple[str, float], ...]  # sorted by client

    @property
    def total(self) -> float:
        return round(sum(amount for _, amount in self.by_client), 2)


@dataclass(frozen=True)
class Earnings:
    """The Overview's earnings on the report date: the last 12 months, the total, each month by
    client, and the clients by what they paid."""

    currency: str
    last_12_months: float
    total: float
    months: tuple[MonthEarnings, ...]
    clients: tuple[str, ...]  # by total earned, largest first

    @property
    def last_12_months_text(self) -> str:
        return format_money(self.last_12_months, self.currency)

    @property
    def last_12_months_short(self) -> str:
        """The headline card's: ``$25.2M`` for a big history (the exact amount is its title)."""
        return format_money_short(self.last_12_months, self.currency)


@dataclass(frozen=True)
class TopRated:
    """The Overview's Top Rated checklist: the Top Rated criteria of ``advice.toprated``, without
    the Top Rated Plus ones."""

    checks: tuple[CheckItem, ...]  # the Top Rated criteria (advice.toprated), not Plus

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.checks if c.met)


@dataclass(frozen=True)
class Driver:
    """One contract among those that move the score most: the points it adds or costs (the
    estimate with it minus without it), and why."""

    contract_id: str
    client: str
    title: str
    contribution: float
    reason: str

    @property
    def sentence(self) -> str:
        verb = "adds" if self.contribution > 0 else "costs"
        points = abs(self.contribution)
        unit = "point" if round(points, 1) == 1 else "points"
        return f"{self.title} ({self.client}) {verb} {points:.1f} {unit}: {self.reason}."


@dataclass(frozen=True)
class Drivers:
    """The contracts that raise and lower the score most, and notes on what does not count."""

    positive: tuple[Driver, ...]
    negative: tuple[Driver, ...]
    notes: tuple[str, ...]  # plain sentences about what does not count, and why


@dataclass(frozen=True)
class OutcomeCount:
    """How many contracts have one kind of outcome, and their total weight."""

    kind: str
    contracts: int
    weight: float
