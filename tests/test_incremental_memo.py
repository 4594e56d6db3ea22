"""Compute results kept between builds (incremental.memo) are reused only for the same inputs:
a rebuild after any edit gives the bytes of a build without any cache."""

from __future__ import annotations

import dataclasses
import filecmp
import importlib
import importlib.util
import pickle
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import bench_generator

from jssreport.incremental.memo import Memo, explain_mark
from jssreport.incremental.store import SUFFIX, CacheStore, cache_folder
from jssreport.input.config import load_settings
from jssreport.input.records import load_records
from jssreport.model.types import Contract, Feedback, Payment, Snapshot
from jssreport.pipeline import build_site

explain_module = importlib.import_module("jssreport.advice.explain")
ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 6, 30)




CONTRACT = Contract(
    id="c", client="Client", title="Title", type="hourly", start=date(2024, 1, 1),
    end=date(2024, 6, 1), paused=False, payments=(Payment(date(2024, 2, 1), 100.0),),
    earned=None, last_payment=None, refunded=5.0,
    feedback=Feedback(date=date(2024, 6, 2), stars=4.5, scores=(("skills", 5.0),),
                      recommend=9, comment="Fine"),
    ended_by="client", end_reason="completed", dispute=False, client_flagged=False,
    removed=False, last_activity=date(2024, 5, 1), notes="n", source="s")
OTHER = {
    "id": "d", "client": "Other", "title": "Other", "type": "fixed", "start": date(2024, 1, 2),
    "end": date(2024, 6, 2), "paused": True, "payments": (Payment(date(2024, 2, 1), 101.0),),
    "earned": 7.0, "last_payment": date(2024, 2, 2), "refunded": 6.0,
    "feedback": Feedback(date=date(2024, 6, 2), stars=4.5, scores=(("skills", 5.0),),
                         recommend=9, comment="Other"),
    "ended_by": "freelancer", "end_reason": "cancelled", "dispute": True,
    "client_flagged": True, "removed": True, "last_activity": date(2024, 5, 2),
    "notes": "m", "source": "t",
}


def test_every_field_of_a_contract_is_in_its_explain_mark() -> None:
    names = {f.name for f in dataclasses.fields(Contract) if f.init}
    assert names == set(OTHER)
    base = explain_mark(CONTRACT)
    for name, value in OTHER.items():
        if name == "payments":  # the same date and job size: what explain reads is the same
            assert explain_mark(CONTRACT.evolve(payments=value)) == base
            value = (Payment(date(2024, 2, 2), 101.0),)
        if name == "refunded":  # a refund that keeps the job size: the same
            assert explain_mark(CONTRACT.evolve(refunded=value)) == base
            value = 0.0
        if name in ("earned", "last_payment"):  # read without itemised payments only
            total = CONTRACT.evolve(payments=(), earned=100.0, last_payment=date(2024, 2, 1))
            changed = {"earned": 2000.0, "last_payment": date(2024, 2, 2)}[name]
            assert explain_mark(total.evolve(**{name: changed})) != explain_mark(total), name
            continue
        assert explain_mark(dataclasses.replace(CONTRACT, **{name: value})) != base, name


def test_a_changed_copy_never_keeps_the_mark_of_its_original() -> None:
    base = explain_mark(CONTRACT)
    assert explain_mark(CONTRACT.evolve(end=date(2024, 7, 1))) != base
    assert explain_mark(CONTRACT.paid_by(date(2024, 1, 15))) != base
    assert explain_mark(CONTRACT.evolve()) == base


Counted = Callable[[object, str], list[object]]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    """``counted(module, name)``: ``module.name`` recording the arguments of each call."""

    def wrap(module: object, name: str) -> list[object]:
        calls: list[object] = []
        real = getattr(module, name)

        def counting(*args: object, **kwargs: object) -> object:
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
        return calls

    return wrap


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("memo") / "history"
    bench_generator().generate(400, project, seed=3)
    return project


