"""The outcome of one contract on one date: excluded (and why), or a credit and a weight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jssreport.model.rules import RuleSet
from jssreport.model.types import Contract, Feedback, whole_months

FEEDBACK_DAYS = 14  # a client has 14 days to leave feedback after the contract ends
LONG_TERM_GAP = 90  # long-term: paid at least every 90 days ...
LONG_TERM_SPAN = 90  # ... over at least 90 days

KINDS = ("success", "partial", "neutral", "negative", "excluded", "pending")


@dataclass(frozen=True)
class Outcome:
    contract_id: str
    client: str
    kind: str  # one of KINDS
    credit: float  # in [-1, 1]; 0 when not counted
    weight: float  # 0 when not counted
    reason: str
    counts_on: date | None  # the date the outcome enters the windows

    @property
    def counted(self) -> bool:
        return self.counts_on is not None and self.weight > 0


def size_weight(earned: float) -> float:
    """Job size: $1-250 weighs 1 job, $251-1,000 1.25, more 1.5 (2020-03 and 2025)."""
    if earned <= 250:
        return 1.0
    if earned <= 1000:
        return 1.25
    return 1.5


def paid_periods(contract: Contract, on: date) -> int:
    """How many 3-month periods of the contract's life (from its start) had a payment."""
    return contract.paid_periods(on)


def weight_of(contract: Contract, on: date, rules: RuleSet) -> float:
    return _weight(contract, contract.paid_count(on), rules)


def _weight(c: Contract, paid: int, rules: RuleSet) -> float:
    """``weight_of`` given how many payments were made (one bisect per outcome, not five)."""
    if not rules.size_weights:
        return 1.0
    weight = size_weight(c.earned_of(paid))
    if rules.length_weights:
        weight += max(0, c.periods_of(paid) - 1)
    return min(rules.weight_cap, weight)


def stars_credit(stars: float, rules: RuleSet) -> float:
    if stars >= 5:
        return 1.0
    if stars >= rules.partial_from_stars:
        return round((stars - rules.partial_from_stars) / (5 - rules.partial_from_stars), 4)
    if stars >= rules.negative_below_stars:
        return 0.0
    return -1.0


def recommend_credit(recommend: int) -> float:
    """Private 0-10, read as a Net Promoter Score: 9-10 good, 7-8 passive, 0-6 bad. [C]"""
    if recommend >= 9:
        return 1.0
    if recommend >= 7:
        return 0.5
    return -1.0


def feedback_credit(feedback: Feedback, rules: RuleSet) -> tuple[float, str] | None:
    """The credit of ended-contract feedback and the words for it; None if it carries none."""
    public = None if feedback.stars is None else stars_credit(feedback.stars, rules)
    private = None if feedback.recommend is None else recommend_credit(feedback.recommend)
    stars_text = "" if feedback.stars is None else f"{feedback.stars:.1f} stars"
    if private is None and public is None:
        return None
    if private is None:
        assert public is not None
        return public, stars_text
    rec_text = f"private {feedback.recommend}/10"
    if public is None:
        return private, rec_text
    share = rules.private_share
    credit = round(share * private + (1 - share) * public, 4)
    return credit, f"{stars_text}, {rec_text}"


def kind_of(credit: float) -> str:
    if credit >= 1:
        return "success"
    if credit > 0:
        return "partial"
    if credit == 0:
        return "neutral"
    return "negative"


def is_long_term(contract: Contract, on: date) -> bool:
    """Paid at least every 90 days over at least 90 days, and still paying."""
    return _long_term(contract, on, contract.paid_count(on))


def _long_term(c: Contract, on: date, paid: int) -> bool:
    if paid < 2:
        return False
    first, last = c.first_paid(), c.last_of(paid)
    if first is None or last is None or (on - last).days > LONG_TERM_GAP:
        return False
    if (last - first).days < LONG_TERM_SPAN:
        return False
    return c.max_gap_of(paid) <= LONG_TERM_GAP


def _make(c: Contract, kind: str, reason: str, credit: float = 0.0, weight: float = 0.0,
          counts_on: date | None = None) -> Outcome:
    return Outcome(c.id, c.client, kind, credit, weight, reason, counts_on)


def outcome_of(contract: Contract, on: date, rules: RuleSet) -> Outcome:
    """How ``contract`` counts towards the score computed on ``on`` under ``rules``."""
    c = contract
    if c.start > on:
        return _make(c, "pending", "not started yet")
    if c.removed:
        return _make(c, "excluded", "removed with the Top Rated feedback-removal perk")
    if c.client_flagged:
        return _make(c, "excluded", "the platform flagged or suspended the client")
    paid = c.paid_count(on)
    if c.end is None or c.end > on:
        return _open_outcome(c, on, rules, paid)
    weight = _weight(c, paid, rules)
    if c.dispute or c.end_reason == "dispute":
        return _make(c, "negative", "ended in a dispute", -1.0, weight, c.end)
    fb = c.feedback
    scored = feedback_credit(fb, rules) if fb is not None and fb.visible_on(on) else None
    if scored is None:
        return _no_feedback_outcome(c, on, rules, c.earned_of(paid), weight)
    credit, words = scored
    if credit > 0 and rules.zero_positive_excluded and c.earned_of(paid) <= 0:
        return _make(c, "excluded", f"{words} on a $0 contract: excluded")
    return _make(c, kind_of(credit), words, credit, weight, c.end)


def _open_outcome(c: Contract, on: date, rules: RuleSet, paid: int) -> Outcome:
    if rules.long_term_open and not c.paused and _long_term(c, on, paid):
        first = c.first_paid()
        months = max(1, whole_months(first, on)) if first else 1
        return _make(c, "success", f"long-term relationship: paid at least every 90 days for "
                     f"{months} months", 1.0, _weight(c, paid, rules), c.last_of(paid))
    if rules.idle_open_days is not None:
        touched = c.last_of(paid) or c.start
        idle = (on - touched).days
        if idle >= rules.idle_open_days:
            since = touched + timedelta(days=rules.idle_open_days)
            if c.earned_of(paid) <= 0:
                return _make(c, "neutral", f"open and idle for {idle} days with $0: counts as a "
                             "no-feedback outcome", 0.0, 1.0, since)
            weight = _weight(c, paid, rules) * rules.no_feedback_weight
            return _make(c, "neutral", f"open and unpaid for {idle} days: counts a little as a "
                         "no-feedback outcome", 0.0, weight, since)
    state = "paused" if c.paused else "open"
    return _make(c, "pending", f"{state}: not counted while open")


def _no_feedback_outcome(c: Contract, on: date, rules: RuleSet, earned: float,
                         weight: float) -> Outcome:
    assert c.end is not None
    waiting = (on - c.end).days < FEEDBACK_DAYS
    if c.feedback is not None or waiting:
        until = (c.feedback.date if c.feedback and c.feedback.date
                 else c.end + timedelta(days=FEEDBACK_DAYS))
        return _make(c, "pending",
                     f"ended; the client has until {until.isoformat()} to leave feedback")
    if earned <= 0:
        if rules.zero_no_feedback_counts:
            return _make(c, "neutral", "ended with $0 and no feedback: counts in the total only",
                         0.0, 1.0, c.end)
        return _make(c, "excluded", "ended with $0 and no feedback: excluded")
    if rules.no_feedback == "exclude":
        return _make(c, "excluded", "ended without feedback: excluded since 2020-11-08")
    return _make(c, "neutral", "ended without feedback: counts a little in the total",
                 0.0, weight * rules.no_feedback_weight, c.end)
