"""Every JSON jssreport writes, in one place: ``score --json`` (the fixed keys of
docs/records.md, section 7), ``explain --json``, and the fuller report.json with the advice
(recommendations, closing plan, roll-off calendar, paths to 90% and 80%, Top Rated tracker,
removal perk, explanation, scenarios and the calibrated assessment)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from jssreport.advice.actions import Recommendation
from jssreport.advice.calibrate import Assessment
from jssreport.advice.explanation import Explanation
from jssreport.advice.plan import NO_NEW_WORK
from jssreport.model.windows import WINDOW_MONTHS, WINDOW_NAMES, window_start
from jssreport.report.advice import Advice, TargetView
from jssreport.textformat import TERMINAL_CONTROLS, format_money

if TYPE_CHECKING:
    from jssreport.report.compute import Report


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def summary_json(report: Report, with_contracts: bool = True) -> dict[str, Any]:
    """The object ``jssreport score --json`` prints: exactly the fixed top-level keys
    (docs/records.md, section 7)."""
    est = report.estimate
    a = report.assessment
    obs = None if a is None else a.observed
    return {
        "as_of": report.as_of.isoformat(),
        "rules": est.rules.id,
        # the calibrated estimate (the records' own without a snapshot): see observed
        "jss": report.jss,
        "window": est.window,
        "windows": {name: est.windows.get(name) for name in WINDOW_NAMES},
        "would_recommend": report.would_recommend_calibrated,
        "eligible_outcomes": est.eligible_outcomes,
        "clients": est.clients,
        "contracts": [
            {"id": r.id, "outcome": r.outcome, "credit": round(r.credit, 4),
             "weight": round(r.weight, 4), "reason": r.reason, "contribution": r.contribution,
             "dormant_days": r.dormant_days}
            for r in report.rows
        ] if with_contracts else [],
        "recommendations": _recommendations(report),
        # issue 11: what the platform showed, and the records' own estimate beside ``jss``
        "observed": None if obs is None else {"date": obs.date.isoformat(), "jss": obs.jss,
                                              "would_recommend": obs.would_recommend},
        "estimate_public_only": est.jss,
        "jss_range": None if report.jss_range is None else list(report.jss_range),
    }


def _recommendations(report: Report) -> list[dict[str, Any]]:
    """The fixed keys (action, contract, effect, why) and the advice's extras."""
    return recommendations_json(report.recommendations)


def contracts_json(report: Report) -> list[dict[str, Any]]:
    """report.json's ``contracts``: everything about each contract (none of it advice)."""
    starts = [(w, window_start(report.as_of, w)) for w in WINDOW_MONTHS]
    entries = []
    for r, outcome in zip(report.rows, report.estimate.outcomes, strict=True):
        counts_on = outcome.counts_on if outcome.counted else None
        entries.append({
            "id": r.id, "outcome": r.outcome, "credit": round(r.credit, 4),
            "weight": round(r.weight, 4), "reason": r.reason, "contribution": r.contribution,
            "dormant_days": r.dormant_days,
            "client": r.client, "title": r.title, "type": r.type, "status": r.status,
            "start": _iso(r.start), "end": _iso(r.end), "earned": r.earned,
            "last_payment": _iso(r.last_payment), "days_since_payment": r.days_since_payment,
            "stars": r.stars, "activity": r.activity,
            "counts_on": _iso(counts_on), "payments": r.payments,
            # the windows the outcome counts in today ("what changed" compares them)
            "windows": [] if counts_on is None or counts_on > report.as_of else
            [w for w, start in starts if counts_on >= start],
        })
    return entries


