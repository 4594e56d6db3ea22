"""The compute stage: literal records in, exact report values out."""

from __future__ import annotations

from datetime import date

from jssreport.advice.actions import Recommendation
from jssreport.input.config import Settings
from jssreport.input.records import Records
from jssreport.model.types import Contract, Feedback, Payment, Profile, Snapshot
from jssreport.output.reportjson import report_json, summary_json
from jssreport.report.compute import (
    Report,
    compute_report,
)

AS_OF = date(2020, 7, 1)
SPEC_KEYS = ["as_of", "rules", "jss", "window", "windows", "would_recommend", "eligible_outcomes",
             "clients", "contracts", "recommendations", "observed", "estimate_public_only",
             "jss_range"]
CONTRACT_KEYS = ["id", "outcome", "credit", "weight", "reason", "contribution", "dormant_days"]


def ended(cid: str, client: str, start: date, end: date, amount: float,
          stars: float | None) -> Contract:
    feedback = None if stars is None else Feedback(date=end, stars=stars)
    return Contract(id=cid, client=client, title=f"Job {cid}", type="fixed", start=start, end=end,
                    payments=(Payment(end, amount),), feedback=feedback)


CONTRACTS = (
    ended("a", "Alpha", date(2019, 9, 2), date(2019, 9, 30), 450, 5.0),
    ended("b", "Beta", date(2019, 10, 7), date(2019, 11, 4), 600, 5.0),
    ended("c", "Gamma", date(2020, 1, 6), date(2020, 2, 14), 1200, 4.6),
    ended("d", "Delta", date(2020, 3, 2), date(2020, 3, 16), 200, None),
    Contract(id="e", client="Epsilon", title="Open quiet", type="fixed", start=date(2020, 2, 17),
             payments=(Payment(date(2020, 3, 9), 300),), last_activity=date(2020, 3, 10)),
    Contract(id="f", client="Zeta", title="Open hourly", type="hourly", start=date(2020, 6, 1),
             payments=(Payment(date(2020, 6, 22), 100),)),
    Contract(id="g", client="Eta", title="Later", type="fixed", start=date(2020, 8, 1)),
)
PROFILE = Profile(name="Test Person", snapshots=(
    Snapshot(date(2020, 6, 28), jss=82, would_recommend=60),
    Snapshot(date(2020, 9, 1), jss=90),
))


def make_report(contracts: tuple[Contract, ...] = CONTRACTS, settings: Settings | None = None,
                as_of: date = AS_OF) -> Report:
    records = Records(profile=PROFILE, contracts=contracts, scenarios=(), pages=(), locations={})
    return compute_report(records, settings or Settings(), as_of)


def test_rows_describe_each_started_contract() -> None:
    report = make_report()
    assert [r.id for r in report.rows] == ["a", "b", "c", "d", "e", "f"]
    rows = {r.id: r for r in report.rows}
    assert rows["a"].status == "ended" and rows["a"].stars == 5.0
    assert rows["a"].days_since_payment == (AS_OF - date(2019, 9, 30)).days
    assert rows["e"].status == "open" and rows["e"].end is None
    assert rows["e"].dormant_days == (AS_OF - date(2020, 3, 10)).days
    assert rows["e"].activity == "dormant"  # fixed: dormant after 76 days
    assert rows["e"].idle_text == "dormant, 113 days"
    assert rows["f"].dormant_days == 9 and rows["f"].activity == "active"
    assert rows["a"].dormant_days is None and rows["a"].activity == "ended"
    assert rows["c"].outcome == "partial" and rows["c"].credit == 0.6


def test_future_contracts_and_snapshots_become_warnings() -> None:
    report = make_report()
    assert report.warnings == (
        "contract 'g' starts after the report date 2020-07-01; it is left out",
        "snapshot of 2020-09-01 is after the report date 2020-07-01; it is left out",
    )


