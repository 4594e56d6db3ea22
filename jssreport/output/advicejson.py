"""The advice in report.json: recommendations (the fixed keys first), the closing plan, the
roll-off calendar, the paths to 90% and 80%, the Top Rated tracker, the removal perk, the
explanation of the latest observed score and the scenarios."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jssreport.advice import explain_json, recommendations_json
from jssreport.advice.plan import NO_NEW_WORK
from jssreport.report.advice import Advice, TargetView


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


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
    from jssreport.textformat import format_money

    return lambda value: format_money(value, currency, redact=True)
