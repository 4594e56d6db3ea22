"""The project's cache folder: parsed and validated contract files by the hash of their bytes,
and (``jssreport.incremental.memo``) compute results by the hash of their inputs.

A rebuild after one record file changed parses only that file. The key is the file's content
(never its modification time) plus a fingerprint of jssreport's code, so an edit, a rename or a
new jssreport version can never bring back a stale result. A missing, unreadable or corrupt
cache entry is a miss; a cache that cannot be written is no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

import jssreport

CACHE_DIR = ".jssreport-cache"


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A hash of every module of the package: any change to the code is a new cache."""
    from jssreport.input.fields import DATE_MAX  # the checks' bound moves with the year

    digest = hashlib.sha256(jssreport.__version__.encode() + DATE_MAX.isoformat().encode())
    package = Path(jssreport.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.digest()


def enabled() -> bool:
    return os.environ.get("JSSREPORT_NO_CACHE", "") in ("", "0")


def entry_key(kind: str, *parts: bytes) -> str:
    """The name of the entry for ``parts`` (with the code's fingerprint: new code, new key)."""
    digest = hashlib.sha256(code_fingerprint() + kind.encode())
    for part in parts:
        digest.update(b"\0%d\0" % len(part))
        digest.update(part)
    return digest.hexdigest()


def prune_entries(project: Path, kind: str, keep: set[str]) -> None:
    """Remove the entries of ``kind`` but those in ``keep``."""
    with contextlib.suppress(OSError):
        for path in (project / CACHE_DIR / kind).glob("*.pickle"):
            if path.stem not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()


def has_entry(project: Path, kind: str, key: str) -> bool:
    return (project / CACHE_DIR / kind / f"{key}.pickle").is_file()


def read_entry(project: Path, kind: str, key: str) -> object | None:
    """The value stored under ``key``; None when there is none or it cannot be read."""
    try:
        with (project / CACHE_DIR / kind / f"{key}.pickle").open("rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss
        return None


def write_entry(project: Path, kind: str, key: str, value: object) -> None:
    """Store ``value`` under ``key`` in one step (a reader sees the old entry or the new)."""
    folder = project / CACHE_DIR / kind
    # A read-only project or a full disk: build without a cache.
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{key}.pickle")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
