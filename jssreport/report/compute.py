"""The compute stage: records + settings -> one frozen Report that templates only lay out.

Every number the site or ``report.json`` shows is computed here (or in the model); display
values the templates need are properties, so templates never compute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from jssreport.advice.actions import Recommendation
from jssreport.advice.calibrate import Assessment
from jssreport.advice.dormancy import Dormancy, activity_of
from jssreport.advice.toprated import TopRatedStatus, top_rated
from jssreport.model.history import (
    HistoryPoint,
    Scores,
    contributions,
    would_recommend,
    would_recommend_on,
)
from jssreport.model.outcomes import KINDS, Outcome
from jssreport.model.rules import RuleSet
from jssreport.model.types import CONTRACT_TYPES, Contract, Profile, Snapshot
from jssreport.model.windows import (
    WINDOW_NAMES,
    Estimate,
    displayed_jss,
    estimate,
)
from jssreport.report.cache import UNCACHED, History, ResultCache
from jssreport.report.data import (
    ContractRow,
    Driver,
    Drivers,
    Earnings,
    MonthEarnings,
    OutcomeCount,
    SnapshotCheck,
    TopRated,
    WouldRecommend,
)
from jssreport.report.datewarnings import date_warnings
from jssreport.report.earnings import earnings_of
from jssreport.textformat import (
    format_money,
    format_percent,
    window_label,
)

if TYPE_CHECKING:
    from jssreport.input.config import Settings
    from jssreport.input.records import Records
    from jssreport.report.advice import Advice, LikelyDetractor
    from jssreport.report.since import Since

__all__ = ["ContractRow", "Driver", "Drivers", "Earnings", "MonthEarnings",
           "OutcomeCount", "Recommendation", "Report", "SnapshotCheck", "TopRated",
           "WouldRecommend", "compute_report"]

DRIVERS_SHOWN = 3
DEFAULT_TOP_ACTIONS = 3


@dataclass(frozen=True)
class Report:
    """Everything the site and report.json show, computed once per build; the templates only lay
    it out."""

    as_of: date
    title: str
    profile: Profile
    rule_setting: str  # what was asked for: a rule set id or "auto"
    estimate: Estimate
    rows: tuple[ContractRow, ...]
    history: tuple[HistoryPoint, ...]
    snapshots: tuple[SnapshotCheck, ...]
    would_recommend: WouldRecommend
    earnings: Earnings
    top_rated: TopRated
    drivers: Drivers
    outcome_mix: tuple[OutcomeCount, ...]
    dormancy: Dormancy  # jssreport.yml's thresholds (the advice reads the same object)
    top_actions: int = 3
    recommendations: tuple[Recommendation, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    redacted: bool = False  # names, text and exact amounts left out (jssreport.report.redact)
    since: Since | None = None  # what changed since the previous build (jssreport.report.since)
    advice: Advice | None = None  # the advice stage (jssreport.report.advice), set by build
    # the calibrated assessment (jssreport.advice.calibrate), set with the advice
    assessment: Assessment | None = None

    @property
    def rules(self) -> RuleSet:
        return self.estimate.rules

    @property
    def currency(self) -> str:
        return self.profile.currency

    @property
    def jss(self) -> int | None:
        """The calibrated estimate today (the records' own without a snapshot)."""
        return self.estimate.jss if self.assessment is None else self.assessment.jss

    @property
    def jss_range(self) -> tuple[int, int] | None:
        return None if self.assessment is None else self.assessment.range

    @property
    def would_recommend_calibrated(self) -> int | None:
        a = self.assessment
        return self.would_recommend.estimate if a is None else a.would_recommend

    @property
    def observed(self) -> Snapshot | None:
        """The latest snapshot on or before the report date."""
        return None if self.assessment is None else self.assessment.observed

    @property
    def likely_detractors(self) -> tuple[LikelyDetractor, ...]:
        """The likely detractors, likeliest first (the advice's; none without it)."""
        return () if self.advice is None else self.advice.detractors

    @property
    def detractor_badges(self) -> dict[str, str]:
        return {} if self.advice is None else self.advice.detractor_badges

    @property
    def gap_text(self) -> str:
        """One sentence on the gap between what the platform showed and public feedback."""
        a, advice = self.assessment, self.advice
        if a is None or not a.calibrated or advice is None:
            return ""
        public = "no score" if a.public_only is None else f"{a.public_only}%"
        parts = [f"Public feedback alone would give {public}"]
        clients = {advice.client(s.id) or s.id for s in a.ranked}
        k = len(a.detractors)
        if k:
            parts.append(f"the likeliest cause is private ratings from about {k} of "
                         f"{len(clients)} rated clients: {advice.detractor_words}")
        else:
            parts.append("no hidden poor rating is needed to explain what Upwork showed")
        effect = a.open_effect
        if effect == 0:
            parts.append("open contracts do not count now")
        elif effect is not None:
            parts.append(f"open contracts cost {abs(effect)} points now")
        return "; ".join(parts) + "."

    @property
    def jss_text(self) -> str:
        return "no score" if self.jss is None else f"{self.jss}%"

    @property
    def range_text(self) -> str:
        r = self.jss_range
        return "" if r is None else f"likely {r[0]}-{r[1]}%"

    @property
    def window_text(self) -> str:
        if self.estimate.window is None:
            return "no window meets the minimum"
        return f"from the {window_label(self.estimate.window)}"

    @property
    def windows(self) -> tuple[tuple[str, str, bool], ...]:
        """(label, score text, is the displayed one) for every window."""
        return tuple(
            (window_label(name), format_percent(self.estimate.windows.get(name), 1),
             name == self.estimate.window)
            for name in WINDOW_NAMES
        )

    @property
    def dormancy_note(self) -> str:
        return "; ".join(f"{kind} contracts are quiet after {quiet} days and dormant after "
                         f"{dormant} days" for kind, quiet, dormant in self.dormancy_table)

    @property
    def dormancy_table(self) -> tuple[tuple[str, int, int], ...]:
        """(contract type, quiet days, dormant days) for each type."""
        return tuple((kind, *self.dormancy.thresholds(kind)) for kind in CONTRACT_TYPES)

    @property
    def top_recommendations(self) -> tuple[Recommendation, ...]:
        return self.recommendations[: self.top_actions]

    @property
    def contract_count(self) -> int:
        return len(self.rows)

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rows if r.is_open)

    @property
    def counted_count(self) -> int:
        return sum(1 for r in self.rows if r.weight)


