"""Dated rule sets: each is a named bundle of the parameters the estimate uses.

The platform never published its formula. Each rule set follows docs/model.md (section 3): the
facts the platform announced on its date, plus free parameters (partial credit, negative penalty,
neutral outcomes) chosen to fit the worked examples all at once (see calibration.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

SRC_2015 = (
    "Upwork Community: Your Job Success Score on Upwork (2015)",
    "https://community.upwork.com/t5/Freelancing-Resources/Your-Job-Success-Score-on-Upwork/td-p/736122",
)
SRC_2020_03 = (
    "Upwork announcement: Job size will now be factored into your JSS (2020-03)",
    "https://community.upwork.com/t5/Announcements/Job-size-will-now-be-factored-into-your-JSS/m-p/709311",
)
SRC_2020_11 = (
    "Upwork release notes: No-feedback contracts no longer impact JSS (2020-11-08)",
    "https://community.upwork.com/t5/Product-Release-Notes/No-feedback-contracts-no-longer-impact-Job-Success-Score-JSS/ba-p/824751",
)
SRC_TRENDING = (
    "Upwork release notes: How Job Success Score is calculated (Trending JSS)",
    "https://community.upwork.com/t5/Product-Release-Notes/How-Job-Success-Score-is-Calculated/ba-p/904715",
)
SRC_2023_12 = (
    "Upwork bulletin: Job Success Score update, December 2023",
    "https://community.upwork.com/t5/Bulletin-Board/Job-Success-Score-Update-December-2023/m-p/1491817",
)
SRC_2025 = (
    "Upwork help centre: Job Success Score (2025)",
    "https://support.upwork.com/hc/en-us/articles/34958134307475-Job-Success-Score",
)
SRC_REPUTATION_2024 = (
    "Upwork release notes: Update to our talent reputation system (feedback removal ends "
    "2024-09-03)",
    "https://community.upwork.com/t5/Product-Release-Notes/Update-to-our-talent-reputation-system/ba-p/1608326",
)
SRC_ZERO = (
    "Upwork help centre: contracts with no payment (negative feedback counts; no payment and "
    "no feedback do not)",
    "https://support.upwork.com/hc/en-us/articles/38439816969875",
)
SRC_FEEDBACK = (
    "Upwork help centre: Leave feedback for your freelancer",
    "https://support.upwork.com/hc/en-us/articles/211062188-Leave-feedback-for-your-freelancer",
)


@dataclass(frozen=True)
class RuleSet:
    """Everything that differs between eras of the score, as plain parameters."""

    id: str
    title: str
    in_force_from: date | None
    in_force_to: date | None
    summary: str
    sources: tuple[tuple[str, str], ...]
    # Windows and minimums
    trending: bool  # Trending = (6m + 3m) / 2 is a candidate
    min_outcomes: int  # per window
    min_clients: int  # distinct clients per window
    update_days: int  # how often the platform recomputes
    # Weights
    size_weights: bool  # $1-250 -> 1, $251-1,000 -> 1.25, more -> 1.5
    length_weights: bool  # +1 per extra 3-month period with a payment
    weight_cap: float
    # Which contracts count
    no_feedback: str  # "exclude" | "mild": paid closed contracts without feedback
    no_feedback_weight: float  # weight factor of a "mild" no-feedback outcome
    zero_no_feedback_counts: bool  # $0 closed without feedback counts as neutral
    zero_positive_excluded: bool  # $0 with positive feedback is excluded
    idle_open_days: int | None  # open, unpaid this long -> counted as no-feedback outcome
    long_term_open: bool  # open contracts paid at least every 90 days count as successes
    # Credit (free parameters, fitted to the worked examples)
    negative_penalty: float  # lambda: a negative outcome subtracts lambda * weight
    negative_below_stars: float  # public stars below this are negative
    partial_from_stars: float  # credit rises linearly from 0 here to 1 at 5 stars
    private_share: float  # share of the credit from private feedback when known
    # Contracts ending on or after this date get no private 0-10 rating (None: all may have
    # one). The platform said in 2025-26 that the rating "is being removed" without a date:
    # PRIVATE_RATINGS_REMOVED below is our assumption [I], the help centre the source [U].
    private_ratings_until: date | None = None
    daily_from: date | None = None  # updates daily from this date on (every update_days before)

    def update_days_on(self, on: date) -> int:
        """Days between updates on ``on``."""
        return 1 if self.daily_from is not None and on >= self.daily_from else self.update_days

    def in_force_on(self, on: date) -> bool:
        after_start = self.in_force_from is None or on >= self.in_force_from
        before_end = self.in_force_to is None or on <= self.in_force_to
        return after_start and before_end

    @property
    def period(self) -> str:
        start = self.in_force_from.isoformat() if self.in_force_from else "the start"
        end = self.in_force_to.isoformat() if self.in_force_to else "today"
        return f"{start} to {end}"

    def parameters(self) -> tuple[tuple[str, str, str], ...]:
        """(name, value, where it comes from) for the Model page."""
        return (
            ("Windows", "24, 12, 6 months" + (", Trending (6m+3m)/2" if self.trending else ""),
             "[U] published"),
            ("Minimum per window", f"{self.min_outcomes} outcomes from {self.min_clients} clients",
             "[U] published; [I] applied to every window"),
            ("Updates", "daily" if self.update_days == 1 else
             f"every {self.update_days} days" + (f", daily from {self.daily_from.isoformat()}"
                                                 if self.daily_from else ""),
             "[U] published; the daily start dated by an agency blog"),
            ("Private would-recommend ratings",
             "given on every contract" if self.private_ratings_until is None else
             f"none on contracts ending from {self.private_ratings_until.isoformat()}",
             "[U] being removed (help centre, 2025-26); [I] the date: none was published"),
            ("Job size weights", "1 / 1.25 / 1.5 for $1-250 / $251-1,000 / more"
             if self.size_weights else "every outcome weighs 1", "[U] 2020-03 and 2025"),
            ("Length weights",
             f"+1 per extra 3-month period with a payment, cap {self.weight_cap:g}"
             if self.length_weights else "none", "[U] 2025 wording; [I] for 2020-03"),
            ("No-feedback contracts", "excluded" if self.no_feedback == "exclude"
             else f"neutral at {self.no_feedback_weight:g} x weight (a little negative when many)",
             "[U]"),
            ("$0 without feedback", "neutral (counts against)" if self.zero_no_feedback_counts
             else "excluded", "[U]"),
            ("$0 with positive feedback", "excluded" if self.zero_positive_excluded else "counted",
             "[U]"),
            ("Idle open contracts",
             f"counted as no-feedback after {self.idle_open_days} days unpaid"
             if self.idle_open_days else "not counted while open", "[U] no day count published; "
             "[I] the number"),
            ("Long-term open contracts", "success when paid at least every 90 days"
             if self.long_term_open else "not counted", "[U]"),
            ("Negative penalty (lambda)", f"{self.negative_penalty:g}",
             "[I] fitted; the published formula has 1"),
            ("Negative below", f"{self.negative_below_stars:g} stars", "[I] fitted"),
            ("Partial credit", f"linear from {self.partial_from_stars:g} stars (0) to 5 stars (1)",
             "[I] fitted (4.6 stars = 0.6)"),
            ("Private feedback share", f"{self.private_share:.0%} of the credit when known",
             "[U] private feedback counts; [I] the share"),
        )


# Private "would recommend" ratings are being removed in favour of a public 1-5 rating and an
# optional private note (SRC_FEEDBACK). No date was published; from this date on we assume no
# contract gets one, so hidden ratings can only come from contracts that ended before. [I]
PRIVATE_RATINGS_REMOVED = date(2026, 7, 1)
# The Top Rated feedback-removal perk ended on this date (SRC_REPUTATION_2024): never offered
# for a later date.
REMOVAL_PERK_ENDED = date(2024, 9, 3)
DAILY_UPDATES_FROM = date(2024, 9, 1)  # "scores update daily" (SRC_2025; dated 2024-09)

# The fitted free parameters are the same in every era: see calibration.py for the fit.
_FIT: dict[str, float] = dict(negative_penalty=0.6, negative_below_stars=3.5,
                              partial_from_stars=4.0)

UPWORK_2015 = RuleSet(
    id="upwork-2015",
    title="Upwork, March 2015 rules",
    in_force_from=date(2015, 3, 1),
    in_force_to=date(2020, 2, 29),
    summary="(successful - negative outcomes) / all outcomes, best of the 24-, 12- and 6-month "
    "windows; every outcome weighs the same; idle open contracts count after months unpaid.",
    sources=(SRC_2015,),
    trending=False,
    min_outcomes=3,
    min_clients=3,
    update_days=14,
    size_weights=False,
    length_weights=False,
    weight_cap=1.0,
    no_feedback="mild",
    no_feedback_weight=0.25,
    zero_no_feedback_counts=True,
    zero_positive_excluded=False,
    idle_open_days=180,
    long_term_open=True,
    private_share=1.0,
    **_FIT,  # type: ignore[arg-type]
)

# Each later rule set is the one before it plus what changed on its date (docs/model.md, 3).
UPWORK_2020_03 = replace(
    UPWORK_2015,
    id="upwork-2020-03",
    title="Upwork, March 2020 rules (job size)",
    in_force_from=date(2020, 3, 1),
    in_force_to=date(2020, 11, 7),
    summary="Outcomes weighted by job size and length; $0 contracts with positive feedback "
    "excluded; otherwise as in 2015.",
    sources=(SRC_2015, SRC_2020_03),
    size_weights=True,
    length_weights=True,
    weight_cap=8.0,
    zero_positive_excluded=True,
)

UPWORK_2020_11 = replace(
    UPWORK_2020_03,
    id="upwork-2020-11",
    title="Upwork, November 2020 rules (no-feedback excluded)",
    in_force_from=date(2020, 11, 8),
    in_force_to=date(2023, 11, 30),
    summary="Contracts ending without feedback no longer count; minimum 2 clients; Trending "
    "(6m + 3m) / 2 is a fourth candidate.",
    sources=(SRC_2020_03, SRC_2020_11, SRC_TRENDING),
    trending=True,
    min_outcomes=2,
    min_clients=2,
    no_feedback="exclude",
    no_feedback_weight=0.0,
    zero_no_feedback_counts=False,
    idle_open_days=None,
)

UPWORK_2023_12 = replace(
    UPWORK_2020_11,
    id="upwork-2023-12",
    title="Upwork, December 2023 rules",
    in_force_from=date(2023, 12, 1),
    in_force_to=date(2024, 12, 31),
    summary="Minimum 2 eligible jobs from 2 clients in 24 months; more emphasis on public "
    "feedback (private feedback is half the credit when known); daily updates from "
    f"{DAILY_UPDATES_FROM.isoformat()}; the Top Rated feedback-removal perk ended "
    f"{REMOVAL_PERK_ENDED.isoformat()}.",
    sources=(SRC_2020_11, SRC_TRENDING, SRC_2023_12, SRC_REPUTATION_2024, SRC_ZERO),
    private_share=0.5,
    daily_from=DAILY_UPDATES_FROM,
)

UPWORK_2025 = replace(
    UPWORK_2023_12,
    id="upwork-2025",
    title="Upwork, 2025 rules (stated weights, daily updates)",
    in_force_from=date(2025, 1, 1),
    in_force_to=None,
    summary="Weights as stated in 2025 (size 1/1.25/1.5 plus 1 per 3 months with payment, at "
    "most 8); long-term contracts paid at least every 90 days count while open; daily updates; "
    "private would-recommend ratings removed (assumed from "
    f"{PRIVATE_RATINGS_REMOVED.isoformat()}: no date was published); no feedback-removal perk "
    f"since {REMOVAL_PERK_ENDED.isoformat()}.",
    sources=(SRC_TRENDING, SRC_2023_12, SRC_2025, SRC_FEEDBACK, SRC_REPUTATION_2024, SRC_ZERO),
    update_days=1,
    private_ratings_until=PRIVATE_RATINGS_REMOVED,
)

RULESETS: dict[str, RuleSet] = {
    r.id: r for r in (UPWORK_2015, UPWORK_2020_03, UPWORK_2020_11, UPWORK_2023_12, UPWORK_2025)
}
RULE_IDS: tuple[str, ...] = (*RULESETS, "auto")
_BY_DATE = tuple(RULESETS.values())


def rules_in_force(on: date) -> RuleSet:
    """The rule set the platform used on ``on`` (the earliest before 2015, the latest after)."""
    for rules in reversed(_BY_DATE):
        if rules.in_force_from is None or on >= rules.in_force_from:
            return rules
    return _BY_DATE[0]


def resolve_rules(rule_id: str, on: date) -> RuleSet:
    if rule_id == "auto":
        return rules_in_force(on)
    return RULESETS[rule_id]
