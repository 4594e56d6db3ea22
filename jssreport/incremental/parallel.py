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
from typing import Any, NoReturn, TypeVar, cast

A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


def enabled() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1
            and os.environ.get("JSSREPORT_SERIAL", "") in ("", "0"))


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, the two computed at the same time where possible."""
    a, b, _ = three(first, second, None)
    return a, b


def three(first: Callable[[], A], second: Callable[[], B],
          spare: Callable[[], C] | None) -> tuple[A, B, C | None]:
    """``(first(), second(), spare())``: ``first`` in the child, ``second`` here, and
    ``spare`` by whichever of the two is done first (None: no spare)."""
    if not enabled():
        return first(), second(), None if spare is None else spare()
    try:
        read, write = os.pipe()
        token_read, token_write = os.pipe()  # one byte: whoever reads it runs the spare
        os.write(token_write, b"s" if spare is not None else b"")
        os.close(token_write)
        os.set_blocking(token_read, False)
        pid = os.fork()
    except OSError:
        return first(), second(), None if spare is None else spare()
    if pid == 0:
        os.close(read)
        _child(write, lambda: (first(), spare() if spare is not None and _claim(token_read)
                               else _NOT_RUN))
    os.close(write)
    here: Any = _NOT_RUN
    try:
        second_result = second()
        if spare is not None and _claim(token_read):
            here = spare()
    finally:
        os.close(token_read)
        sent = _result(read, pid)
    # the child died or sent nothing usable: its part is done here
    done, there = cast("tuple[A, Any]", sent[0] if sent else (first(), _NOT_RUN))
    ran = there if there is not _NOT_RUN else here
    if ran is _NOT_RUN:  # the child claimed it and died
        return done, second_result, None if spare is None else spare()
    return done, second_result, cast("C | None", ran)


class _NotRun:
    """Marks a spare task this process did not run (pickles as the one marker)."""

    def __reduce__(self) -> str:
        return "_NOT_RUN"


_NOT_RUN = _NotRun()


def _claim(token: int) -> bool:
    try:
        return os.read(token, 1) == b"s"
    except BlockingIOError:
        return False


X = TypeVar("X")


def handing_over(shared: Callable[[], X], there: Callable[[Callable[[], X]], A],
                 here: Callable[[X], B]) -> tuple[X, A, B]:
    """``x = shared()``, ``there(get)`` and ``here(x)``: ``there`` runs in the child from the
    start and calls ``get()`` when it needs ``x`` (which waits until this process, computing
    ``shared`` meanwhile, hands it over); ``here`` runs here after ``shared``."""
    if not enabled():
        x = shared()
        return x, there(lambda: x), here(x)
    try:
        read, write = os.pipe()
        given_read, given_write = os.pipe()
        pid = os.fork()
    except OSError:
        x = shared()
        return x, there(lambda: x), here(x)
    if pid == 0:
        os.close(read)
        os.close(given_write)

        def get() -> X:
            with os.fdopen(given_read, "rb") as given:
                return cast(X, pickle.loads(given.read()))

        _child(write, lambda: there(get))
    os.close(write)
    os.close(given_read)
    try:
        try:
            x = shared()
        except BaseException:
            os.close(given_write)
            raise
        # Written by a thread: the child reads it only when it needs it, and this process
        # goes on with ``here`` meanwhile.
        handing = threading.Thread(target=_hand_over, args=(given_write, x), daemon=True)
        handing.start()
        here_result = here(x)
        handing.join()
    finally:
        sent = _result(read, pid)
    # the child died or sent nothing usable: its part is done here
    return x, cast(A, sent[0]) if sent else there(lambda: x), here_result


def _hand_over(fd: int, value: object) -> None:
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass  # the child is gone, or the value cannot travel: its part is done here then


def _child(write: int, work: Callable[[], object]) -> NoReturn:
    """In the child: ``work()``, its result or exception pickled to ``write``, then leave
    without running any exit handler (the parent's buffers and files are not the child's)."""
    code = 1
    try:
        try:
            outcome: tuple[bool, object] = (True, work())
        except Exception as exc:  # noqa: BLE001 - sent to the parent, raised there
            outcome = (False, exc)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


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
