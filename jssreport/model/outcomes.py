"""The outcome of one contract on one date: excluded (and why), or a credit and a weight."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from jssreport.model.rules import RuleSet
from jssreport.model.types import Contract, Feedback, whole_months

FEEDBACK_DAYS = 14  # a client has 14 days to leave feedback after the contract ends
LONG_TERM_GAP = 90  # long-term: paid at least every 90 days ...
LONG_TERM_SPAN = 90  # ... over at least 90 days

KINDS = ("success", "partial", "neutral", "negative", "excluded", "pending")


@dataclass(frozen=True)
class Outcome:
    """How one contract counts on one date (``outcome_of``): its kind, credit and weight, why,
    and the date it enters the windows."""

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


SIZE_BOUNDS = (250.0, 1000.0)  # the upper ends of the first two job sizes


def size_weight(earned: float) -> float:
    """Job size: $1-250 weighs 1 job, $251-1,000 1.25, more 1.5 (2020-03 and 2025)."""
    if earned <= SIZE_BOUNDS[0]:
        return 1.0
    if earned <= SIZE_BOUNDS[1]:
        return 1.25
    return 1.5


def job_sizes(contract: Contract) -> tuple[object, ...]:
    """The job size after each payment (0 while nothing is earned, then ``size_weight``), in
    a form that is equal for two contracts exactly when those sequences are: all the rules
    read of the payment amounts (``judge``: the weight of the earnings, and whether they are
    zero). Amounts are positive (docs/records.md), so the earnings only grow and the sizes
    are four counts: of the payments, and of the prefixes earning nothing, at most $250 and
    at most $1,000."""
    earned = list(contract.earned_prefixes())
    if earned == sorted(earned):
        return (len(earned), bisect_right(earned, 0.0), bisect_right(earned, SIZE_BOUNDS[0]),
                bisect_right(earned, SIZE_BOUNDS[1]))
    return ("each", *(size_weight(e) if e > 0 else 0.0 for e in earned))


def paid_periods(contract: Contract, on: date) -> int:
    """How many 3-month periods of the contract's life (from its start) had a payment."""
    return contract.paid_periods(on)


def weight_of(contract: Contract, on: date, rules: RuleSet) -> float:
    paid = contract.paid_count(on)
    return _weight(rules, contract.earned_of(paid), contract.periods_of(paid))


def _weight(rules: RuleSet, earned: float, periods: int) -> float:
    """``weight_of`` given the earnings and the paid periods (asked for once per outcome)."""
    if not rules.size_weights:
        return 1.0
    weight = size_weight(earned)
    if rules.length_weights:
        weight += max(0, periods - 1)
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


def feedback_score(feedback: Feedback, rules: RuleSet) -> float | None:
    """The credit of ended-contract feedback; None if it carries none."""
    public = None if feedback.stars is None else stars_credit(feedback.stars, rules)
    if feedback.recommend is None:
        return public
    private = recommend_credit(feedback.recommend)
    if public is None:
        return private
    share = rules.private_share
    return round(share * private + (1 - share) * public, 4)


def feedback_words(feedback: Feedback) -> str:
    """``4.8 stars``, ``private 8/10`` or both."""
    stars = None if feedback.stars is None else f"{feedback.stars:.1f} stars"
    private = None if feedback.recommend is None else f"private {feedback.recommend}/10"
    if stars is None or private is None:
        return stars or private or ""
    return f"{stars}, {private}"


def feedback_credit(feedback: Feedback, rules: RuleSet) -> tuple[float, str] | None:
    """The credit of ended-contract feedback and the words for it; None if it carries none."""
    credit = feedback_score(feedback, rules)
    return None if credit is None else (credit, feedback_words(feedback))


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


class Verdict(NamedTuple):
    """What an outcome counts for, without the words. The history and the advice score
    hundreds of thousands of these, and most never need the words."""

    kind: str  # success | partial | neutral | negative | excluded | pending
    credit: float
    weight: float
    counts_on: date | None  # the date it counts from (None: it does not count)
    why: str  # which reason applies: ``reason`` puts it in words


def outcome_of(contract: Contract, on: date, rules: RuleSet) -> Outcome:
    """How ``contract`` counts towards the score computed on ``on`` under ``rules``."""
    kind, credit, weight, counts_on, why = judge(contract, on, rules)
    return Outcome(contract.id, contract.client, kind, credit, weight,
                   reason(why, contract, on, rules), counts_on)


