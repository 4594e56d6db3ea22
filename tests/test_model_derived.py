"""Values derived from a contract are kept beside it (model.derived), never written into the
frozen record, and go with it."""

from __future__ import annotations

import gc
from datetime import date

from jssreport.model.derived import SideTable
from jssreport.model.history import verdict_signature
from jssreport.model.timeline import change_dates
from jssreport.model.types import Contract, Feedback, Payment, contract_digest


def contract() -> Contract:
    return Contract(id="a", client="Acme", title="Logo", type="fixed", start=date(2024, 1, 2),
                    end=date(2024, 2, 1), payments=(Payment(date(2024, 2, 1), 300.0),),
                    feedback=Feedback(date=date(2024, 2, 2), stars=5.0))


def test_deriving_never_writes_into_the_record() -> None:
    c = contract()
    before = dict(c.__dict__)
    for derive in (contract_digest, change_dates, verdict_signature):
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
