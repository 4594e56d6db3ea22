"""The calibrated assessment (jssreport.advice.calibrate): the records plus the hidden private
ratings that explain what the platform showed, computed once and read everywhere."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from jssreport.advice.calibrate import calibrated_assessment
from jssreport.input.records import load_records
from jssreport.model.history import would_recommend
from jssreport.model.types import Contract, Feedback, Payment, Snapshot
from jssreport.model.windows import estimate

ROOT = Path(__file__).resolve().parent.parent
SEED_EXPLAIN = ROOT / "jssreport" / "examples" / "seed-explain"


@pytest.mark.parametrize("project", [ROOT, SEED_EXPLAIN], ids=["demo", "seed-explain"])
def test_the_estimate_starts_from_what_the_platform_showed(project: Path) -> None:
    records = load_records(project)
    snap = records.profile.snapshots[-1]
    on = snap.date + timedelta(days=3)
    a = calibrated_assessment(records.contracts, records.profile.snapshots, on)
    assert (snap.jss, snap.would_recommend) == (82, 60)
    assert a.jss is not None and abs(a.jss - 82) <= 3, a
    assert a.public_only == estimate(records.contracts, on).jss  # the records as entered
    assert a.public_only is not None and a.public_only >= 90
    assert a.low is not None and a.high is not None and a.low <= a.jss <= a.high
    assert a.would_recommend == 60 and a.would_recommend_public == 100
    assert len(a.detractors) == 2
    # the likely detractors are the two likeliest by chance, in that order
    assert [cid for cid, _ in a.detractors] == [s.id for s in a.ranked[:2]]


def test_without_a_snapshot_the_estimate_is_the_records_own() -> None:
    records = load_records(ROOT)
    on = records.profile.as_of
    assert on is not None
    a = calibrated_assessment(records.contracts, (), on)
    assert a.jss == a.public_only == estimate(records.contracts, on).jss
    assert a.range == (a.jss - 3, min(100, a.jss + 3))  # the model error only
    assert not a.calibrated and a.detractors == ()


# A generated history: clients rate 5 stars in public; a few recent ones gave a poor private
# rating. The platform showed the truth on T0; new well-rated work follows; we read on T1.
T0, T1 = date(2025, 10, 1), date(2025, 12, 1)


def _history(rng: random.Random) -> tuple[list[Contract], list[Contract]]:
    """(records as entered, the truth): the same contracts, the truth with private ratings."""
    entered, truth = [], []
    n = rng.randint(16, 30)
    for i in range(n):
        end = T0 - timedelta(days=rng.randint(20, 700))
        start = end - timedelta(days=rng.randint(7, 60))
        amount = float(rng.choice((150, 400, 900, 1500, 3000)))
        stars = rng.choice((5.0, 5.0, 5.0, 5.0, 4.8, 4.5))
        entered.append(_job(f"c{i:02d}", start, end, amount, stars))
    recent = [c for c in entered if c.end and (T0 - c.end).days <= 120]
    planted = {c.id for c in rng.sample(recent, min(len(recent), rng.randint(1, 3)))}
    for c in entered:
        truth.append(_rated(c, 3 if c.id in planted else rng.choice((10, 10, 9))))
    for k in range(rng.randint(1, 3)):  # new work after the snapshot, rated well
        end = T0 + timedelta(days=rng.randint(10, 50))
        job = _job(f"new{k}", end - timedelta(days=14), end,
                   float(rng.choice((400, 900, 1500))), 5.0)
        entered.append(job)
        truth.append(_rated(job, 10))
    return entered, truth


def _job(cid: str, start: date, end: date, amount: float, stars: float) -> Contract:
    return Contract(id=cid, client=f"Client {cid}", title=f"Job {cid}", type="fixed",
                    start=start, end=end, payments=(Payment(end, amount),),
                    feedback=Feedback(date=end, stars=stars))


def _rated(c: Contract, recommend: int) -> Contract:
    assert c.feedback is not None
    return c.evolve(feedback=Feedback(date=c.feedback.date, stars=c.feedback.stars,
                                      recommend=recommend))


def test_hidden_ratings_are_found_and_carried_forward() -> None:
    rng = random.Random(11)
    cases, good, errors, public_errors = 0, 0, [], []
    while cases < 40:
        entered, truth = _history(rng)
        shown = estimate(truth, T0).jss
        if shown is None:
            continue
        snap = Snapshot(T0, jss=shown, would_recommend=would_recommend(truth, T0))
        a = calibrated_assessment(entered, (snap,), T1)
        true_now = estimate(truth, T1).jss
        assert a.jss is not None and true_now is not None and a.public_only is not None
        cases += 1
        error = abs(a.jss - true_now)
        errors.append(error)
        public_errors.append(abs(a.public_only - true_now))
        inside = a.low is not None and a.high is not None and a.low <= true_now <= a.high \
            and a.high - a.low <= 15
        good += error <= 3 or inside
    mean, public_mean = sum(errors) / cases, sum(public_errors) / cases
    print(f"calibrated: {good}/{cases} good, mean error {mean:.1f} points; "
          f"public feedback alone: mean error {public_mean:.1f} points")
    assert good >= 0.8 * cases
    assert mean <= 5
    assert public_mean > mean


# --- One story on every page -------------------------------------------------------------

def _built_demo(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    import json

    from jssreport.input.config import load_settings
    from jssreport.pipeline import build_site

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "jssreport.yml", tmp_path / "jssreport.yml")
    build_site(tmp_path, load_settings(tmp_path))
    site = tmp_path / "site"
    return site, json.loads((site / "report.json").read_text(encoding="utf-8"))


def test_the_same_likely_detractors_in_the_same_order_everywhere(tmp_path: Path) -> None:
    site, data = _built_demo(tmp_path)
    assessment = data["assessment"]
    assert isinstance(assessment, dict)
    ids = [d["id"] for d in assessment["likely_detractors"]]
    assert len(ids) == 2
    explain = data["explain"]
    assert isinstance(explain, dict)
    ranked = [c["id"] for c in explain["detractors"]["contracts"]]
    assert ranked[: len(ids)] == ids  # the likeliest by chance, in that order
    assert [cid for cid, state in explain["best_fit"]["states"].items()
            if state != "positive"] == sorted(ids)
    records = load_records(ROOT)
    titles = {c.id: c.title for c in records.contracts}

    def order(html: str, marks: list[str]) -> list[int]:
        found = [html.find(m) for m in marks]
        assert all(i >= 0 for i in found), marks
        return found

    explain_html = (site / "explain.html").read_text(encoding="utf-8")
    summary = explain_html[explain_html.index("What explains the gap"):]
    assert order(summary, [f"{cid} (" for cid in ids]) == sorted(order(summary, [
        f"{cid} (" for cid in ids]))
    table = explain_html[explain_html.index("Which clients, how likely"):]
    rows = re.findall(r'<span class="id">([^<]+)</span>.*?<td>(positive|passive|negative)</td>',
                      table, re.S)
    assert [cid for cid, state in rows if state != "positive"] == ids
    for page, after in (("recommendations.html", " ("), ("contracts.html", "</strong> ("),
                        ("index.html", " (")):
        html = (site / page).read_text(encoding="utf-8")
        at = order(html, [f"{titles[cid]}{after}" for cid in ids])
        assert at == sorted(at), page
    contracts_html = (site / "contracts.html").read_text(encoding="utf-8")
    for i, cid in enumerate(ids, 1):
        row = contracts_html[contracts_html.index(f'<tr id="contract-{cid}">'):]
        assert f"likely detractor {i} of {len(ids)}" in row[: row.index("</tr>")]


def test_the_overview_leads_with_what_the_platform_showed(tmp_path: Path) -> None:
    site, data = _built_demo(tmp_path)
    html = (site / "index.html").read_text(encoding="utf-8")
    shown = html.index("Upwork showed <strong>82%</strong> on 2026-06-27")
    today = html.index("Estimated today (2026-06-30): <strong>")
    assert shown < today < html.index("Public feedback alone would give ")
    assert data["observed"] == {"date": "2026-06-27", "jss": 82, "would_recommend": 60}
    assert data["estimate_public_only"] == estimate(load_records(ROOT).contracts,
                                                    date(2026, 6, 30)).jss
    jss, low_high = data["jss"], data["jss_range"]
    assert isinstance(jss, int) and abs(jss - 82) <= 3
    assert isinstance(low_high, list) and low_high[0] <= jss <= low_high[1]
    assert 'id="chart-outlook"' in html
    # the checklist reads the calibrated score: it never ticks 90% three days after 82%
    checks = data["top_rated"]["checks"]  # type: ignore[index]
    assert not next(c for c in checks if c["label"] == "JSS at least 90%")["met"]
    assert "removal perk" not in (site / "recommendations.html").read_text(encoding="utf-8")


ACTIVITY = {
    "content/profile.yml": """
        name: Test Person
        as_of: 2020-07-15
    """,
    "content/contracts/a.yml": """
        contracts:
          - {id: early, client: Early, title: Early job, type: fixed, start: 2019-09-02,
             end: 2019-10-01, payments: [{date: 2019-10-01, amount: 800}],
             feedback: {date: 2019-10-02, stars: 5}}
          - {id: long, client: Long, title: Long job, type: fixed, start: 2020-01-06,
             end: 2020-06-20, payments: [{date: 2020-02-01, amount: 900}],
             feedback: {date: 2020-06-21, stars: 5}}
    """,
}


def test_activity_is_the_same_on_every_page_and_command(make_project: object) -> None:
    """A contract that ended 2020-06-20 (last paid 2020-02-01) is activity on 2020-07-15:
    the Overview, Recommendations, report.json and ``jssreport score`` say so alike."""
    import json

    from click.testing import CliRunner

    from jssreport.cli import main
    from jssreport.input.config import load_settings
    from jssreport.pipeline import build_site

    project = make_project(ACTIVITY)  # type: ignore[operator]
    build_site(project, load_settings(project))
    site = project / "site"
    data = json.loads((site / "report.json").read_text(encoding="utf-8"))
    label = "Active in the last 90 days"
    check = next(c for c in data["top_rated"]["checks"] if c["label"] == label)
    assert check["met"] is True and check["detail"] == "last activity 2020-06-20 (25 days ago)"
    for page in ("index.html", "recommendations.html"):
        html = (site / page).read_text(encoding="utf-8")
        item = html[html.index(f"<strong>{label}</strong>") - 80:]
        assert item.startswith(item[: item.index("<strong>")]) and 'check-yes' in \
            item[: item.index("<strong>")], page
        assert "last activity 2020-06-20 (25 days ago)" in item[: 400], page
    result = CliRunner().invoke(main, ["score", "--project", str(project)])
    assert result.exit_code == 0, result.output
    top_rated = next(line for line in result.stdout.splitlines() if "Top Rated" in line)
    assert label.lower() not in top_rated.lower()  # not among the missing criteria
    assert "jss at least 90%" not in top_rated.lower() or "missing" not in top_rated.lower()


def test_no_removal_perk_after_it_ended() -> None:
    from jssreport.advice.toprated import removal_perk, top_rated
    from jssreport.model.rules import REMOVAL_PERK_ENDED

    def history(shift: int) -> list[Contract]:
        jobs = [_job(f"j{i}", date(2022, 1, 3) + timedelta(days=30 * i + shift),
                     date(2022, 1, 17) + timedelta(days=30 * i + shift), 900.0, 5.0)
                for i in range(14)]
        jobs.append(_job("bad", date(2023, 1, 2) + timedelta(days=shift),
                         date(2023, 1, 16) + timedelta(days=shift), 900.0, 2.0))
        return jobs

    before = date(2023, 6, 1)
    jobs = history(0)
    assert removal_perk(jobs, before, top_rated(jobs, None, before)) is not None
    later = REMOVAL_PERK_ENDED + timedelta(days=1)
    shift = (later - before).days
    jobs = history(shift)
    assert removal_perk(jobs, later, top_rated(jobs, None, later)) is None


def test_the_checklist_never_ticks_what_the_platform_contradicts() -> None:
    from jssreport.advice.toprated import top_rated

    on = date(2025, 6, 1)
    jobs = [_job(f"j{i}", on - timedelta(days=30 * i + 20), on - timedelta(days=30 * i + 6),
                 900.0, 5.0) for i in range(12)]
    assert top_rated(jobs, None, on).checklist[0].met is True  # 100% by the records
    status = top_rated(jobs, None, on, observed=((on - timedelta(days=3), 85),))
    assert status.checklist[0].met is False
    assert "Upwork showed 85% on 2025-05-29" in status.checklist[0].detail
