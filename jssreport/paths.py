"""Every path jssreport knows: the parts of a report project, and where the installed package
keeps its built-in templates, demo and examples (docs/architecture.md).

Also the names of the temporaries jssreport writes beside its outputs, and removing those a
killed run left (``remove_leftovers``).

A report project (the folder given by ``--project``)::

    jssreport.yml  content/profile.yml  content/contracts/*.yml  content/scenarios/*.yml
    content/pages/*.md  templates/  site/ (the build output)
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

SETTINGS_FILE = "jssreport.yml"
CONTENT_DIR = "content"
PROFILE_FILE = "content/profile.yml"
CONTRACTS_DIR = "content/contracts"
SCENARIOS_DIR = "content/scenarios"
PAGES_DIR = "content/pages"
TEMPLATES_DIR = "templates"
MESSAGES_DIR = "messages"  # inside a templates folder
DEFAULT_OUTPUT = "site"
# the folders of a project that hold its input: never a build output
INPUT_FOLDERS = (CONTENT_DIR, TEMPLATES_DIR)

PACKAGE_DIR = Path(__file__).resolve().parent
PLOTLY_BUNDLE = "vendor/plotly-basic.min.js"  # plotly.js-basic-dist-min 4.1.1, in the package
# An installed wheel keeps the built-in templates and the demo inside the package
# (jssreport/templates, jssreport/demo); a checkout keeps them at the top level.
_CHECKOUT_DIR = PACKAGE_DIR.parent


OUTSIDE = ("is a link to a file outside the project: templates and pages are read only from "
           "inside it (a project from someone else could otherwise publish any file of yours)")


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links followed, is inside the folder ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def builtin_templates_dir() -> Path | None:
    """The built-in templates folder, or None when the install is broken."""
    for candidate in (PACKAGE_DIR / "templates", _CHECKOUT_DIR / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    return None


def demo_content_dir() -> Path | None:
    """The demo project's content/ folder, or None when the install is broken."""
    for candidate in (PACKAGE_DIR / "demo", _CHECKOUT_DIR / "content"):
        if (candidate / "profile.yml").is_file():
            return candidate
    return None


def plotly_bundle() -> Path:
    """The pinned partial plotly.js bundle every site loads (vendor/README.md says which)."""
    return PACKAGE_DIR / PLOTLY_BUNDLE


def examples_dir() -> Path:
    """The shipped examples (real public cases, each a report project with what the
    platform showed)."""
    return PACKAGE_DIR / "examples"


# --- what a killed run leaves next to its output, and removing it ---------------------------
# Every file jssreport writes goes first to a temporary name beside it, which holds the process
# id, then is renamed into place. A run that is killed before the rename leaves that temporary
# behind; the next run that writes the same output removes it, but only when the name is
# exactly one of ours and that process is gone (a live one may be writing it right now):
#
# - ``.<site>.new-<pid>-<n>/`` and ``.<site>.old-<pid>-<n>/``: a site folder (pipeline)
# - ``.<file>.tmp-<pid>``: a single-file report (output.singlefile)
# - ``.<file>.<pid>.tmp``: a records file written by an import (importers.upwork_csv)


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
