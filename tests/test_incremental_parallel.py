"""Two pieces of a build at once (jssreport.incremental.parallel): the same results as one after
the other, whatever happens to the child process, and the real error always reaches the user."""

from __future__ import annotations

import os
import signal
import time

import pytest

from jssreport.errors import InputError, Problem, UsageError
from jssreport.executor import SERIAL
from jssreport.incremental import parallel

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
FORK = parallel.ForkExecutor()


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.delenv("JSSREPORT_SERIAL", raising=False)


@needs_fork
def test_the_first_runs_in_another_process_and_its_result_comes_back(one_thread: None) -> None:
    here = os.getpid()
    (pid, data), other = FORK.both(lambda: (os.getpid(), {"a": [1, 2.5, "x"]}),
                                   lambda: os.getpid())
    assert other == here and pid != here
    assert data == {"a": [1, 2.5, "x"]}


@needs_fork
@pytest.mark.parametrize("error", [UsageError("bad scenario"), EOFError("eof in the child"),
                                   InputError([Problem("a.yml", 3, "contract 'x'", "bad")])])
def test_an_error_in_the_child_is_raised_here(one_thread: None, error: Exception) -> None:
    def fails() -> None:
        raise error

    with pytest.raises(type(error)) as raised:
        FORK.both(fails, lambda: 2)
    assert str(raised.value) == str(error)


@needs_fork
def test_an_error_here_wins_over_the_childs_and_the_child_is_gone(one_thread: None) -> None:

    def slow_child() -> None:
        time.sleep(30)

    def fails_here() -> None:
        raise UsageError("the real problem")

    started = time.monotonic()
    with pytest.raises(UsageError, match="the real problem"):
        FORK.both(slow_child, fails_here)
    assert time.monotonic() - started < 10  # the child was stopped, not waited for


@needs_fork
def test_a_child_that_dies_is_done_over_here(one_thread: None) -> None:
    here = os.getpid()

    def dies_in_the_child() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return 7

    assert FORK.both(dies_in_the_child, lambda: 8) == (7, 8)


@needs_fork
def test_a_result_that_cannot_travel_is_made_here(one_thread: None) -> None:
    here = os.getpid()
    result, _ = FORK.both(lambda: (lambda: os.getpid()), lambda: 1)  # a lambda cannot pickle
    assert result() == here


def test_serial_when_asked_or_when_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    monkeypatch.setenv("JSSREPORT_SERIAL", "1")
    assert parallel.choose_executor() is SERIAL
    assert FORK.both(os.getpid, os.getpid) == (here, here)
    monkeypatch.delenv("JSSREPORT_SERIAL")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.choose_executor() is SERIAL
    assert FORK.both(os.getpid, os.getpid) == (here, here)
    assert SERIAL.both(lambda: 1, lambda: 2) == (1, 2)
