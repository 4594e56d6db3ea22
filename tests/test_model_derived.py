"""Values derived from a contract are kept beside it (model.derived), never written into the
frozen record, and go with it."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from jssreport.model.derived import SideTable
from jssreport.model.history import verdict_signature
from jssreport.model.timeline import change_dates
from jssreport.model.types import Contract, Feedback, Payment


def contract() -> Contract:
    return Contract(id="a", client="Acme", title="Logo", type="fixed", start=date(2024, 1, 2),
                    end=date(2024, 2, 1), payments=(Payment(date(2024, 2, 1), 300.0),),
                    feedback=Feedback(date=date(2024, 2, 2), stars=5.0))


def test_deriving_never_writes_into_the_record() -> None:
    c = contract()
    before = dict(c.__dict__)
    for derive in (change_dates, verdict_signature):
        assert derive(c) == derive(c)
    assert c.__dict__ == before


def test_a_value_is_computed_once_per_object_and_forgotten_with_it() -> None:
    calls: list[str] = []
    table: SideTable[Contract, str] = SideTable(lambda c: calls.append(c.id) or c.id)
    c = contract()
    assert table(c) == table(c) == "a" and calls == ["a"]
    other = c.evolve(title="Other")  # a copy is another object: nothing remembered
    assert table(other) == "a" and calls == ["a", "a"]
    del c, other
    gc.collect()
    assert table.values == {}


def test_a_remembered_value_is_taken_as_computed() -> None:
    table: SideTable[Contract, str] = SideTable(lambda c: "computed")
    c = contract()
    table.remember(c, "kept")
    assert table(c) == "kept"


def _full() -> Contract:
    return Contract(
        id="c", client="Client", title="Title", type="hourly", start=date(2024, 1, 1),
        end=date(2024, 6, 1), paused=False, payments=(Payment(date(2024, 2, 1), 100.0),),
        refunded=5.0, feedback=Feedback(date=date(2024, 6, 2), stars=4.5,
                                        scores=(("skills", 5.0),), recommend=9, comment="Fine"),
        ended_by="client", end_reason="completed", last_activity=date(2024, 5, 1), notes="n",
        source="s")


# A value for each field that the rules can read differently.
CHANGED = {
    "id": "d", "client": "Other", "type": "fixed", "start": date(2024, 1, 2),
    "end": date(2024, 6, 2), "paused": True, "payments": (Payment(date(2024, 2, 2), 100.0),),
    "refunded": 0.0,
    "feedback": Feedback(date=date(2024, 6, 2), stars=4.0, scores=(("skills", 5.0),),
                         recommend=9, comment="Fine"),
    "ended_by": "freelancer", "end_reason": "cancelled", "dispute": True,
    "client_flagged": True, "removed": True, "last_activity": date(2024, 5, 2),
}


def test_every_field_the_rules_can_read_is_in_the_verdict_signature() -> None:
    from jssreport.model.types import DESCRIPTIVE_FIELDS, record_fields

    totals = {"earned": 2000.0, "last_payment": date(2024, 2, 2)}  # without itemised payments
    assert set(CHANGED) | set(totals) | set(DESCRIPTIVE_FIELDS) == set(record_fields())
    base = verdict_signature(_full())
    for name, value in CHANGED.items():
        assert verdict_signature(_full().evolve(**{name: value})) != base, name
    total = _full().evolve(payments=(), earned=100.0, last_payment=date(2024, 2, 1))
    for name, value in totals.items():
        assert verdict_signature(total.evolve(**{name: value})) != verdict_signature(total)
    # a payment that crosses a job size, and one that keeps it
    assert verdict_signature(_full().evolve(payments=(Payment(date(2024, 2, 1), 300.0),))) \
        != base
    assert verdict_signature(_full().evolve(payments=(Payment(date(2024, 2, 1), 101.0),))) \
        == base
    for name in DESCRIPTIVE_FIELDS:
        assert verdict_signature(_full().evolve(**{name: "else"})) == base, name
    fb = _full().feedback
    assert fb is not None
    assert verdict_signature(_full().evolve(feedback=Feedback(
        date=fb.date, stars=fb.stars, scores=fb.scores, recommend=fb.recommend,
        comment="Another comment"))) == base


def test_contracts_with_the_same_signature_are_judged_alike_on_every_date(
        tmp_path: Path) -> None:
    """What the signature rests on: the rules read the amounts only through the job size
    after each payment, and no descriptive field. Generated histories, every rule set."""
    import random

    from conftest import bench_generator

    from jssreport.input.records import load_records
    from jssreport.model.outcomes import judge, size_weight
    from jssreport.model.rules import RULESETS, resolve_rules
    from jssreport.model.types import record_fields

    def sizes(c: Contract) -> tuple[tuple[bool, float], ...]:
        return tuple((c.earned_of(k) <= 0, size_weight(c.earned_of(k)))
                     for k in range(len(c.effective_payments) + 1))

    rng = random.Random(7)
    bench_generator().generate(300, tmp_path / "history", seed=5)
    contracts = load_records(tmp_path / "history").contracts
    days = [date(2016, 1, 1) + (date(2026, 6, 30) - date(2016, 1, 1)) * k // 40
            for k in range(41)]
    pairs = 0
    for c in contracts:
        fb = c.feedback
        other = c.evolve(title=c.title + " (renamed)", notes="a note", source="elsewhere",
                         feedback=None if fb is None else Feedback(
                             date=fb.date, stars=fb.stars, scores=fb.scores,
                             recommend=fb.recommend, comment="changed"))
        scale = rng.choice((0.999, 0.99, 1.001, 1.01))
        moved = other.evolve(payments=tuple(p._replace(amount=round(p.amount * scale, 2))
                                            for p in c.payments))
        if sizes(moved) == sizes(c):
            other = moved
        assert verdict_signature(other) == verdict_signature(c)
        assert any(getattr(other, n) != getattr(c, n) for n in record_fields())
        for rule_id in ("auto", *RULESETS):
            for day in days:
                rules = resolve_rules(rule_id, day)
                assert judge(other, day, rules) == judge(c, day, rules)
        pairs += 1
    assert pairs == len(contracts) > 100


def test_a_private_rating_copy_has_its_own_signature_derived_from_the_record() -> None:
    from jssreport.model.history import with_private_rating

    c = _full().evolve(feedback=Feedback(date=date(2024, 6, 2), stars=5.0))
    five, ten = with_private_rating(c, 5), with_private_rating(c, 10)
    assert five.feedback is not None and five.feedback.recommend == 5
    assert len({verdict_signature(c), verdict_signature(five), verdict_signature(ten)}) == 3
    assert verdict_signature(with_private_rating(c, 5)) == verdict_signature(five)
    # a copy of a record that differs otherwise differs too
    other = c.evolve(end=date(2024, 6, 3))
    assert verdict_signature(with_private_rating(other, 5)) != verdict_signature(five)


def test_values_remembered_together_go_with_their_record() -> None:
    from jssreport.model.derived import remember_together

    first: SideTable[Contract, str] = SideTable(lambda c: "computed")
    second: SideTable[Contract, int] = SideTable(lambda c: -1)
    c = contract()
    remember_together(c, ((first, "kept"), (second, 7)))
    assert first(c) == "kept" and second(c) == 7
    del c
    gc.collect()
    assert first.values == {} and second.values == {}