# The verdicts that read nothing of the contract: made once (the model judges hundreds of
# thousands of contracts; a tuple cannot change).
_NOT_STARTED = Verdict("pending", 0.0, 0.0, None, "not_started")
_REMOVED = Verdict("excluded", 0.0, 0.0, None, "removed")
_FLAGGED = Verdict("excluded", 0.0, 0.0, None, "flagged")
_ZERO_POSITIVE = Verdict("excluded", 0.0, 0.0, None, "zero_positive")
_OPEN = Verdict("pending", 0.0, 0.0, None, "open")
_WAITING = Verdict("pending", 0.0, 0.0, None, "waiting")
_ZERO_EXCLUDED = Verdict("excluded", 0.0, 0.0, None, "zero_excluded")
_NO_FEEDBACK_EXCLUDED = Verdict("excluded", 0.0, 0.0, None, "no_feedback_excluded")


def judge(c: Contract, on: date, rules: RuleSet) -> Verdict:
    """``outcome_of`` without the words (see ``Verdict``)."""
    if c.start > on:
        return _NOT_STARTED
    if c.removed:
        return _REMOVED
    if c.client_flagged:
        return _FLAGGED
    paid = c.paid_count(on)
    end = c.end
    if end is None or end > on:
        return _judge_open(c, on, rules, paid)
    earned = c.earned_of(paid)
    weight = _weight(rules, earned, c.periods_of(paid))
    if c.dispute or c.end_reason == "dispute":
        return Verdict("negative", -1.0, weight, end, "dispute")
    fb = c.feedback
    credit = feedback_score(fb, rules) if fb is not None and fb.visible_on(on) else None
    if credit is None:
        return _judge_no_feedback(c, on, rules, earned, weight)
    if credit > 0 and rules.zero_positive_excluded and earned <= 0:
        return _ZERO_POSITIVE
    return Verdict(kind_of(credit), credit, weight, end, "feedback")


def _judge_open(c: Contract, on: date, rules: RuleSet, paid: int) -> Verdict:
    if rules.long_term_open and not c.paused and _long_term(c, on, paid):
        weight = _weight(rules, c.earned_of(paid), c.periods_of(paid))
        return Verdict("success", 1.0, weight, c.last_of(paid), "long_term")
    if rules.idle_open_days is not None:
        touched = c.last_of(paid) or c.start
        if (on - touched).days >= rules.idle_open_days:
            since = touched + timedelta(days=rules.idle_open_days)
            earned = c.earned_of(paid)
            if earned <= 0:
                return Verdict("neutral", 0.0, 1.0, since, "idle_zero")
            weight = _weight(rules, earned, c.periods_of(paid)) * rules.no_feedback_weight
            return Verdict("neutral", 0.0, weight, since, "idle")
    return _OPEN


def _judge_no_feedback(c: Contract, on: date, rules: RuleSet, earned: float,
                       weight: float) -> Verdict:
    assert c.end is not None
    if c.feedback is not None or (on - c.end).days < FEEDBACK_DAYS:
        return _WAITING
    if earned <= 0:
        if rules.zero_no_feedback_counts:
            return Verdict("neutral", 0.0, 1.0, c.end, "zero_counts")
        return _ZERO_EXCLUDED
    if rules.no_feedback == "exclude":
        return _NO_FEEDBACK_EXCLUDED
    return Verdict("neutral", 0.0, weight * rules.no_feedback_weight, c.end, "no_feedback")


REASONS = {
    "not_started": "not started yet",
    "removed": "removed with the Top Rated feedback-removal perk",
    "flagged": "the platform flagged or suspended the client",
    "dispute": "ended in a dispute",
    "zero_counts": "ended with $0 and no feedback: counts in the total only",
    "zero_excluded": "ended with $0 and no feedback: excluded",
    "no_feedback_excluded": "ended without feedback: excluded since 2020-11-08",
    "no_feedback": "ended without feedback: counts a little in the total",
}


def reason(why: str, c: Contract, on: date, rules: RuleSet) -> str:
    """A verdict's reason in words (``why`` as ``judge`` gave it for ``c`` on ``on``)."""
    if why in REASONS:
        return REASONS[why]
    if why in ("feedback", "zero_positive"):
        assert c.feedback is not None
        words = feedback_words(c.feedback)
        return words if why == "feedback" else f"{words} on a $0 contract: excluded"
    if why == "long_term":
        first = c.first_paid()
        months = max(1, whole_months(first, on)) if first else 1
        return f"long-term relationship: paid at least every 90 days for {months} months"
    if why in ("idle", "idle_zero"):
        idle = (on - (c.last_paid(on) or c.start)).days
        if why == "idle_zero":
            return f"open and idle for {idle} days with $0: counts as a no-feedback outcome"
        return f"open and unpaid for {idle} days: counts a little as a no-feedback outcome"
    if why == "waiting":
        assert c.end is not None
        until = (c.feedback.date if c.feedback and c.feedback.date
                 else c.end + timedelta(days=FEEDBACK_DAYS))
        return f"ended; the client has until {until.isoformat()} to leave feedback"
    assert why == "open", why
    return f"{'paused' if c.paused else 'open'}: not counted while open"
