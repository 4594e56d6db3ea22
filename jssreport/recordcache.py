"""Parsed and validated contract files, cached by the hash of their bytes.

A rebuild after one record file changed parses only that file. The key is the file's content
(never its modification time) plus a fingerprint of the code that parses it, so an edit, a
rename or a new jssreport version can never bring back a stale result. A missing, unreadable or
corrupt cache entry is a miss; a cache that cannot be written is no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import jssreport

CACHE_DIR = ".jssreport-cache"
T = TypeVar("T")
# The modules whose code decides what a contract file parses to.
_PARSER_MODULES = ("records.py", "recordcheck.py", "fields.py", "yamlload.py", "model/types.py",
                   "errors.py", "recordcache.py")


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    digest = hashlib.sha256(jssreport.__version__.encode())
    package = Path(jssreport.__file__).resolve().parent
    for name in _PARSER_MODULES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.digest()


def enabled() -> bool:
    return os.environ.get("JSSREPORT_NO_CACHE", "") in ("", "0")


def cached(project: Path, kind: str, rel: str, data: bytes, parse: Callable[[], T]) -> T:
    """``parse()``'s result for ``data``, from ``project``'s cache when it holds one."""
    if not enabled():
        return parse()
    key = hashlib.sha256(code_fingerprint() + kind.encode() + b"\0" + rel.encode() + b"\0"
                         + data).hexdigest()
    folder = project / CACHE_DIR / kind
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss
        pass
    value = parse()
    _store(folder, path, value)
    return value


def _store(folder: Path, path: Path, value: object) -> None:
    # A read-only project or a full disk: build without a cache.
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
