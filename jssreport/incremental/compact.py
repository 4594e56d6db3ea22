"""How the cache writes a contract record: its payments as two plain columns.

The parsed records of every contracts file are kept between builds
(``incremental.recorditems``), and a first build writes all of them. Pickled as it is, a
``Contract`` costs a Python call per payment (``Payment`` is a named tuple) and a reduction
per payment date; written as day numbers and amounts, it costs half as much to write and no
more to read back. ``DISPATCH`` is the table ``incremental.store`` pickles with (a pickler's
own table: nothing changes for any other pickling in the process).
"""

from __future__ import annotations

import copyreg
from collections.abc import Sequence
from datetime import date
from typing import Any

from jssreport.model.types import Contract, Payment

_NAMES = tuple(Contract.__dataclass_fields__)  # every field, the payment tables included
_PAYMENTS, _EFFECTIVE, _DATES = (_NAMES.index(n) for n in ("payments", "_effective", "_dates"))
_COLUMNS = tuple[tuple[int, ...], tuple[float, ...]]


def _columns(payments: Sequence[Payment]) -> _COLUMNS:
    return tuple([p.date.toordinal() for p in payments]), tuple([p.amount for p in payments])


def _payments(days: Sequence[int], amounts: Sequence[float]) -> tuple[Payment, ...]:
    day, new = date.fromordinal, tuple.__new__
    return tuple([new(Payment, (day(d), a)) for d, a in zip(days, amounts, strict=True)])


def reduce_contract(c: Contract) -> tuple[Any, ...]:
    """``c`` for pickle: ``restore_contract`` and its arguments. The payments go as columns;
    the effective payments only when they are not the payments themselves (a total without
    itemised payments, or payments not in date order); their dates are theirs."""
    state = c.__dict__
    values = [state[name] for name in _NAMES]
    payments, effective = values[_PAYMENTS], values[_EFFECTIVE]
    values[_PAYMENTS] = values[_EFFECTIVE] = values[_DATES] = None
    return restore_contract, (_columns(payments),
                              None if effective is payments else _columns(effective),
                              tuple(values))


def restore_contract(payments: _COLUMNS, effective: _COLUMNS | None,
                     values: tuple[Any, ...]) -> Contract:
    """The contract ``reduce_contract`` wrote: equal to it, field by field."""
    state = list(values)
    paid = _payments(*payments)
    state[_PAYMENTS] = paid
    state[_EFFECTIVE] = used = paid if effective is None else _payments(*effective)
    state[_DATES] = tuple([p.date for p in used])
    c = object.__new__(Contract)
    c.__dict__.update(zip(_NAMES, state, strict=True))
    return c


DISPATCH = {**copyreg.dispatch_table, Contract: reduce_contract}
