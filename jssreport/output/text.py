"""The advice as plain terminal text (ASCII apart from the user's own names: cron mails and old
terminals): the top actions of ``jssreport score`` and ``jssreport explain``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from jssreport.advice import Explanation
from jssreport.advice.actions import Recommendation
from jssreport.advice.words import effect_words

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
