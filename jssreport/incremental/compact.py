"""How the cache keeps a parsed contracts file: plain data in ``marshal``'s format.

The parsed records of every contracts file are kept between builds
(``incremental.recorditems``), and a first build writes all of them. Pickled as objects,
each contract, its feedback, every payment and every date is an object to reduce; written as
plain values (dates as day numbers, the payments as two columns: days and amounts), the same
file is written in less than half the time and read back in the same time. Plain data also
cannot construct anything but the records read back here.

``encode`` gives the bytes of a file's parse (``recorditems.ParsedFile``: the records, where
each item's record is, what was derived from each); ``decode`` gives back its parts, equal
field by field (``tests/test_incremental_compact.py``). A change to the format changes the
code, so the cache keys (``store.code_fingerprint``): an older entry is never decoded.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from datetime import date
from typing import Any

from jssreport.errors import Problem
from jssreport.input.records import ContractFile
from jssreport.model.types import Contract, Feedback, Payment

_NAMES = tuple(Contract.__dataclass_fields__)  # every field, the payment tables included
_DATES = tuple(i for i, n in enumerate(_NAMES) if n in ("start", "end", "last_payment",
                                                        "last_activity"))
_PAYMENTS, _EFFECTIVE, _PAID_DATES, _FEEDBACK = (
    _NAMES.index(n) for n in ("payments", "_effective", "_dates", "feedback"))
_FEEDBACK_NAMES = tuple(Feedback.__dataclass_fields__)
_PROBLEM_NAMES = tuple(Problem.__dataclass_fields__)
_Columns = tuple[tuple[int, ...], tuple[float, ...]]


def _day(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _date(value: int | None) -> date | None:
    return None if value is None else date.fromordinal(value)


def _columns(payments: Sequence[Payment]) -> _Columns:
    return tuple([p.date.toordinal() for p in payments]), tuple([p.amount for p in payments])


def _payments(columns: _Columns) -> tuple[Payment, ...]:
    day, new = date.fromordinal, tuple.__new__
    return tuple([new(Payment, (day(d), a)) for d, a in zip(*columns, strict=True)])


def _restored(cls: type[Any], names: Sequence[str], values: Sequence[Any]) -> Any:
    """An instance of the frozen dataclass ``cls`` with exactly these field values (as a
    pickle restores one: no ``__init__``, no ``__post_init__``)."""
    obj = object.__new__(cls)
    obj.__dict__.update(zip(names, values, strict=True))
    return obj


def _contract_values(c: Contract) -> tuple[Any, ...]:
    state = c.__dict__
    values = [state[name] for name in _NAMES]
    for i in _DATES:
        values[i] = _day(values[i])
    fb: Feedback | None = values[_FEEDBACK]
    if fb is not None:
        values[_FEEDBACK] = (_day(fb.date), fb.stars, fb.scores, fb.recommend, fb.comment)
    payments, effective = values[_PAYMENTS], values[_EFFECTIVE]
    values[_PAYMENTS] = _columns(payments)
    # the effective payments only when they are not the payments themselves (a total
    # without itemised payments, or payments not in date order); their dates are theirs
    values[_EFFECTIVE] = None if effective is payments else _columns(effective)
    values[_PAID_DATES] = None
    return tuple(values)


def _contract(values: Sequence[Any]) -> Contract:
    state = list(values)
    for i in _DATES:
        state[i] = _date(state[i])
    fb = state[_FEEDBACK]
    if fb is not None:
        state[_FEEDBACK] = _restored(Feedback, _FEEDBACK_NAMES, (_date(fb[0]), *fb[1:]))
    paid = _payments(state[_PAYMENTS])
    state[_PAYMENTS] = paid
    effective = paid if state[_EFFECTIVE] is None else _payments(state[_EFFECTIVE])
    state[_EFFECTIVE] = effective
    state[_PAID_DATES] = tuple([p.date for p in effective])
    return _restored(Contract, _NAMES, state)  # type: ignore[no-any-return]


Derived = tuple[tuple[date, ...], bytes, bytes]  # a record's change dates and two marks
Items = dict[bytes, tuple[int, int]]  # item digest -> (its record's index, first line)


def encode(whole: ContractFile, items: Items, derived: Sequence[Derived]) -> bytes:
    """A file's parse as plain data (``decode`` reads it back)."""
    return marshal.dumps((
        [_contract_values(c) for c in whole.contracts],
        whole.ids,
        [tuple(getattr(p, name) for name in _PROBLEM_NAMES) for p in whole.problems],
        items,
        [(tuple([d.toordinal() for d in days]), signature, mark)
         for days, signature, mark in derived],
    ), 4)


def decode(data: bytes) -> tuple[ContractFile, Items, tuple[Derived, ...]]:
    """What ``encode`` wrote (an error for anything else)."""
    contracts, ids, problems, items, derived = marshal.loads(data)
    day = date.fromordinal
    whole = ContractFile(tuple([_contract(values) for values in contracts]), ids,
                         tuple(Problem(*values) for values in problems))
    return whole, items, tuple([(tuple([day(d) for d in days]), signature, mark)
                                for days, signature, mark in derived])
