"""The Report as JSON: the fixed keys of ``score --json`` (docs/records.md, section 7) and the
fuller report.json."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from jssreport.model.windows import WINDOW_MONTHS, WINDOW_NAMES, window_start

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
    if report.advice is None:
        return [rec.to_json() for rec in report.recommendations]
    from jssreport.advice import recommendations_json

    return recommendations_json(report.advice.recommendations)


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
            "checks": [{"label": c.label, "met": c.met, "detail": c.detail}
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
        from jssreport.advice.calibrate import assessment_json

        data["assessment"] = assessment_json(report.assessment)
    if report.advice is not None:
        from jssreport.output.advicejson import advice_json

        advice = advice_json(report.advice, report.redacted, report.currency)
        data["top_rated"].update(advice.pop("top_rated"))
        data.update(advice)
    if report.redacted:
        from jssreport.report.redact import redact_json

        data = redact_json(data, report.currency)
    return data


def json_text(value: Any) -> str:
    """report.json: keys sorted, one line per top-level key and per item of a long list.

    Compact (about 30% smaller than indented, and written by the C encoder, several times
    faster) yet still line-oriented, so a diff of two reports shows which contracts changed.
    """
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    return _json_lines(value, encode, 0) + "\n"


def _json_lines(value: Any, encode: Any, depth: int) -> str:
    """Objects to three levels deep one key per line, lists of objects or lists to four
    levels one item per line; everything inside an item compact."""
    inner, outer = " " * (depth + 1), " " * depth
    if isinstance(value, dict) and value and depth < 3:
        items = [f"{inner}{encode(str(k))}: {_json_lines(value[k], encode, depth + 1)}"
                 for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + outer + "}"
    if isinstance(value, list) and value and depth < 4 and \
            isinstance(value[0], (dict, list)):
        return "[\n" + ",\n".join(inner + encode(item) for item in value) + "\n" + outer + "]"
    return str(encode(value))
