"""Shared fixtures: tiny report projects written into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

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
