"""The report stage's entry: records + settings -> the one ``Report`` every page, chart, JSON
file and command reads (docs/architecture.md). ``cache`` may hand back results of earlier
builds; it never changes the result.
"""

from __future__ import annotations

from datetime import date

from jssreport.input.config import Settings
from jssreport.input.records import Records
from jssreport.report.advice import (
    advice_unexplained,
    assessment_of,
    display_recommendations,
    explained,
    explanation_of,
)
from jssreport.report.cache import UNCACHED, ResultCache
from jssreport.report.compute import (
    Report,
    compute_report,
    report_history,
    rule_setting,
    with_advice,
)


def assess(records: Records, settings: Settings, as_of: date,
           cache: ResultCache = UNCACHED) -> Report:
    """Everything the report says on ``as_of``, the advice included; it reads no file.

    A redacted report (``settings.redact``) is assessed from redacted records
    (``redact_inputs``: names and text go before the model sees them, which only needs them
    to be distinct; amounts stay exact so the estimate is the same) and its amounts are
    banded after it."""
    rule_id = rule_setting(records, settings)
    history = report_history(records, settings, as_of, cache)
    explanation = explanation_of(records, as_of, rule_id, cache)

    # the calibrated assessment (the records plus the hidden ratings that explain the
    # snapshots): every projection of the advice starts from it
    assessment = assessment_of(records, as_of, rule_id, explanation, cache)
    advice = advice_unexplained(records, as_of, rule_id, settings.dormancy, history[0],
                                assessment, settings.redact, cache)
    # the assessment, the Top Rated checklist and the actions all come from the advice
    report = compute_report(records, settings, as_of, history, checklist=False,
                            like=assessment.public)
    report = with_advice(report, explained(advice, records, explanation),
                         display_recommendations(advice))
    if not settings.redact:
        return report
    from jssreport.report.redact import redact_report  # imported when used

    return redact_report(report)
