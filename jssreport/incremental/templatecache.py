"""Compiled templates, cached: compiling the templates costs more than rendering the pages of
a small site, and every build compiles the same ones."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from jssreport.incremental.store import CacheStore


class TemplateCache(BytecodeCache):
    """Compiled templates, kept in memory for the process and, for a project, in its
    cache folder (``incremental.store``: outside the project, so a project cannot bring compiled
    code of its own).

    Jinja checks each entry against the hash of the template's source, and the key holds the
    Jinja and Python versions and the environment's options, so a stale entry is never used.
    An unreadable or corrupt entry is recompiled; a cache that cannot be written is none.
    """

    memory: dict[str, bytes] = {}  # noqa: RUF012 - shared by every environment on purpose

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        # what the compiled code depends on besides the source (which Jinja checks itself)
        # (a sandboxed environment compiles the same code today; its class is in the key so
        # that it never loads code compiled for another kind)
        options = (jinja2.__version__, sys.version_info[:2], type(environment).__name__,
                   environment.autoescape,
                   environment.trim_blocks, environment.lstrip_blocks,
                   environment.keep_trailing_newline, environment.newline_sequence)
        return super().get_bucket(environment, f"{options}|{name}", filename, source)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{name}|{filename}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is None and self.folder is not None:
            with contextlib.suppress(OSError):
                data = (self.folder / f"{bucket.key}.jinja").read_bytes()
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # noqa: BLE001 - any damaged entry: compile again
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, self.folder / f"{bucket.key}.jinja")
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def template_cache(store: CacheStore) -> TemplateCache:
    """Compiled templates in memory and in ``store``'s folder (none: in memory only)."""
    return TemplateCache(None if store.folder is None else store.folder / "templates")
