"""Top Rated / Top Rated Plus tracker, and the Top Rated feedback-removal perk.

Criteria [U] (docs/model.md): JSS >= 90; JSS >= 90 in at least 13 of the last 16 weeks; at least
$1,000 earned in the last 12 months; first contract more than 90 days ago; activity in the
last 90 days; a complete profile and no account hold (not in the records: shown as unknown).
Top Rated Plus adds at least $10,000 in 12 months and one large contract; "large" depends on
the category (about $5k-$30k), so $5,000 here is only an approximation.

The weekly check uses the score in force each week: the latest update on or before the day.
Twelve-month earnings are gross payments dated after the same day 12 calendar months before
(refunds are not dated in the records, so they are not taken off here). Activity is the latest
start, payment, recorded activity or end (a contract ending is activity).

This is the only Top Rated implementation: the Overview, Recommendations, report.json and
``jssreport score`` all read its ``TopRatedStatus``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from jssreport.advice.sim import (
    Money,
    Projector,
    Updates,
    dollars,
    known_on,
    relevant,
    scores_on,
)
from jssreport.model.history import HistoryPoint
from jssreport.model.rules import REMOVAL_PERK_ENDED
from jssreport.model.types import Contract
from jssreport.model.windows import months_before

TOP_RATED_JSS = 90
OBSERVED_DAYS = 14  # a score the platform showed this recently outweighs the estimate
WEEKS, WEEKS_NEEDED = 16, 13
TOP_RATED_EARNINGS = 1_000.0
PLUS_EARNINGS = 10_000.0
LARGE_CONTRACT = 5_000.0  # approximate: the platform's bar is category-specific ($5k-$30k)
FIRST_CONTRACT_DAYS = 90
ACTIVE_DAYS = 90
PROJECT_WEEKS = 104
REMOVAL_AFTER_COMPLETED = 10
REMOVAL_EVERY_DAYS = 91  # once per 3 months


@dataclass(frozen=True)
class CheckItem:
    """One Top Rated (or Top Rated Plus) criterion: whether it is met (unknown when the records
    cannot tell), and the detail."""

    name: str
    met: bool | None  # None: the records cannot tell
    detail: str
    plus_only: bool = False  # a Top Rated Plus criterion

    @property
    def mark(self) -> str:
        return {True: "yes", False: "no", None: "unknown"}[self.met]


@dataclass(frozen=True)
class TopRatedStatus:
    """Where the freelancer stands on ``on`` against the Top Rated and Top Rated Plus criteria,
    and the projected date all the Top Rated ones are met."""

    on: date
    jss: int | None
    weeks: tuple[tuple[date, int | None], ...]  # the last 16 weeks, oldest first
    weeks_at_90: int
    earnings_12m: float
    first_contract: date | None
    largest: tuple[str, float] | None  # (contract id, earned)
    last_activity: date | None
    checklist: tuple[CheckItem, ...]
    missing: tuple[str, ...]  # Top Rated criteria not met (unknown ones excluded)
    missing_plus: tuple[str, ...]  # Top Rated Plus criteria not met
    top_rated: bool
    top_rated_plus: bool
    eligible_on: date | None  # projected date Top Rated criteria are all met
    eligible_why: str


class Earned:
    """Payments as one sorted prefix-sum table: the 12-month earnings on any day is two
    bisects (the projection asks it every week: re-summing would be quadratic)."""

    def __init__(self, contracts: Sequence[Contract]) -> None:
        # One entry per day (a sort of days, not of payments); the running total adds each
        # day's amounts in ascending order, as summing the sorted payments one by one does.
        by_day: dict[date, list[float]] = defaultdict(list)
        for c in contracts:
            for day, amount in c.effective_payments:
                by_day[day].append(amount)
        self.dates = sorted(by_day)
        self.cum = [0.0]
        total = 0.0
        for day in self.dates:
            for amount in sorted(by_day[day]):
                total += amount
            self.cum.append(total)

    def last_12_months(self, on: date, paid_by: date | None = None) -> float:
        """Paid after the same day 12 months before ``on``, up to ``paid_by`` (``on``)."""
        hi = bisect_right(self.dates, min(on, paid_by or on))
        lo = bisect_right(self.dates, months_before(on, 12))
        return round(self.cum[hi] - self.cum[min(lo, hi)], 2)


def earnings_12m(contracts: Sequence[Contract], on: date) -> float:
    """Gross payments dated after the same day 12 calendar months before ``on``."""
    return Earned(contracts).last_12_months(on)


def last_activity(contracts: Sequence[Contract], on: date) -> date | None:
    days = []
    for c in contracts:
        days.append(c.start)
        days.extend(d for d in (c.last_paid(on), c.end, c.last_activity) if d is not None)
    days = [d for d in days if d <= on]
    return max(days, default=None)


def recent_days(updates: Updates, on: date) -> list[date]:
    """The update dates the 16 weeks ending ``on`` are read from (a month before the first
    one on), and ``on``."""
    first_week = on - timedelta(days=7 * (WEEKS - 1))
    return [d for d in updates.between(first_week - timedelta(days=31), on)] + [on]


def recent_grid(contracts: Sequence[Contract], on: date, rule_id: str = "auto") -> list[date]:
    """``recent_days`` of the records as known on ``on`` (what ``top_rated`` scores when it
    is given no history)."""
    return recent_days(_updates(known_on(contracts, on), rule_id, on), on)


def _updates(known: Sequence[Contract], rule_id: str, on: date) -> Updates:
    return Updates(known, rule_id, on + timedelta(weeks=PROJECT_WEEKS + 3))


def _weekly(points: Sequence[tuple[date, int | None]], on: date
            ) -> tuple[tuple[date, int | None], ...]:
    """The score in force on each of the 16 weekly dates ending ``on`` (``points`` sorted)."""
    days = [d for d, _ in points]
    weeks = []
    for k in range(WEEKS - 1, -1, -1):
        day = on - timedelta(days=7 * k)
        i = bisect_right(days, day)
        weeks.append((day, points[i - 1][1] if i else None))
    return tuple(weeks)


def top_rated(contracts: Sequence[Contract], history: Sequence[HistoryPoint] | None, on: date,
              rule_id: str = "auto", projector: Projector | None = None,
              money: Money = dollars, project: bool = True,
              observed: Sequence[tuple[date, int]] = (),
              jss_now: int | None = None,
              recent: Sequence[tuple[date, int | None, float | None]] | None = None
              ) -> TopRatedStatus:
    """Every criterion on ``on``, and (``project``) when all would be met with no new work.
    ``observed``: (date, score) the platform showed; they replace the model on their dates,
    so the 16 weeks never count a week the platform showed below 90%. ``jss_now``: the score
    on ``on`` when known already (with a history and no projection, nothing is re-run).
    Without a ``history``, the 16 weeks are scored on ``recent_grid``'s days (``recent``:
    ``sim.scores_on`` of the records as known on ``on`` on those days, when computed
    already)."""
    quick = projector is None and not project and history and jss_now is not None
    p = None if quick else projector or Projector(contracts, on, rule_id)
    known = known_on(contracts, on) if p is None else p.known
    updates = _updates(known, rule_id, on)
    if history:
        past = [(p.date, p.jss) for p in history if p.date <= on]
    else:
        grid = recent_days(updates, on)
        scored = recent if recent is not None else scores_on(known, grid, rule_id)
        past = [(d, j) for d, j, _ in scored]
    if p is None:
        jss = jss_now
    else:
        (_, jss, _), = p.scores([on])
    seen = {d: j for d, j in observed if d <= on}
    past = sorted([(d, j) for d, j in past if d not in seen] + list(seen.items()),
                  key=lambda dj: dj[0])
    weeks = _weekly(past, on)
    at_90 = sum(1 for _, j in weeks if j is not None and j >= TOP_RATED_JSS)
    table = Earned(known)
    earned = table.last_12_months(on)
    first = min((c.start for c in known), default=None)
    largest = max(((c.id, c.earned_on(on)) for c in known), key=lambda x: (x[1], x[0]),
                  default=None)
    active = last_activity(known, on)
    shown = [(d, j) for d, j in seen.items() if 0 <= (on - d).days <= OBSERVED_DAYS]
    items = _checklist(on, jss, at_90, earned, first, largest, active, money,
                       max(shown) if shown else None)
    missing = tuple(i.name for i in items if i.met is False and not i.plus_only)
    missing_plus = tuple(i.name for i in items if i.met is False)
    is_tr = not missing
    eligible_on: date | None
    if is_tr:
        eligible_on, why = on, "All the Top Rated criteria the records can show are met."
    elif project and p is not None:
        eligible_on, why = _project(p, past, on, updates, first, table, money)
    else:
        eligible_on, why = None, ""
    return TopRatedStatus(on, jss, weeks, at_90, earned, first, largest, active, items, missing,
                          missing_plus, is_tr, is_tr and not missing_plus, eligible_on, why)


def _checklist(on: date, jss: int | None, at_90: int, earned: float, first: date | None,
               largest: tuple[str, float] | None, active: date | None, money: Money,
               shown: tuple[date, int] | None = None) -> tuple[CheckItem, ...]:
    """``shown``: the latest score the platform showed within OBSERVED_DAYS: below 90% it
    outweighs an estimate of 90% or more."""
    age = None if first is None else (on - first).days
    idle = None if active is None else (on - active).days
    big = 0.0 if largest is None else largest[1]
    jss_ok = jss is not None and jss >= TOP_RATED_JSS
    jss_detail = f"estimated {jss}%" if jss is not None else "no score shown"
    if jss_ok and shown is not None and shown[1] < TOP_RATED_JSS:
        jss_ok = False
        jss_detail += f", but Upwork showed {shown[1]}% on {shown[0].isoformat()}"
    return (
        CheckItem("JSS at least 90%", jss_ok, jss_detail),
        CheckItem("JSS 90%+ in 13 of the last 16 weeks", at_90 >= WEEKS_NEEDED,
                  f"{at_90} of 16 weeks"),
        CheckItem("$1,000+ earned in the last 12 months", earned >= TOP_RATED_EARNINGS,
                  money(earned)),
        CheckItem("First contract more than 90 days ago",
                  age is not None and age > FIRST_CONTRACT_DAYS,
                  "no contracts" if age is None else f"{age} days ago"),
        CheckItem("Active in the last 90 days", idle is not None and idle <= ACTIVE_DAYS,
                  "no activity" if idle is None or active is None else
                  f"last activity {active.isoformat()} ({idle} days ago)"),
        CheckItem("Complete profile, no account hold", None, "not in the records: check on "
                  "the platform"),
        CheckItem("$10,000+ earned in the last 12 months", earned >= PLUS_EARNINGS,
                  money(earned), plus_only=True),
        CheckItem("A large contract (about $5,000+; the bar depends on the category)",
                  big >= LARGE_CONTRACT,
                  "no contracts" if largest is None
                  else f"largest {money(big)} ({largest[0]})",
                  plus_only=True),
    )


def _project(p: Projector, past: list[tuple[date, int | None]], on: date, updates: Updates,
             first: date | None, table: Earned, money: Money) -> tuple[date | None, str]:
    """The first weekly date all projected criteria hold, with no new work."""
    if first is None:
        return None, "No contracts yet."
    end = on + timedelta(weeks=PROJECT_WEEKS)
    future = [(d, j) for d, j, _ in p.scores(updates.between(on, end))]
    points = sorted(past + future, key=lambda dj: dj[0])
    blockers = {"score": True, "earnings": True}
    for k in range(1, PROJECT_WEEKS + 1):
        day = on + timedelta(weeks=k)
        weeks = _weekly(points, day)
        at_90 = sum(1 for _, j in weeks if j is not None and j >= TOP_RATED_JSS)
        now = weeks[-1][1]
        score_ok = now is not None and now >= TOP_RATED_JSS and at_90 >= WEEKS_NEEDED
        money_ok = table.last_12_months(day, paid_by=on) >= TOP_RATED_EARNINGS
        age_ok = (day - first).days > FIRST_CONTRACT_DAYS
        blockers["score"] &= not score_ok
        blockers["earnings"] &= not money_ok
        if score_ok and money_ok and age_ok:
            return day, ("Projected with no new work (and assuming you stay active on the "
                         "platform): the score in force is 90%+ in 13 of 16 weeks by then.")
    reasons = []
    if blockers["score"]:
        reasons.append("without new work the score does not stay at 90%+ for 13 of 16 weeks "
                       "within two years (see the path to 90%)")
    if blockers["earnings"]:
        reasons.append("without new work, earnings in the last 12 months stay below $1,000")
    if not reasons:
        reasons.append("the criteria are not all met on the same date within two years")
    return None, "Not projectable: " + "; ".join(reasons) + "."


@dataclass(frozen=True)
class RemovalPerk:
    """The negative outcome whose removal with the Top Rated feedback-removal perk raises the
    score most: by how much, when it shows, and whether the perk may be used now."""

    contract: str
    effect: int | None  # change of the displayed JSS if removed
    shows_on: date
    eligible: bool
    why: str


def removal_perk(contracts: Sequence[Contract], on: date, status: TopRatedStatus,
                 rule_id: str = "auto", projector: Projector | None = None
                 ) -> RemovalPerk | None:
    """The negative outcome whose removal raises the score most, if removing one would;
    never after the perk ended (REMOVAL_PERK_ENDED)."""
    if on > REMOVAL_PERK_ENDED:
        return None
    p = projector or Projector(contracts, on, rule_id)
    known = p.known
    shows = Updates(known, rule_id, on + timedelta(days=30)).next_on_or_after(on)
    scorer = p.scorer(shows)
    best: tuple[int, str] | None = None
    for c in relevant(known, shows):
        kind, _, weight, counts_on, _ = scorer.verdict(c.id)
        if kind != "negative" or counts_on is None or weight <= 0:  # not counted
            continue
        after, before = scorer.jss_with({c.id: c.evolve(removed=True)}), scorer.jss
        if after is None or before is None or after <= before:
            continue
        if best is None or (after - before, c.id) > best:
            best = (after - before, c.id)
    if best is None:
        return None
    gain, cid = best
    removed = [c.end for c in known if c.removed and c.end is not None]
    last = max(removed, default=None)
    completed = sum(1 for c in known if c.end is not None and c.end <= on and c.feedback
                    and not c.removed and (last is None or c.end > last))
    gaps = []
    if not status.top_rated:
        gaps.append("you are not Top Rated")
    if completed < REMOVAL_AFTER_COMPLETED:
        gaps.append(f"{completed} of {REMOVAL_AFTER_COMPLETED} completed contracts since "
                    + ("the last removal" if last else "you started"))
    if last is not None and (on - last).days < REMOVAL_EVERY_DAYS:
        gaps.append("a contract was removed less than 3 months ago")
    head = (f"Removing {cid} with the Top Rated feedback-removal perk would change the score "
            f"by {gain:+d} points (the perk is never allowed when removal would lower it; once "
            "per 3 months, after 10 new completed contracts).")
    why = head + (" You qualify." if not gaps else " Not yet: " + "; ".join(gaps) + ".")
    return RemovalPerk(cid, gain, shows, not gaps, why)
