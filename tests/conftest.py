"""Shared fixtures: tiny report projects written into a temporary folder."""

from __future__ import annotations

import importlib.util
import os
import sys
import textwrap
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def bench_generator() -> ModuleType:
    """``bench/generator.py`` (not a package module): synthetic histories for the tests."""
    spec = importlib.util.spec_from_file_location("bench_generator", ROOT / "bench/generator.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds keep their cache under the user's cache directory: the tests' own one."""
    home = tmp_path_factory.mktemp("xdg-cache")
    os.environ["XDG_CACHE_HOME"] = str(home)
    return home

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write ``{relative path: text}`` into a fresh project folder and return it.

    Texts are dedented, so tests can indent YAML naturally.
    """

    def make(files: dict[str, str], root: Path | None = None) -> Path:
        project = root or tmp_path / "project"
        for rel, text in files.items():
            path = project / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        project.mkdir(parents=True, exist_ok=True)
        return project

    return make


@lru_cache(maxsize=1)
def _browser_missing() -> str:
    from browser_util import browser_missing

    return browser_missing()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``browser`` needs Playwright and Chromium: without them it is skipped
    with the reason, or fails where ``CI`` is set (browser_util.skip_or_fail)."""
    if item.get_closest_marker("browser") is None:
        return
    reason = _browser_missing()
    if reason:
        from browser_util import skip_or_fail

        skip_or_fail(reason)