def rule_setting(records: Records, settings: Settings) -> str:
    """The rule set asked for: jssreport.yml, else the profile, else "auto"."""
    return settings.rules or records.profile.rules or "auto"




def report_history(records: Records, settings: Settings, as_of: date,
                    cache: ResultCache = UNCACHED) -> History:
    """The score at every update date up to ``as_of`` and on the snapshot dates."""
    started = tuple(c for c in records.contracts if c.start <= as_of)
    snapshot_days = [s.date for s in records.profile.snapshots]
    return cache.history(started, as_of, rule_setting(records, settings), snapshot_days)


def compute_report(records: Records, settings: Settings, as_of: date,
                   history: History | None = None, checklist: bool = True,
                   like: tuple[Sequence[Contract], Estimate] | None = None) -> Report:
    """Everything the site shows, computed once from the records on ``as_of``; ``history``
    is ``report_history``'s when known already; ``like``: contracts and their estimate on
    ``as_of`` (``model.windows.estimate``: the outcomes of the same contracts are reused).
    Without ``checklist`` the Top Rated checklist is left for ``with_advice`` (it replaces
    it by the advice's)."""
    profile = records.profile
    rule_id = rule_setting(records, settings)
    started = tuple(c for c in records.contracts if c.start <= as_of)
    est = estimate(started, as_of, rule_id, like=like)
    contrib = contributions(started, as_of, rule_id, est.outcomes)
    dormancy = settings.dormancy
    rows = tuple(_row(c, o, contrib.get(c.id), as_of, dormancy)
                 for c, o in zip(started, est.outcomes, strict=True))
    history_points, at_snapshots = history or report_history(records, settings, as_of)
    title = settings.title or f"Job Success Score report for {profile.name}"
    return Report(
        as_of=as_of,
        title=title,
        profile=profile,
        rule_setting=rule_id,
        estimate=est,
        rows=rows,
        history=history_points,
        snapshots=_snapshot_checks(started, profile, as_of, rule_id, at_snapshots),
        would_recommend=_would_recommend(started, profile, as_of),
        earnings=earnings_of(started, profile.currency, as_of),
        top_rated=_top_rated(started, history_points, as_of, rule_id, profile.currency,
                             profile, est.jss, settings.redact) if checklist else TopRated(()),
        drivers=_drivers(rows),
        outcome_mix=_outcome_mix(rows),
        dormancy=dormancy,
        top_actions=settings.top_actions,
        warnings=_warnings(records.contracts, profile, as_of),
    )


