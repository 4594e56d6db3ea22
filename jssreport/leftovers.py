"""What a killed run leaves next to its output, and removing it.

Every file jssreport writes goes first to a temporary name beside it, which holds the process
id, then is renamed into place. A run that is killed before the rename leaves that temporary
behind; the next run that writes the same output removes it, but only when the name is
exactly one of ours and that process is gone (a live one may be writing it right now):

- ``.<site>.new-<pid>-<n>/`` and ``.<site>.old-<pid>-<n>/``: a site folder (pipeline)
- ``.<file>.tmp-<pid>``: a single-file report (output.singlefile)
- ``.<file>.<pid>.tmp``: a records file written by an import (importers.upwork_csv)
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any


def leftover_pid(name: str, target: str) -> int | None:
    """The process id in ``name`` when it is a temporary of ``target`` (a file name in the
    same folder), else None."""
    t = re.escape(target)
    for pattern in (rf"\.{t}\.(?:new|old)-(\d+)-\d+", rf"\.{t}\.tmp-(\d+)", rf"\.{t}\.(\d+)\.tmp"):
        m = re.fullmatch(pattern, name)
        if m:
            return int(m[1])
    return None


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the temporaries of ``target`` that runs which are gone left; the paths that
    could not be removed."""
    if os.name != "posix":
        return []  # os.kill(pid, 0) cannot tell liveness there
    stuck: list[Path] = []
    try:
        names = sorted(os.listdir(target.parent))
    except OSError:
        return []
    for name in names:
        pid = leftover_pid(name, target.name)
        if pid is None or pid == os.getpid() or alive(pid):
            continue
        path = target.parent / name
        if not remove(path):
            stuck.append(path)
    return stuck


def remove(path: Path) -> bool:
    """Delete a file or a whole folder, read-only folders inside it included; True when it
    is gone."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, onerror=_writable_then_retry)
    except OSError:
        pass
    return not os.path.lexists(path)


def _writable_then_retry(function: Callable[..., Any], name: str, _: Any) -> None:
    """A read-only folder keeps its entries: make it (and the entry) writable, try again."""
    parent = os.path.dirname(name)
    for where in (parent, name):
        try:
            if not os.path.islink(where):
                mode = os.stat(where).st_mode
                os.chmod(where, stat.S_IMODE(mode) | stat.S_IWUSR | stat.S_IXUSR
                         | stat.S_IRUSR)
        except OSError:
            pass
    try:
        function(name)
    except FileNotFoundError:
        pass
    except OSError:
        if function is os.rmdir or function is os.unlink:
            raise
        shutil.rmtree(name, ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True
