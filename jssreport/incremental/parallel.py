"""Two independent pieces of a build at once, on two processor cores (``ForkExecutor``).

``both(first, second)`` runs ``first`` in a forked child process while ``second`` runs here,
and returns both results. The child inherits everything already computed (fork copies the
process), so nothing is sent to it; its result comes back pickled through a pipe (data this
process made a moment ago, never anything read from disk). It never writes the site: only the
parent does, after both are done, and it dies with the parent.

Where fork is missing (Windows) or unsafe (other threads run here: ``serve``, a test's
browser), where ``JSSREPORT_SERIAL=1`` is set, or when the child fails for any reason (killed,
out of memory, a result that cannot be pickled), ``first`` simply runs here: the result is
always the same, only the time differs. An exception ``first`` raises in the child (e.g. an
invalid scenario) is raised here as if it had run here; an exception of ``second`` wins over
the child's.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import NoReturn, TypeVar, cast

from jssreport.executor import SERIAL, Executor

A = TypeVar("A")
B = TypeVar("B")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def enabled() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1
            and os.environ.get("JSSREPORT_SERIAL", "") in ("", "0"))


def choose_executor() -> Executor:
    """Two cores where fork is safe, else one after the other."""
    return ForkExecutor() if enabled() else SERIAL


class ForkExecutor:
    def both(self, first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
        if not enabled():
            return first(), second()
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            return first(), second()
        if pid == 0:
            os.close(read)
            _child(write, first)
        os.close(write)
        try:
            second_result = second()
        except BaseException:
            _reap(read, pid, kill=True)
            raise
        sent = _result(read, pid)
        # the child died or sent nothing usable: its part is done here
        return (cast(A, sent[0]) if sent else first()), second_result


def _die_with_parent() -> None:
    """A child whose parent is killed is killed too (Linux; elsewhere it finishes its part
    and its write to the closed pipe fails)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no C library to ask
        pass


def _child(write: int, work: Callable[[], object]) -> NoReturn:
    """In the child: ``work()``, its result or exception pickled to ``write``, then leave
    without running any exit handler (the parent's buffers and files are not the child's)."""
    code = 1
    try:
        _die_with_parent()
        try:
            outcome: tuple[bool, object] = (True, work())
        except Exception as exc:  # noqa: BLE001 - sent to the parent, raised there
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - cannot travel: the parent does the work
            data = b""
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


def _reap(read: int, pid: int, kill: bool) -> None:
    if kill:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.kill(pid, signal.SIGKILL)
    os.close(read)
    os.waitpid(pid, 0)


def _result(read: int, pid: int) -> tuple[object] | None:
    """What the child sent once it is done: ``(value,)``, or None when it died or sent
    nothing usable; its exception is raised here."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        ok, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - any unreadable result: the parent does the work
        return None
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return (value,)