def _row(c: Contract, o: Outcome, contribution: float | None, as_of: date,
         dormancy: Dormancy) -> ContractRow:
    paid = c.paid_count(as_of)
    last_paid = c.last_of(paid)
    is_open = c.is_open(as_of)
    # the one dormancy rule (jssreport.advice.dormancy), as the Recommendations page reads it
    activity, dormant_days = activity_of(c, as_of, dormancy)
    fb = c.feedback if c.feedback and c.feedback.visible_on(as_of) and not is_open else None
    return ContractRow(
        id=c.id, client=c.client, title=c.title, type=c.type, start=c.start,
        end=c.end if not is_open else None, is_open=is_open, paused=c.paused,
        earned=c.earned_of(paid), last_payment=last_paid, payments=paid,
        days_since_payment=None if last_paid is None else (as_of - last_paid).days,
        stars=fb.stars if fb else None, recommend=fb.recommend if fb else None,
        comment=fb.comment if fb else None, notes=c.notes,
        outcome=o.kind, credit=o.credit, weight=o.weight, reason=o.reason,
        contribution=contribution, dormant_days=dormant_days, activity=activity,
    )


def _snapshot_checks(contracts: Sequence[Contract], profile: Profile, as_of: date,
                     rule_id: str, swept: Mapping[date, Scores]) -> tuple[SnapshotCheck, ...]:
    """Each snapshot against the estimate on its date (``swept``: the history's scores on the
    snapshot dates, else scored here)."""
    checks = []
    recommends = would_recommend_on(contracts, sorted({s.date for s in profile.snapshots
                                                       if s.date <= as_of}))
    for snap in sorted(profile.snapshots, key=lambda s: s.date):
        if snap.date > as_of:
            continue
        if snap.date in swept:
            rules, raw = swept[snap.date]
            jss, window = displayed_jss(raw)
        else:  # before the first contract
            est = estimate([c for c in contracts if c.start <= snap.date], snap.date, rule_id)
            rules, jss, window = est.rules, est.jss, est.window
        checks.append(SnapshotCheck(
            date=snap.date, observed=snap.jss, estimate=jss, window=window,
            rules=rules.id, observed_recommend=snap.would_recommend,
            estimate_recommend=recommends[snap.date],
        ))
    return tuple(checks)


def _would_recommend(contracts: Sequence[Contract], profile: Profile,
                     as_of: date) -> WouldRecommend:
    seen = [s for s in profile.snapshots if s.would_recommend is not None and s.date <= as_of]
    latest = max(seen, key=lambda s: s.date) if seen else None
    return WouldRecommend(
        estimate=would_recommend(contracts, as_of),
        observed=latest.would_recommend if latest else None,
        observed_on=latest.date if latest else None,
    )


