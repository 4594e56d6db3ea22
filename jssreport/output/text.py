"""The advice as plain terminal text (ASCII apart from the user's own names: cron mails and old
terminals): the estimate and top actions of ``jssreport score``, and ``jssreport explain``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from jssreport.advice import Explanation
from jssreport.advice.actions import Recommendation
from jssreport.advice.words import effect_words
from jssreport.model.windows import WINDOW_NAMES
from jssreport.report.compute import Report

WIDTH = 96


def _wrap(text: str, indent: str, more: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=more or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def action_lines(recs: Sequence[Recommendation]) -> list[str]:
    """``  1. Wait: leave it open - iris-logo (Logo refresh, Iris Dental): no change ...``"""
    if not recs:
        return []
    lines = ["Top actions:"]
    for i, rec in enumerate(recs, 1):
        who = ", ".join(p for p in (rec.title, rec.client) if p)
        head = f"{i}. {rec.action_label} - {rec.contract}" + (f" ({who})" if who else "")
        effect = rec.effect_ascii
        if rec.shows_on is not None and rec.later is None and \
                effect not in ("no change", "no score either way"):
            effect += f", from {rec.shows_on.isoformat()}"
        if rec.stays_open:
            effect += "; closing it now: " + _ascii_close(rec)
        lines.extend(_wrap(f"{head}: {effect}", "  ", "     "))
        lines.extend(_wrap(rec.why, "     "))
    return lines


def _ascii_close(rec: Recommendation) -> str:
    return effect_words(rec.close_effect, ascii_only=True)


def explain_lines(e: Explanation) -> list[str]:
    obs = e.observed
    seen = [f"JSS {obs.jss}%" if obs.jss is not None else "no JSS"]
    if obs.would_recommend is not None:
        seen.append(f"would recommend {obs.would_recommend}%")
    public = "no score" if e.estimate_public_only is None else f"{e.estimate_public_only}%"
    lines = [f"Observed on {obs.date.isoformat()}: {', '.join(seen)} (rules {e.rules})",
             f"Estimate from public feedback alone: {public}"]
    if e.best_fit_jss is not None:
        lines.append(f"Best fit with hidden private ratings: {e.best_fit_jss}%")
    if e.most_likely_count is not None:
        lines.append(f"Most likely number of rated clients who would not recommend you: "
                     f"{e.most_likely_count}")
    if e.contracts:
        lines.append("Chance each rated client would not recommend you (private feedback):")
        width = max(len(s.id) for s in e.contracts)
        for s in e.contracts:
            stars = "" if s.stars is None else f"{s.stars:g} stars, "
            lines.append(f"  {s.id:<{width}}  {s.probability:4.0%}  ({stars}negative "
                         f"{s.negative:.0%}, passive {s.passive:.0%}; prior {s.prior:.0%})")
    lines.append("")
    lines.extend(_wrap(e.summary, ""))
    lines.append("")
    method = {"exhaustive": f"every one of the {e.evaluated} combinations was scored",
              "sampling": f"{e.evaluated} combinations were sampled (Gibbs)",
              "none": "nothing to infer"}.get(e.method, e.method)
    lines.extend(_wrap(f"Method: {method}; the model's typical error is taken as "
                       f"{e.sigma:g} points. {e.prior}", ""))
    return lines


def score_lines(report: Report) -> list[str]:
    """The estimate in a few plain lines (ASCII only: cron mails and old terminals)."""
    est = report.estimate
    lines = []
    obs = report.observed
    if obs is not None and obs.jss is not None:
        lines.append(f"Upwork showed {obs.jss}% on {obs.date.isoformat()}")
    shown = "no score" if report.jss is None else f"{report.jss}%"
    if report.jss_range is not None and report.jss is not None:
        shown += f" (likely {report.jss_range[0]}-{report.jss_range[1]}%)"
    public = "no score" if est.jss is None else f"{est.jss}%"
    where = f"{est.window} window, " if est.window else "no window meets the minimum, "
    if report.assessment is not None and report.assessment.calibrated:
        lines.append(f"Estimated JSS on {report.as_of.isoformat()}: {shown}, calibrated on "
                     f"the snapshots; public feedback alone: {public} ({where}rules "
                     f"{est.rules.id})")
    else:
        lines.append(f"Estimated JSS on {report.as_of.isoformat()}: {shown} ({where}rules "
                     f"{est.rules.id})")
    lines.append("Windows: " + ", ".join(
        f"{name} {'n/a' if value is None else f'{value:.1f}%'}"
        for name, value in ((n, est.windows.get(n)) for n in WINDOW_NAMES)))
    wr = report.would_recommend
    wr_now = report.would_recommend_calibrated
    line = f"Would recommend (estimate): {'n/a' if wr_now is None else f'{wr_now}%'}"
    if wr.observed is not None and wr.observed_on is not None:
        line += f"; Upwork showed {wr.observed}% on {wr.observed_on.isoformat()}"
    lines.append(line)
    lines.append(f"Counted: {est.eligible_outcomes} outcomes from {est.clients} clients; "
                 f"{report.open_count} of {len(report.rows)} contracts open")
    if report.advice is not None:  # the same Top Rated status as every page
        lines.append(report.advice.top_rated_text)
    return lines + action_lines(report.top_recommendations)
