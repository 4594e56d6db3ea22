"""Two independent pieces of a build at once, on two processor cores.

``both(first, second)`` runs ``first`` in a forked child process while ``second`` runs here,
and returns both results. The child inherits everything already computed (fork copies the
process), so nothing is sent to it; its result comes back pickled through a pipe. It never
writes the site: only the parent does, after both are done.

Where fork is missing (Windows) or unsafe (other threads run here: ``serve``, a test's
browser), where ``JSSREPORT_SERIAL=1`` is set, or when the child fails for any reason (killed,
out of memory, a result that cannot be pickled), ``first`` simply runs here afterwards: the
result is always the same, only the time differs. An exception ``first`` raises in the child
(e.g. an invalid scenario) is raised here as if it had run here.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


def enabled() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1
            and os.environ.get("JSSREPORT_SERIAL", "") in ("", "0"))


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, the two computed at the same time where possible."""
    if not enabled():
        return first(), second()
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return first(), second()
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        code = 1
        try:
            os.close(read)
            try:
                outcome: tuple[bool, object] = (True, first())
            except Exception as exc:  # noqa: BLE001 - sent to the parent, raised there
                outcome = (False, exc)
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        second_result = second()
    finally:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
    try:
        ok, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - the child died or sent nothing usable: do it here
        return first(), second_result
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value, second_result
