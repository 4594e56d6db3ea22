"""The report stage's entry: records + settings -> the one ``Report`` every page, chart, JSON
file and command reads (docs/architecture.md).

The history sweep and the explanation of the latest snapshot need nothing from each other,
nor do the report's own numbers and the advice: ``executor`` may run each pair at the same
time. ``cache`` may hand back results of earlier builds. Neither changes the result.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jssreport.executor import SERIAL, Executor
from jssreport.input.config import Settings
from jssreport.input.records import Records
from jssreport.report.advice import (
    Advice,
    advice_unexplained,
    assessment_of,
    display_recommendations,
    explained,
    explanation_of,
)
from jssreport.report.cache import UNCACHED, ResultCache
from jssreport.report.compute import (
    Recommendation,
    Report,
    compute_report,
    report_history,
    rule_setting,
    with_advice,
)
from jssreport.report.redact import redact_report


def assess(records: Records, settings: Settings, as_of: date, project: Path | None = None,
           cache: ResultCache = UNCACHED, executor: Executor = SERIAL) -> Report:
    """Everything the report says on ``as_of``, the advice included. ``project`` is where the
    project's own message templates are.

    A redacted report (``settings.redact``) is assessed from redacted records
    (``redact_inputs``: names and text go before the model sees them, which only needs them
    to be distinct; amounts stay exact so the estimate is the same) and its amounts are
    banded after it."""
    rule_id = rule_setting(records, settings)
    history, explanation = executor.both(
        lambda: report_history(records, settings, as_of, cache),
        lambda: explanation_of(records, as_of, rule_id, cache))

    def advice_and_actions() -> tuple[Advice, tuple[Recommendation, ...]]:
        # the calibrated assessment (the records plus the hidden ratings that explain the
        # snapshots): every projection of the advice starts from it
        assessment = assessment_of(records, as_of, rule_id, explanation)
        advice = advice_unexplained(records, as_of, rule_id, settings.dormancy,
                                    history[0], project, assessment, settings.redact)
        return advice, display_recommendations(advice, records, project)

    report, (advice, shown) = executor.both(
        lambda: compute_report(records, settings, as_of, history), advice_and_actions)
    # the assessment, the Top Rated checklist and the actions all come from the advice
    report = with_advice(report, explained(advice, records, explanation), shown)
    return redact_report(report) if settings.redact else report
