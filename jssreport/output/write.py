"""Writing a site: into a fresh folder beside the output, then swapped in at once.

The output folder is at every instant either the complete old site or the complete new one,
even if the build is killed; a folder jssreport did not write is never replaced (its
``.jssreport-site`` marker says it did).
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Mapping
from pathlib import Path

from jssreport.errors import JssReportError, UsageError
from jssreport.paths import remove, remove_leftovers

GENERATOR = b'<meta name="generator" content="jssreport">'  # in every page's head

SITE_MARKER = ".jssreport-site"  # left in every site folder jssreport writes
SITE_MARKER_TEXT = (b"This folder was written by jssreport: `jssreport build` replaces it whole.\n"
                    b"Do not keep files of your own here.\n")


def read_previous(path: Path) -> bytes | None:
    """The text of the report.json at ``path`` (the site being replaced), None when there is
    none; it is read before the site is replaced and decoded with the new report
    (``report.since.previous_report``)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def is_site(folder: Path) -> bool:
    """Whether ``folder`` is a site jssreport wrote, which a build may replace whole: it holds
    the marker file, or (a site of a version before the marker) only what those wrote, with
    jssreport's generator tag in its index.html and a report.json."""
    try:
        with open(folder / SITE_MARKER, "rb") as marker:
            if marker.read(len(SITE_MARKER_TEXT) + 1) == SITE_MARKER_TEXT:
                return True
    except OSError:
        pass
    try:
        names = {entry.name: entry.is_dir() for entry in os.scandir(folder)}
        with open(folder / "index.html", "rb") as index:
            start = index.read(4096)
    except OSError:
        return False
    own = all(name == "assets" if is_dir else name == "report.json" or name.endswith(".html")
              for name, is_dir in names.items())
    return own and GENERATOR in start and names.get("report.json") is False


def check_output(output: Path, project: Path, force: bool = False) -> None:
    """Refuse to replace anything that is not a site jssreport wrote (``force``: any folder
    but the project and its input folders)."""
    out = output.resolve()
    proj = project.resolve()
    if out == proj or out in proj.parents:
        raise UsageError(f"refusing to build into {output}: it contains the project itself")
    for folder in ("content", "templates"):
        if out == proj / folder or (proj / folder) in out.parents:
            raise UsageError(f"refusing to build into {output}: it is the project's {folder}/ "
                             "folder or inside it")
    if out.exists() and not out.is_dir():
        raise UsageError(f"cannot build into {output}: it is a file")
    if not out.is_dir() or force:
        return
    try:
        empty = not any(out.iterdir())
    except OSError as exc:
        raise UsageError(f"cannot read {output}: {exc.strerror or exc}") from None
    if not empty and not is_site(out):
        raise UsageError(f"refusing to replace {output}: it is not empty and jssreport did not "
                         f"write it (no {SITE_MARKER} file), so building would delete its "
                         "files; choose another -o, empty it, or add --force to replace it "
                         "anyway")


def write_site(files: Mapping[str, bytes], output: Path, project: Path,
               force: bool = False) -> None:
    """Write ``files`` into a new folder beside ``output``, then swap it in.

    The swap exchanges the two folders in one step where the system can (Linux, macOS), so
    ``output`` is at every instant either the complete old site or the complete new one, even
    if the build is killed. Elsewhere it is two renames with a short window between them.
    """
    check_output(output, project, force)
    parent = output.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JssReportError(f"cannot create {parent}: {exc.strerror or exc}") from None
    remove_leftovers(parent / output.name)  # of builds that were killed
    fresh = _unique(parent, f".{output.name}.new")
    try:
        fresh.mkdir()
        for folder in sorted({(fresh / rel).parent for rel in files} - {fresh}):
            folder.mkdir(parents=True, exist_ok=True)
        for rel, data in sorted(files.items()):
            (fresh / rel).write_bytes(data)
        (fresh / SITE_MARKER).write_bytes(SITE_MARKER_TEXT)
    except OSError as exc:
        remove(fresh)
        raise JssReportError(f"cannot write the site next to {output}: {exc.strerror or exc}") \
            from None
    try:
        if not output.exists():
            os.rename(fresh, output)
            return
        if exchange(fresh, output):
            remove(fresh)  # it now holds the old site (a later build retries if this fails)
            return
        old = _unique(parent, f".{output.name}.old")
        os.rename(output, old)
        try:
            os.rename(fresh, output)
        except OSError:
            os.rename(old, output)  # put the previous site back
            raise
        remove(old)
    except OSError as exc:
        remove(fresh)
        raise JssReportError(f"cannot replace {output}: {exc.strerror or exc}") from None


RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS stdio.h
AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False when the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to ask (Windows)
        return False
    old, new = os.fsencode(a), os.fsencode(b)
    if hasattr(libc, "renameat2"):  # Linux, glibc 2.28+
        result = libc.renameat2(AT_FDCWD, old, AT_FDCWD, new, RENAME_EXCHANGE)
    elif hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        result = libc.renamex_np(old, new, RENAME_SWAP)
    else:  # pragma: no cover
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # e.g. a file system without exchange support: fall back to renames
    raise OSError(code, os.strerror(code), str(b))


def _unique(parent: Path, stem: str) -> Path:
    """``<stem>-<pid>-<n>``: ours (the pid) and not used yet."""
    n = 0
    while (parent / f"{stem}-{os.getpid()}-{n}").exists():
        n += 1
    return parent / f"{stem}-{os.getpid()}-{n}"
