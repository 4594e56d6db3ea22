"""How a stage runs two independent pieces of its work: one after the other, or at the same
time when the pipeline hands it a parallel executor (``jssreport.incremental.parallel``).

Stages only ever see this interface; the result is the same either way, only the time
differs (docs/architecture.md, "Where speed lives").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

A = TypeVar("A")
B = TypeVar("B")


class Executor(Protocol):
    def both(self, first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
        """``(first(), second())``; the two must not depend on each other."""
        ...


class Serial:
    """One after the other, in this process."""

    def both(self, first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
        return first(), second()


SERIAL: Executor = Serial()
