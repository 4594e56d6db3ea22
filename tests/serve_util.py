"""``serve`` in a thread for the tests (tests/test_commands_serve*.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jssreport.commands.serve import serve
from jssreport.input.config import load_settings


def until(check: Callable[[], bool], seconds: float) -> float:
    """Seconds until ``check()`` held; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


@contextmanager
def serving(project: Path) -> Iterator[tuple[str, list[str]]]:
    """``serve`` of ``project`` on a free port: (base URL, terminal lines); stopped after."""
    lines: list[str] = []
    ready: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, daemon=True, kwargs={
        "project": project, "settings": lambda: load_settings(project), "echo": lines.append,
        "port": 0, "stop": stop, "ready": ready.append})
    thread.start()
    until(lambda: bool(ready), 20)
    try:
        yield ready[0], lines
    finally:
        stop.set()
        thread.join(20)
    assert not thread.is_alive()
    assert lines[-1] == "Stopped."