def _edits(project: Path) -> list[tuple[str, str, str]]:
    """(file, old, new) edits: a payment in the newest file, a rating in the oldest."""
    files = sorted((project / "content/contracts").glob("*.yml"))
    newest = files[-1].read_text()
    amount = re.findall(r"amount: ([0-9.]+)", newest)[-1]
    oldest = files[0].read_text()
    stars = re.search(r"stars: ([0-9.]+)", oldest)
    assert stars is not None
    old_amount = re.findall(r"amount: ([0-9.]+)", oldest)[-1]
    return [(files[-1].name, f"amount: {amount}", f"amount: {float(amount) + 1:.2f}"),
            (files[0].name, stars.group(0), "stars: 1.0"),
            (files[0].name, f"amount: {old_amount}", f"amount: {float(old_amount) + 1:.2f}")]


def test_a_rebuild_after_an_edit_equals_a_build_without_a_cache(
        generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(generated)
    build_site(generated, settings, AS_OF, output=tmp_path / "cached")
    for name, old, new in _edits(generated):
        path = generated / "content/contracts" / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
        build_site(generated, settings, AS_OF, output=tmp_path / "cached")
        monkeypatch.setenv("JSSREPORT_NO_CACHE", "1")
        build_site(generated, settings, AS_OF, output=tmp_path / "fresh",
                   since=tmp_path / "cached/report.json")
        monkeypatch.delenv("JSSREPORT_NO_CACHE")
        # "since" compares with the site replaced: give the fresh build the same previous one
        same = filecmp.dircmp(tmp_path / "cached", tmp_path / "fresh")
        assert not same.diff_files and not same.left_only and not same.right_only
        path.write_text(text)
    assert {p.name for p in cache_folder(generated).iterdir()} >= {"history", "explain"}
    # each build keeps only what it used (the explanation is found in either process)
    build_site(generated, settings, AS_OF, output=tmp_path / "cached")
    files = len(list((generated / "content/contracts").glob("*.yml")))
    for kind, count in (("history", 1), ("explain", 1), ("contracts", files)):
        assert len(list((cache_folder(generated) / kind).glob(f"*{SUFFIX}"))) == count, kind


def test_the_explanation_is_reused_while_the_records_up_to_its_date_stay_the_same(
        generated: Path, counted: Counted, tmp_path: Path) -> None:
    calls = counted(explain_module, "explain")
    memo = Memo(CacheStore(tmp_path / "cache"))
    contracts = list(load_records(generated).contracts)
    snap = Snapshot(date(2025, 6, 1), jss=90)
    first = memo.explain(contracts, snap, "auto")
    assert memo.explain(contracts, snap, "auto") == first and len(calls) == 1
    later = max(contracts, key=lambda c: c.start)
    assert later.start > snap.date
    contracts[contracts.index(later)] = later.evolve(title="Renamed after the snapshot")
    assert memo.explain(contracts, snap, "auto") == first and len(calls) == 1
    paid = next(c for c in contracts if c.payments and c.end and c.end < snap.date)
    contracts[contracts.index(paid)] = paid.evolve(payments=(
        *paid.payments[:-1], paid.payments[-1]._replace(amount=paid.payments[-1].amount + 0.01)))
    assert memo.explain(contracts, snap, "auto") == first and len(calls) == 1  # same weights
    earlier = next(c for c in contracts if c.feedback and c.feedback.stars and
                   c.end and date(2024, 9, 1) < c.end < snap.date)
    assert earlier.feedback is not None
    contracts[contracts.index(earlier)] = earlier.evolve(
        feedback=dataclasses.replace(earlier.feedback, stars=1.0))
    memo.explain(contracts, snap, "auto")
    assert len(calls) == 2


def test_no_cache_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSSREPORT_NO_CACHE", "1")
    assert not CacheStore.for_project(tmp_path)
    project = tmp_path / "project"
    bench_generator().generate(30, project, seed=4)
    build_site(project, load_settings(project), AS_OF)
    assert (project / "site/index.html").is_file()
    assert not cache_folder(project).exists()


def test_contract_pages_are_kept_only_for_the_built_in_templates(
        tmp_path: Path) -> None:
    project = tmp_path / "project"
    bench_generator().generate(450, project, seed=5)
    settings = load_settings(project)
    build_site(project, settings, AS_OF)
    kept = sorted((cache_folder(project) / "pages").glob(f"*{SUFFIX}"))
    pages = sorted((project / "site").glob("contracts*.html"))
    assert len(pages) == 3 and len(kept) == 3
    assert {p.read_bytes() for p in pages} == {pickle.loads(k.read_bytes()) for k in kept}
    # A project's own templates may read anything: its pages are always rendered.
    (project / "templates").mkdir()
    (project / "templates/contracts.html").write_text(
        '{% extends "!builtin/contracts.html" %}{% block title %}Mine{% endblock %}')
    build_site(project, settings, AS_OF)
    assert len(list((cache_folder(project) / "pages").glob(f"*{SUFFIX}"))) == 3  # untouched
    assert "<title>Mine" in (project / "site/contracts.html").read_text()


def _paid_more(c: Contract, extra: float) -> Contract:
    last = c.payments[-1]
    return c.evolve(payments=(*c.payments[:-1], last._replace(amount=last.amount + extra)))


def test_an_amount_that_keeps_every_job_size_keeps_the_explanation_of_an_open_contract_too(
        generated: Path, counted: Counted, tmp_path: Path) -> None:
    real = explain_module.explain
    calls = counted(explain_module, "explain")
    memo = Memo(CacheStore(tmp_path / "cache"))
    contracts = list(load_records(generated).contracts)
    snap = Snapshot(date(2026, 3, 1), jss=90)
    first = memo.explain(contracts, snap, "auto", report_on=AS_OF)
    # an open contract paid well over $1,000: a dollar more keeps its size
    big = next(c for c in contracts if c.is_open(AS_OF) and c.payments
               and c.total_earned > 1100 and c.payments[-1].date <= AS_OF)
    contracts[contracts.index(big)] = _paid_more(big, 1.0)
    assert memo.explain(contracts, snap, "auto", report_on=AS_OF) == first and len(calls) == 1
    # a payment that crosses a size changes what the model reads: computed again
    small = next(c for c in contracts if c.is_open(AS_OF) and c.payments
                 and 0 < c.total_earned <= 250 and c.payments[-1].date <= AS_OF)
    contracts[contracts.index(small)] = _paid_more(small, 2000.0)
    again = memo.explain(contracts, snap, "auto", report_on=AS_OF)
    assert len(calls) == 2
    assert again == real(contracts, snap, "auto", report_on=AS_OF)


def test_the_explanation_reads_amounts_only_through_the_job_size(generated: Path) -> None:
    """What the explanation's mark rests on: change every amount but keep each contract's job
    size after every payment, and the explanation is the same."""
    from jssreport.model.outcomes import size_weight

    contracts = list(load_records(generated).contracts)
    snap = Snapshot(date(2026, 3, 1), jss=88)

    def sizes(c: Contract) -> tuple[tuple[bool, float], ...]:
        return tuple((c.earned_of(k) <= 0, size_weight(c.earned_of(k)))
                     for k in range(len(c.effective_payments) + 1))

    moved = []
    for c in contracts:
        if not c.payments:
            moved.append(c)
            continue
        for scale in (0.999, 0.99, 0.9):
            other = c.evolve(payments=tuple(p._replace(amount=round(p.amount * scale, 2))
                                            for p in c.payments))
            if sizes(other) == sizes(c):
                assert explain_mark(other) == explain_mark(c)
                moved.append(other)
                break
        else:
            moved.append(c)
    assert sum(a is not b for a, b in zip(moved, contracts, strict=True)) > len(contracts) / 2
    assert explain_module.explain(moved, snap, "auto", report_on=AS_OF) == \
        explain_module.explain(contracts, snap, "auto", report_on=AS_OF)


def test_scores_are_reused_for_contracts_judged_alike(
        generated: Path, counted: Counted, tmp_path: Path) -> None:
    sim = importlib.import_module("jssreport.advice.sim")
    real = sim.scores_on
    calls = counted(sim, "scores_on")
    memo = Memo(CacheStore(tmp_path / "cache"))
    contracts = list(load_records(generated).contracts)
    days = [date(2026, 3, 1), date(2026, 4, 1), AS_OF]
    first = memo.scores(contracts, days, "auto")
    assert first == real(contracts, days, "auto") and len(calls) == 1
    # a new title and a payment that keeps the job size: judged alike, the same scores
    big = next(c for c in contracts if c.payments and c.total_earned > 1100)
    contracts[contracts.index(big)] = _paid_more(big, 1.0).evolve(title="Renamed")
    assert memo.scores(contracts, days, "auto") == first and len(calls) == 1
    rated = next(c for c in contracts if c.feedback and c.feedback.stars == 5.0
                 and c.end and date(2025, 9, 1) < c.end < date(2026, 3, 1))
    assert rated.feedback is not None
    contracts[contracts.index(rated)] = rated.evolve(
        feedback=dataclasses.replace(rated.feedback, stars=1.0))
    again = memo.scores(contracts, days, "auto")
    assert len(calls) == 2 and again == real(contracts, days, "auto") and again != first


def test_outcomes_are_reused_for_contracts_judged_alike(
        generated: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from jssreport.model.windows import outcomes_on

    memo_module = importlib.import_module("jssreport.incremental.memo")
    calls: list[str] = []
    real = memo_module.outcome_of

    def counting(c: Contract, on: date, rules: object) -> object:
        calls.append(c.id)
        return real(c, on, rules)

    monkeypatch.setattr(memo_module, "outcome_of", counting)
    contracts = list(load_records(generated).contracts)
    first_build = Memo(CacheStore(tmp_path / "cache"))
    first = first_build.outcomes(contracts, AS_OF, "auto")
    assert first == outcomes_on(contracts, AS_OF, "auto") and len(calls) == len(contracts)
    first_build.prune()  # written with the build
    calls.clear()
    big = next(c for c in contracts if c.payments and c.total_earned > 1100)
    rated = next(c for c in contracts if c.feedback and c.feedback.stars == 5.0
                 and c.end and c.end < AS_OF)
    assert rated.feedback is not None
    contracts[contracts.index(big)] = _paid_more(big, 1.0).evolve(title="Renamed")
    contracts[contracts.index(rated)] = rated.evolve(
        feedback=dataclasses.replace(rated.feedback, stars=1.0))
    again = Memo(CacheStore(tmp_path / "cache")).outcomes(contracts, AS_OF, "auto")
    assert calls == [rated.id]  # the renamed one, paid within its job size, is reused
    assert again == outcomes_on(contracts, AS_OF, "auto")


def test_results_made_of_verdicts_are_kept_by_their_signatures(
        generated: Path, tmp_path: Path) -> None:
    from jssreport.advice.plan import rolloff_calendar
    from jssreport.model.history import verdicts_digest

    contracts = list(load_records(generated).contracts)
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return rolloff_calendar(contracts, AS_OF, "auto")

    build = Memo(CacheStore(tmp_path / "cache"))
    first = build.kept("rolloff", compute, verdicts_digest(contracts), AS_OF, "auto")
    build.prune()
    big = next(c for c in contracts if c.payments and c.total_earned > 1100)
    contracts[contracts.index(big)] = _paid_more(big, 1.0).evolve(title="Renamed")
    memo = Memo(CacheStore(tmp_path / "cache"))
    assert memo.kept("rolloff", compute, verdicts_digest(contracts), AS_OF, "auto") == first
    assert len(calls) == 1 and rolloff_calendar(contracts, AS_OF, "auto") == first
    assert memo.kept("rolloff", compute, verdicts_digest(contracts), AS_OF, "upwork-2015") \
        is not None and len(calls) == 2  # another key: computed
    rated = next(c for c in contracts if c.feedback and c.feedback.stars == 5.0
                 and c.end and date(2025, 9, 1) < c.end < AS_OF)
    assert rated.feedback is not None
    contracts[contracts.index(rated)] = rated.evolve(
        feedback=dataclasses.replace(rated.feedback, stars=1.0))
    memo.kept("rolloff", compute, verdicts_digest(contracts), AS_OF, "auto")
    assert len(calls) == 3
