"""The cache's plain-data form of a parsed contracts file reads back equal to it, field by
field (``jssreport/incremental/compact.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jssreport.errors import Problem
from jssreport.incremental.compact import decode, encode
from jssreport.incremental.recorditems import derive, parse_with_items
from jssreport.input.records import ContractFile, parse_contract_file
from jssreport.model.types import Contract, Feedback, Payment

ROOT = Path(__file__).resolve().parent.parent


def _contract(**fields: object) -> Contract:
    base: dict[str, object] = {"id": "a", "client": "Acme", "title": "Logo", "type": "fixed",
                               "start": date(2024, 1, 5)}
    return Contract(**{**base, **fields})  # type: ignore[arg-type]


CASES = {
    "itemised": _contract(payments=(Payment(date(2024, 1, 9), 120.5),
                                    Payment(date(2024, 2, 9), 80.0)), end=date(2024, 2, 10),
                          feedback=Feedback(date(2024, 2, 12), 4.5, (("skills", 5.0),),
                                            8, "Good")),
    "feedback without a date or stars": _contract(end=date(2024, 2, 1),
                                                  feedback=Feedback(recommend=3)),
    "a total only": _contract(earned=900.0, last_payment=date(2024, 3, 1),
                              end=date(2024, 3, 2)),
    "a total dated by the end": _contract(earned=40.0, end=date(2024, 3, 2)),
    "out of date order": _contract(payments=(Payment(date(2024, 5, 1), 10.0),
                                             Payment(date(2024, 2, 1), 20.0))),
    "no payments": _contract(),
    "every flag": _contract(paused=True, dispute=True, client_flagged=True, removed=True,
                            refunded=5.0, notes="**n**\n", source="csv", ended_by="client",
                            end_reason="dispute", last_activity=date(2024, 4, 4),
                            payments=(Payment(date(2024, 1, 6), 10.0),)),
}


def _same(a: ContractFile, b: ContractFile) -> None:
    assert a == b
    for x, y in zip(a.contracts, b.contracts, strict=True):
        # every field, the payment tables included, with the same types and in the same order
        assert list(x.__dict__.items()) == list(y.__dict__.items())
        assert [type(v) for v in x.__dict__.values()] == [type(v) for v in y.__dict__.values()]
        assert all(type(p) is Payment for p in (*x.payments, *x.effective_payments))
        # the tables' dates are the effective payments' own
        assert all(d is p.date for d, p in zip(x._dates, x.effective_payments, strict=True))
        if x.feedback is not None:
            assert type(x.feedback) is Feedback and x.feedback.__dict__ == y.feedback.__dict__


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_contract_reads_back_equal_field_by_field(name: str) -> None:
    c = CASES[name]
    whole = ContractFile((c,), ((c.id, 2),), ())
    derived = (derive(c),)
    back, items, back_derived = decode(encode(whole, {b"d": (0, 2)}, derived))
    _same(back, whole)
    assert items == {b"d": (0, 2)} and back_derived == derived


def test_a_generated_history_and_a_file_with_problems_read_back_equal() -> None:
    for path in sorted((ROOT / "content" / "contracts").glob("*.yml")):
        parsed = parse_with_items(path.name, path.read_bytes(), parse_contract_file, None)
        derived = tuple(derive(c) for c in parsed.parsed.contracts)
        back, items, back_derived = decode(encode(parsed.parsed, dict(parsed.items), derived))
        _same(back, parsed.parsed)
        assert items == parsed.items and back_derived == derived
    broken = ContractFile((CASES["itemised"],), (("a", 2), ("b", 9)),
                          (Problem("x.yml", 9, "contract 'b'", "start is required"),))
    _same(decode(encode(broken, {}, ()))[0], broken)
    assert decode(encode(broken, {}, ()))[0].problems == broken.problems


def test_an_entry_that_does_not_decode_is_a_miss(tmp_path: Path) -> None:
    from jssreport.incremental.recorditems import KIND, cached_parser
    from jssreport.incremental.store import CacheStore

    path = ROOT / "content" / "contracts"
    files = [(f"content/contracts/{p.name}", p.read_bytes())
             for p in sorted(path.glob("*.yml"))]
    want = [parse_contract_file(rel, data) for rel, data in files]
    store = CacheStore(tmp_path)
    assert list(cached_parser(store)(files, parse_contract_file)) == want  # written
    entries = store.entries(KIND)
    assert entries
    for entry in entries:  # a cut entry, then one of another kind of value
        store.write(KIND, entry.name.removesuffix(".entry"), b"\xff\x00 not marshal")
    assert list(cached_parser(CacheStore(tmp_path))(files, parse_contract_file)) == want
    for entry in store.entries(KIND):
        store.write(KIND, entry.name.removesuffix(".entry"), {"not": "bytes"})
    assert list(cached_parser(CacheStore(tmp_path))(files, parse_contract_file)) == want
