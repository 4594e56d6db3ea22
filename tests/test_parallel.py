"""Two pieces of a build at once (jssreport.incremental.parallel): the same results as one after the
other, whatever happens to the child process."""

from __future__ import annotations

import os
import signal

import pytest

from jssreport.errors import UsageError
from jssreport.incremental import parallel

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@needs_fork
def test_the_first_runs_in_another_process_and_its_result_comes_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    here = os.getpid()
    (pid, data), other = parallel.both(lambda: (os.getpid(), {"a": [1, 2.5, "x"]}),
                                       lambda: os.getpid())
    assert other == here and pid != here
    assert data == {"a": [1, 2.5, "x"]}


@needs_fork
def test_an_error_in_the_child_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)

    def fails() -> None:
        raise UsageError("bad scenario")

    with pytest.raises(UsageError, match="bad scenario"):
        parallel.both(fails, lambda: 2)


@needs_fork
def test_a_child_that_dies_is_done_over_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    here = os.getpid()

    def dies_in_the_child() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return 7

    assert parallel.both(dies_in_the_child, lambda: 8) == (7, 8)


def test_serial_when_asked_or_when_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    monkeypatch.setenv("JSSREPORT_SERIAL", "1")
    assert parallel.both(os.getpid, os.getpid) == (here, here)
    monkeypatch.delenv("JSSREPORT_SERIAL")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.both(os.getpid, os.getpid) == (here, here)


@needs_fork
def test_a_value_computed_here_is_handed_over_to_the_child(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    here = os.getpid()
    big = list(range(100_000))  # more than a pipe holds: handed over while both work

    def there(get: object) -> tuple[int, int]:
        return os.getpid(), sum(get())  # type: ignore[operator]

    x, (pid, total), mine = parallel.handing_over(lambda: big, there, lambda v: len(v))
    assert x is big and pid != here and total == sum(big) and mine == len(big)


@needs_fork
def test_handing_over_survives_a_dying_child_and_reports_errors(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    here = os.getpid()

    def dies(get: object) -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return 1 + get()  # type: ignore[operator]

    assert parallel.handing_over(lambda: 41, dies, lambda v: v * 2) == (41, 42, 82)

    def fails(get: object) -> int:
        raise UsageError("no advice")

    with pytest.raises(UsageError, match="no advice"):
        parallel.handing_over(lambda: 1, fails, lambda v: v)
    monkeypatch.setenv("JSSREPORT_SERIAL", "1")
    assert parallel.handing_over(lambda: 2, lambda get: get() + 1, lambda v: v) == (2, 3, 2)
