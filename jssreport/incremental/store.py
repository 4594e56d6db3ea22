"""Where a project's cache lives, and its entries: values by the hash of their inputs.

The cache is kept **outside the project**, under the user's cache directory
(``platformdirs.user_cache_dir("jssreport")``, i.e. ``$XDG_CACHE_HOME/jssreport`` on Linux),
in a folder named by a hash of the project's absolute path. A project someone else gives you
(a cloned repository) can bring files of any name, but nothing in it is ever loaded as a
cache: entries are read only from the user's own folder, which only jssreport writes.
(Before 0.2 the cache was ``.jssreport-cache/`` inside the project; such a folder is now
ignored, never read, and never deleted.)

Every key holds a fingerprint of jssreport's code and the value's inputs (never modification
times), so an edit, a rename or a new jssreport version can never bring back a stale result.
A missing, unreadable or corrupt entry is a miss; a cache that cannot be written is no cache.
The store notes each entry a build reads or writes; ``prune`` forgets those it did not use.
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

SUFFIX = ".entry"
OFF_VARIABLE = "JSSREPORT_NO_CACHE"


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
    return os.environ.get(OFF_VARIABLE, "") in ("", "0")


def user_cache_root() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jssreport", appauthor=False))


def cache_folder(project: Path) -> Path:
    """The folder that holds ``project``'s cache (it may not exist yet)."""
    where = hashlib.sha256(os.fsencode(project.resolve())).hexdigest()[:24]
    return user_cache_root() / "projects" / where


def entry_key(kind: str, *parts: bytes) -> str:
    """The name of the entry for ``parts`` (with the code's fingerprint: new code, new key)."""
    digest = hashlib.sha256(code_fingerprint() + kind.encode())
    for part in parts:
        digest.update(b"\0%d\0" % len(part))
        digest.update(part)
    return digest.hexdigest()


class CacheStore:
    """The entries of one project's cache; ``CacheStore(None)`` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: dict[str, set[str]] = {}  # the keys this build read or wrote, by kind

    @classmethod
    def for_project(cls, project: Path | None) -> CacheStore:
        return cls(cache_folder(project) if project is not None and enabled() else None)

    def __bool__(self) -> bool:
        return self.folder is not None

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / f"{key}{SUFFIX}"

    def has(self, kind: str, key: str) -> bool:
        try:
            return self.folder is not None and self._path(kind, key).is_file()
        except OSError:  # an unreadable cache folder is a miss
            return False

    def read(self, kind: str, key: str) -> object | None:
        """The value stored under ``key``; None when there is none or it cannot be read."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
            self.used.setdefault(kind, set()).add(key)  # kept by ``prune``
            return value  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss
            return None

    def write(self, kind: str, key: str, value: object) -> None:
        """Store ``value`` under ``key`` in one step (a reader sees the old entry or the new)."""
        if self.folder is None:
            return
        self.used.setdefault(kind, set()).add(key)
        folder = self.folder / kind
        # A read-only cache directory or a full disk: build without a cache.
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, folder / f"{key}{SUFFIX}")
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def entries(self, kind: str) -> list[Path]:
        if self.folder is None:
            return []
        return sorted((self.folder / kind).glob(f"*{SUFFIX}"))

    def prune(self, kind: str, keep: set[str] | None = None) -> None:
        """Remove the entries of ``kind`` but those in ``keep`` (default: those this build
        read or wrote)."""
        keep = self.used.get(kind, set()) if keep is None else keep
        for path in self.entries(kind):
            if path.name[: -len(SUFFIX)] not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