def test_dormancy_thresholds_come_from_settings() -> None:
    from jssreport.advice.dormancy import Dormancy

    settings = Settings(dormancy=Dormancy(fixed_quiet=200, fixed_dormant=300))
    rows = {r.id: r for r in make_report(settings=settings).rows}
    assert rows["e"].activity == "active"
    assert make_report(settings=settings).dormancy_table == (("fixed", 200, 300),
                                                              ("hourly", 14, 30))


def test_earnings_by_month_and_last_12_months() -> None:
    report = make_report()
    e = report.earnings
    assert e.last_12_months == 450 + 600 + 1200 + 200 + 300 + 100
    assert e.total == e.last_12_months
    assert e.months[0].month == "2019-09" and e.months[-1].month == "2020-06"
    assert len(e.months) == 10  # every month in between, empty ones included
    assert dict(e.months[5].by_client) == {"Gamma": 1200}  # 2020-02
    assert e.clients[0] == "Gamma"
    assert e.last_12_months_text == "$2,850"


def test_snapshot_checks_compare_estimate_and_observed() -> None:
    report = make_report()
    (check,) = report.snapshots
    assert check.date == date(2020, 6, 28) and check.observed == 82
    assert check.estimate == report.estimate.jss  # nothing changed in between
    assert check.error == (check.estimate or 0) - 82
    assert report.would_recommend.observed == 60
    assert report.would_recommend.observed_on == date(2020, 6, 28)


def test_top_rated_checklist() -> None:
    report = make_report()
    checks = {c.name: c for c in report.top_rated.checks}
    assert checks["$1,000+ earned in the last 12 months"].met is True
    assert checks["First contract more than 90 days ago"].detail.endswith(" days ago")
    assert checks["Complete profile, no account hold"].met is None
    assert report.top_rated.eligible is False


def test_drivers_name_the_contracts_that_move_the_score() -> None:
    report = make_report()
    contributions = {r.id: r.contribution for r in report.rows}
    negative = [d.contract_id for d in report.drivers.negative]
    assert negative and all((contributions[c] or 0) < 0 for c in negative)
    first = report.drivers.negative[0]
    assert first.sentence.startswith(f"{first.title} ({first.client}) costs ")
    assert "2 open contracts do not count while open under these rules." in report.drivers.notes


def test_summary_json_has_exactly_the_spec_keys() -> None:
    data = summary_json(make_report())
    assert list(data) == SPEC_KEYS
    assert all(list(c) == CONTRACT_KEYS for c in data["contracts"])
    assert data["as_of"] == "2020-07-01"
    assert list(data["windows"]) == ["24m", "12m", "6m", "3m", "trending"]
    assert data["recommendations"] == []


def test_report_json_adds_details_and_recommendations_slot() -> None:
    report = make_report()
    data = report_json(report)
    assert list(data)[: len(SPEC_KEYS)] == SPEC_KEYS
    for key in ("history", "snapshots", "earnings", "top_rated", "rules_detail", "drivers",
                "outcome_mix"):
        assert key in data
    assert data["history"][-1]["date"] == "2020-07-01"
    assert data["contracts"][0]["client"] == "Alpha"
    rec = Recommendation("close", "e", (-3, 2), None, "quiet for months", "quiet", "auto")
    from dataclasses import replace

    with_rec = summary_json(replace(report, recommendations=(rec,)))
    (shown,) = with_rec["recommendations"]
    assert list(shown)[:4] == ["action", "contract", "effect", "why"]  # the fixed keys first
    assert {k: shown[k] for k in list(shown)[:4]} == {
        "action": "close", "contract": "e", "effect": [-3, 2], "why": "quiet for months"}


def test_top_recommendations_follow_settings() -> None:
    report = make_report(settings=Settings(top_actions=1))
    from dataclasses import replace

    recs = tuple(Recommendation("close", c, (0, 1), None, "why", "quiet", "auto") for c in "abc")
    assert [r.contract for r in replace(report, recommendations=recs).top_recommendations] == ["a"]


def test_no_contracts_gives_no_score() -> None:
    report = make_report(contracts=())
    assert report.estimate.jss is None
    assert report.jss_text == "no score"
    assert report.history == () and report.earnings.months == ()
    assert summary_json(report)["jss"] is None