def top_rated_view(status: TopRatedStatus) -> TopRated:
    """The Overview's checklist: the Top Rated criteria of ``advice.toprated`` (the only
    implementation), without the Top Rated Plus ones."""
    return TopRated(tuple(i for i in status.checklist if not i.plus_only))


def _top_rated(contracts: Sequence[Contract], history: Sequence[HistoryPoint], as_of: date,
               rule_id: str, currency: str, profile: Profile, jss: int | None,
               redact: bool = False) -> TopRated:
    """The checklist from the records as entered (``with_advice`` replaces it by the
    calibrated one of the advice)."""
    return top_rated_view(top_rated(
        contracts, history, as_of, rule_id,
        money=lambda a: format_money(a, currency, redact=redact),
        project=False, observed=observed_scores(profile), jss_now=jss))


def observed_scores(profile: Profile) -> tuple[tuple[date, int], ...]:
    return tuple((s.date, s.jss) for s in profile.snapshots if s.jss is not None)


def with_advice(report: Report, advice: Advice,
                shown: tuple[Recommendation, ...]) -> Report:
    """The report with its advice: the calibrated assessment, the Top Rated checklist and
    the recommendations all come from it, so no page can disagree with another."""
    return replace(report, advice=advice, recommendations=shown,
                   assessment=advice.assessment, top_rated=top_rated_view(advice.top_rated))


def _drivers(rows: Sequence[ContractRow]) -> Drivers:
    scored = [r for r in rows if r.contribution is not None and abs(r.contribution) >= 0.05]
    positive = sorted((r for r in scored if r.contribution and r.contribution > 0),
                      key=lambda r: (-(r.contribution or 0), r.id))
    negative = sorted((r for r in scored if r.contribution and r.contribution < 0),
                      key=lambda r: (r.contribution or 0, r.id))

    def driver(r: ContractRow) -> Driver:
        return Driver(r.id, r.client, r.title, r.contribution or 0.0, r.reason)

    notes = []
    open_idle = [r for r in rows if r.is_open and not r.weight]
    if open_idle:
        n = len(open_idle)
        notes.append(f"{n} open contract{'s' if n != 1 else ''} "
                     f"{'do' if n != 1 else 'does'} not count while open under these rules.")
    excluded = [r for r in rows if r.outcome == "excluded"]
    if excluded:
        n = len(excluded)
        notes.append(f"{n} contract{'s are' if n != 1 else ' is'} excluded from the score "
                     "(see the Contracts page for why).")
    return Drivers(tuple(driver(r) for r in positive[:DRIVERS_SHOWN]),
                   tuple(driver(r) for r in negative[:DRIVERS_SHOWN]), tuple(notes))


def _outcome_mix(rows: Sequence[ContractRow]) -> tuple[OutcomeCount, ...]:
    counts: dict[str, int] = defaultdict(int)
    weights: dict[str, float] = defaultdict(float)
    for r in rows:
        counts[r.outcome] += 1
        weights[r.outcome] += r.weight
    return tuple(OutcomeCount(kind, counts[kind], round(weights[kind], 2))
                 for kind in KINDS if counts[kind])


def record_warnings(records: Records, as_of: date) -> tuple[str, ...]:
    """The warnings of a build on ``as_of`` (what ``--strict`` refuses), from the records
    alone: ``check --strict`` fails exactly where ``build --strict`` does."""
    return _warnings(records.contracts, records.profile, as_of)


def _warnings(contracts: Sequence[Contract], profile: Profile, as_of: date) -> tuple[str, ...]:
    """Things that are not errors but that --strict refuses (jssreport.report.datewarnings:
    what the report date leaves out, a report date long after every record)."""
    extra = () if contracts else (
        "no contracts yet: import them with 'jssreport import upwork-csv FILE...' or write "
        "them in content/contracts/",)
    return tuple(sorted((*extra, *date_warnings(contracts, profile, as_of))))
