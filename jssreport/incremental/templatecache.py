"""Compiled templates, cached: compiling the templates costs more than rendering the pages of
a small site, and every build compiles the same ones.

jssreport's own templates are the same for every project, so their compiled code is kept once
for the machine (``<user cache>/jssreport/templates``, beside the projects' folders of
``incremental.store``), as Python keeps a module's bytecode: a project's first build does not
compile them again. A project's own templates are kept in that project's cache folder."""

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

from jssreport.incremental.store import CacheStore, user_cache_root
from jssreport.paths import builtin_templates_dir


class TemplateCache(BytecodeCache):
    """Compiled templates, kept in memory for the process and on disk: jssreport's own in
    ``shared``, a project's own in ``folder`` (both under the user's cache directory, outside
    the project, so a project cannot bring compiled code of its own).

    Jinja checks each entry against the hash of the template's source, and the key holds the
    Jinja and Python versions and the environment's options, so a stale entry is never used.
    An unreadable or corrupt entry is recompiled; a cache that cannot be written is none.
    """

    memory: dict[str, bytes] = {}  # noqa: RUF012 - shared by every environment on purpose

    def __init__(self, folder: Path | None, shared: Path | None = None) -> None:
        self.folder = folder
        self.shared = shared
        builtin = builtin_templates_dir()
        self.builtin = None if builtin is None else str(builtin.resolve())
        self.where: dict[str, Path | None] = {}  # bucket key -> its folder on disk

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

    def _is_builtin(self, filename: str | None) -> bool:
        if self.builtin is None or filename is None:
            return False
        try:
            return os.path.commonpath([self.builtin, os.path.realpath(filename)]) == self.builtin
        except ValueError:
            return False

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = hashlib.sha256(f"{name}|{filename}".encode()).hexdigest()
        self.where[key] = self.shared if self._is_builtin(filename) else self.folder
        return key

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        folder = self.where.get(bucket.key, self.folder)
        if data is None and folder is not None:
            with contextlib.suppress(OSError):
                data = (folder / f"{bucket.key}.jinja").read_bytes()
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # noqa: BLE001 - any damaged entry: compile again
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        folder = self.where.get(bucket.key, self.folder)
        if folder is None:
            return
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, folder / f"{bucket.key}.jinja")
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def template_cache(store: CacheStore) -> TemplateCache:
    """Compiled templates in memory and on disk: a project's own in ``store``'s folder,
    jssreport's own in the machine's (a store that keeps nothing: in memory only)."""
    if store.folder is None:
        return TemplateCache(None)
    return TemplateCache(store.folder / "templates", shared_templates_folder())


def shared_templates_folder() -> Path:
    """Where jssreport's own templates are kept compiled, for every project."""
    return user_cache_root() / "templates"