def report_json(report: Report, contracts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Everything the site shows, as one object: the summary keys and more. ``contracts``:
    ``contracts_json(report)`` when the caller has it already (it is used, not copied)."""
    data = summary_json(report, with_contracts=False)
    data["contracts"] = contracts_json(report) if contracts is None else contracts
    rules = report.rules
    data.update({
        "title": report.title,
        "freelancer": report.profile.name,
        "currency": report.currency,
        "rules_setting": report.rule_setting,
        "rules_detail": {
            "id": rules.id, "title": rules.title, "summary": rules.summary,
            "in_force_from": _iso(rules.in_force_from), "in_force_to": _iso(rules.in_force_to),
            "sources": [{"label": label, "url": url} for label, url in rules.sources],
            "parameters": [{"name": n, "value": v, "source": s} for n, v, s in rules.parameters()],
        },
        "score": None if report.estimate.score is None else round(report.estimate.score, 2),
        "dormancy": {kind: {"quiet": quiet, "dormant": dormant}
                     for kind, quiet, dormant in report.dormancy_table},
        "history": [
            {"date": p.date.isoformat(), "rules": p.rules, "jss": p.jss,
             "windows": {name: p.windows.get(name) for name in WINDOW_NAMES}}
            for p in report.history
        ],
        "snapshots": [
            {"date": s.date.isoformat(), "observed": s.observed, "estimate": s.estimate,
             "error": s.error, "window": s.window, "rules": s.rules,
             "observed_would_recommend": s.observed_recommend,
             "estimate_would_recommend": s.estimate_recommend}
            for s in report.snapshots
        ],
        "would_recommend_detail": {
            "estimate": report.would_recommend_calibrated,
            "estimate_public_only": report.would_recommend.estimate,
            "observed": report.would_recommend.observed,
            "observed_on": _iso(report.would_recommend.observed_on),
        },
        "earnings": {
            "currency": report.earnings.currency,
            "last_12_months": report.earnings.last_12_months,
            "total": report.earnings.total,
            "by_month": [{"month": m.month, "clients": dict(m.by_client), "total": m.total}
                         for m in report.earnings.months],
        },
        "top_rated": {
            "eligible": report.top_rated.eligible,
            "checks": [{"label": c.name, "met": c.met, "detail": c.detail}
                       for c in report.top_rated.checks],
        },
        "drivers": {
            "positive": [{"contract": d.contract_id, "contribution": d.contribution,
                          "sentence": d.sentence} for d in report.drivers.positive],
            "negative": [{"contract": d.contract_id, "contribution": d.contribution,
                          "sentence": d.sentence} for d in report.drivers.negative],
            "notes": list(report.drivers.notes),
        },
        "outcome_mix": {o.kind: {"contracts": o.contracts, "weight": o.weight}
                        for o in report.outcome_mix},
        "warnings": list(report.warnings),
        "redacted": report.redacted,
        "since": None if report.since is None else report.since.to_json(),
    })
    if report.assessment is not None:
        data["assessment"] = assessment_json(report.assessment)
    if report.advice is not None:
        advice = advice_json(report.advice, report.redacted, report.currency)
        data["top_rated"].update(advice.pop("top_rated"))
        data.update(advice)
    if report.redacted:
        from jssreport.report.redact import redact_json

        data = redact_json(data, report.currency)
    return data


# --- the advice ---------------------------------------------------------------------


def _points(points: Sequence[tuple[date, int | None, float | None]]) -> list[dict[str, Any]]:
    return [{"date": d.isoformat(), "jss": jss, "score": None if raw is None else round(raw, 2)}
            for d, jss, raw in points]


def advice_json(advice: Advice, redacted: bool = False, currency: str = "USD"
                ) -> dict[str, Any]:
    """The report.json keys of the advice; ``top_rated`` is merged into the report's own."""
    amount = _amount(redacted, currency)
    tr = advice.top_rated
    return {
        "recommendations": recommendations_json(advice.recommendations),
        "closing_plan": [
            {"step": s.step, "contract": s.contract, "action": s.action, "on": _iso(s.on),
             "shows_on": _iso(s.shows_on), "jss_if_good": s.jss_if_good,
             "jss_if_poor": s.jss_if_poor, "jss_no_change": s.jss_no_change}
            for s in advice.plan],
        "rolloff": {
            "assumption": NO_NEW_WORK,
            "events": [
                {"contract": r.contract, "kind": r.kind, "credit": round(r.credit, 4),
                 "weight": round(r.weight, 4), "counts_on": _iso(r.counts_on),
                 "window": r.window, "leaves_on": _iso(r.leaves_on),
                 "jss_before": r.jss_before, "jss_after": r.jss_after}
                for r in advice.rolloff],
            "no_change": _points(advice.outlook.points),
        },
        "paths": [_target(t) for t in advice.targets],
        "top_rated": {
            "weeks": [{"date": d.isoformat(), "jss": j} for d, j in tr.weeks],
            "weeks_at_90": tr.weeks_at_90,
            "earnings_12m": amount(tr.earnings_12m),
            "first_contract": _iso(tr.first_contract),
            "largest": None if tr.largest is None else {"contract": tr.largest[0],
                                                       "earned": amount(tr.largest[1])},
            "last_activity": _iso(tr.last_activity),
            "checklist": [{"name": i.name, "met": i.met, "detail": i.detail,
                           "plus_only": i.plus_only} for i in tr.checklist],
            "missing": list(tr.missing),
            "missing_plus": list(tr.missing_plus),
            "top_rated": tr.top_rated,
            "top_rated_plus": tr.top_rated_plus,
            "eligible_on": _iso(tr.eligible_on),
            "eligible_why": tr.eligible_why,
        },
        "removal_perk": None if advice.removal is None else {
            "contract": advice.removal.contract, "effect": advice.removal.effect,
            "shows_on": _iso(advice.removal.shows_on), "eligible": advice.removal.eligible,
            "why": advice.removal.why},
        "explain": None if advice.explanation is None else explain_json(advice.explanation),
        "scenarios": {
            "assumption": advice.baseline.assumption,
            "no_change": _points(advice.baseline.points),
            "scenarios": [
                {"name": s.name, "file": s.file, "actions": list(s.actions),
                 "notes": list(s.notes), "points": _points(s.projection.points),
                 "final": s.final, "final_date": _iso(s.final_date),
                 "versus_no_change": s.versus}
                for s in advice.scenarios],
        },
    }


def _target(t: TargetView) -> dict[str, Any]:
    p = t.path
    return {
        "target": p.target, "jss_now": p.jss_now, "reached": p.reached,
        "new_jobs": [{"size": s.size, "count": s.count, "by": _iso(s.by), "jss": s.jss}
                     for s in p.by_size],
        "every_days": p.every_days,
        "rolloff_on": _iso(p.rolloff_on), "rolloff_jss": p.rolloff_jss,
        "horizon": _iso(p.horizon),
        "falls_below_on": _iso(t.falls_below_on), "falls_to": t.falls_to,
        "assumption": p.assumption,
    }


def _amount(redacted: bool, currency: str) -> Any:
    """Exact amounts, or the bands of a redacted report."""
    if not redacted:
        return lambda value: value
    return lambda value: format_money(value, currency, redact=True)


def recommendations_json(recs: tuple[Recommendation, ...] | list[Recommendation]
                         ) -> list[dict[str, Any]]:
    """The ``score --json`` shape (docs/records.md, section 7): action, contract, effect
    [low, high], why; plus extras."""
    return [
        {
            "action": r.action,
            "contract": r.contract,
            "effect": None if r.effect is None else list(r.effect),
            "why": r.why,
            "shows_on": _opt_iso(r.shows_on),
            "status": r.status,
            "rules": r.rules,
            "since": _opt_iso(r.since),
            "idle_days": r.idle_days,
            "close_effect": None if r.close_effect is None else list(r.close_effect),
            "good_chance": r.good_chance,
            "expected": r.expected,
            "counts_from": _opt_iso(r.counts_from),
            "counts_effect": r.counts_effect,
        }
        for r in recs
    ]


def _opt_iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def explain_json(expl: Explanation) -> dict[str, Any]:
    obs = expl.observed
    return {
        "observed": {"date": obs.date.isoformat(), "jss": obs.jss,
                     "would_recommend": obs.would_recommend},
        "rules": expl.rules,
        "estimate_public_only": expl.estimate_public_only,
        "detractors": {
            "most_likely_count": expl.most_likely_count,
            "count_probabilities": {str(k): p for k, p in expl.count_probabilities},
            "most_likely_negative_count": expl.most_likely_negative_count,
            "contracts": [{"id": s.id, "probability": s.probability, "negative": s.negative,
                           "passive": s.passive, "prior": s.prior, "stars": s.stars,
                           "informative": s.informative} for s in expl.contracts],
        },
        "best_fit": {"jss": expl.best_fit_jss,
                     "states": {cid: state for cid, state in expl.best_fit}},
        "open_contracts": {"effect": expl.open_effect, "worst_case_jss": expl.open_worst},
        "method": expl.method,
        "evaluated": expl.evaluated,
        "sigma": expl.sigma,
        "prior": expl.prior,
        "summary": expl.summary,
    }


def assessment_json(a: Assessment) -> dict[str, object]:
    obs = a.observed
    return {
        "observed": None if obs is None else {"date": obs.date.isoformat(), "jss": obs.jss,
                                              "would_recommend": obs.would_recommend},
        "estimate_public_only": a.public_only,
        "jss": a.jss,
        "jss_range": None if a.range is None else list(a.range),
        "would_recommend": a.would_recommend,
        "would_recommend_public_only": a.would_recommend_public,
        "likely_detractors": [{"id": cid, "state": state} for cid, state in a.detractors],
    }


def terminal_json(value: Any) -> str:
    """JSON for a terminal: non-ASCII text as itself, every control character escaped
    (``json`` escapes C0 controls but not C1 ones or the bidirectional overrides)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
