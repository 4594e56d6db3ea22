"""Values derived from one contract record, remembered beside it, never written into it.

A contract is a frozen record; the model derives a few things from it many times (the dates
its outcome can change, its verdict signature), each costing more than the lookup.
A ``SideTable`` remembers such a value by the contract object's identity and forgets it when
the object goes; the record itself is never touched, and a changed copy is a new object with
nothing remembered. The records cache (``jssreport.incremental.recorditems``) keeps these
values with the parsed records and hands them back with ``remember``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class SideTable(Generic[K, V]):
    def __init__(self, compute: Callable[[K], V]) -> None:
        self.compute = compute
        self.values: dict[int, tuple[weakref.ref[K], V]] = {}

    def __call__(self, key: K) -> V:
        """``compute(key)``, computed once for the object ``key``."""
        found = self.values.get(id(key))
        if found is not None and found[0]() is key:
            return found[1]
        value = self.compute(key)
        self.remember(key, value)
        return value

    def known(self, key: K) -> V | None:
        """``compute(key)`` when it is remembered for the object ``key``, else None."""
        found = self.values.get(id(key))
        return found[1] if found is not None and found[0]() is key else None

    def remember(self, key: K, value: V) -> None:
        """Take ``value`` as ``compute(key)`` (computed earlier, e.g. by an earlier build)."""
        k = id(key)
        self.values[k] = (weakref.ref(key, lambda ref: self._forget(k, ref)), value)

    def _forget(self, k: int, ref: weakref.ref[K]) -> None:
        found = self.values.get(k)
        if found is not None and found[0] is ref:
            del self.values[k]


def remember_together(key: K, found: Sequence[tuple[SideTable[K, Any], Any]]) -> None:
    """``table.remember(key, value)`` for each (table, value) of ``found``, with one weak
    reference for all (the records cache hands back several values per contract)."""
    k = id(key)
    tables = [table for table, _ in found]

    def forget(ref: weakref.ref[K]) -> None:
        for table in tables:
            table._forget(k, ref)

    ref = weakref.ref(key, forget)
    for table, value in found:
        table.values[k] = (ref, value)
