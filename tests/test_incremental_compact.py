"""The cache's compact form of a contract reads back equal to it, field by field."""

from __future__ import annotations

import io
import pickle
from datetime import date
from pathlib import Path

import pytest

from jssreport.incremental.compact import DISPATCH
from jssreport.input.records import load_records
from jssreport.model.types import Contract, Feedback, Payment

ROOT = Path(__file__).resolve().parent.parent


def _round_trip(value: object) -> object:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = DISPATCH
    pickler.dump(value)
    return pickle.loads(buffer.getvalue())


def _contract(**fields: object) -> Contract:
    base: dict[str, object] = {"id": "a", "client": "Acme", "title": "Logo", "type": "fixed",
                               "start": date(2024, 1, 5)}
    return Contract(**{**base, **fields})  # type: ignore[arg-type]


CASES = {
    "itemised": _contract(payments=(Payment(date(2024, 1, 9), 120.5),
                                    Payment(date(2024, 2, 9), 80.0)), end=date(2024, 2, 10),
                          feedback=Feedback(date(2024, 2, 12), 4.5, (("skills", 5.0),),
                                            8, "Good")),
    "a total only": _contract(earned=900.0, last_payment=date(2024, 3, 1),
                              end=date(2024, 3, 2)),
    "a total dated by the end": _contract(earned=40.0, end=date(2024, 3, 2)),
    "out of date order": _contract(payments=(Payment(date(2024, 5, 1), 10.0),
                                             Payment(date(2024, 2, 1), 20.0))),
    "no payments": _contract(),
    "every flag": _contract(paused=True, dispute=True, client_flagged=True, removed=True,
                            refunded=5.0, notes="**n**", source="csv", ended_by="client",
                            end_reason="dispute", last_activity=date(2024, 4, 4),
                            payments=(Payment(date(2024, 1, 6), 10.0),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_contract_reads_back_equal_field_by_field(name: str) -> None:
    c = CASES[name]
    back = _round_trip(c)
    assert isinstance(back, Contract)
    assert back == c and back.__dict__ == c.__dict__
    assert list(back.__dict__) == list(c.__dict__)  # the same fields, in the same order
    assert back.effective_payments == c.effective_payments
    assert all(type(p) is Payment for p in (*back.payments, *back.effective_payments))
    # the tables' dates are the effective payments' own
    assert all(d is p.date for d, p in zip(back._dates, back.effective_payments, strict=True))


def test_the_demo_and_shared_objects_read_back_equal() -> None:
    contracts = load_records(ROOT).contracts
    assert contracts
    back = _round_trip({"all": contracts, "again": contracts[:3]})
    assert isinstance(back, dict)
    assert back["all"] == contracts
    assert [c.__dict__ for c in back["all"]] == [c.__dict__ for c in contracts]
    assert all(a is b for a, b in zip(back["again"], back["all"], strict=False))
