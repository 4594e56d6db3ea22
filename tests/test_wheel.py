"""The wheel carries everything a build needs: built from the sources with the release
workflow's commands (``python -m build``, ``twine check --strict``), installed in a fresh
virtual environment, it starts a new project (``jssreport init x``; its workflow passes
actionlint and pins the installed version) and the demo, and builds both far from this
checkout.

To stay fast and offline, the new environment gets jssreport from the wheel only; its
dependencies are borrowed from the environment running the tests through a ``.pth`` path line.
A path line adds folders to ``sys.path`` *after* the environment's own site-packages and runs
none of their ``.pth`` hooks, so the editable install of this checkout cannot shadow the wheel;
the test checks where ``jssreport`` was imported from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "jssreport", "templates", "content")
MUST_SHIP = (
    "jssreport/__init__.py",
    "jssreport/cli.py",
    "jssreport/templates/base.html",
    "jssreport/templates/index.html",
    "jssreport/templates/assets/style.css",
    "jssreport/templates/assets/report.js",
    "jssreport/vendor/plotly-basic.min.js",
    "jssreport/vendor/LICENSE.plotly.js",
    "jssreport/demo/profile.yml",
    "jssreport/demo/pages/about.md",
)


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def clean_env() -> dict[str, str]:
    """The environment without anything that would point Python back at this checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout itself stays untouched)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        elif path.is_file():
            shutil.copy2(path, src / name)
    # As the release workflow builds it (.github/workflows/release.yml): `python -m build`,
    # the sdist and then the wheel from the sdist, with build isolation (the build backend
    # pyproject.toml names is fetched; the running environment's setuptools may be too old).
    pytest.importorskip("build", reason="the build package is in the dev group")
    run(sys.executable, "-m", "build", "--outdir", tmp / "dist", src, cwd=tmp, env=clean_env())
    (found,) = (tmp / "dist").glob("jssreport-*.whl")
    (sdist,) = (tmp / "dist").glob("jssreport-*.tar.gz")
    if shutil.which("twine", path=str(Path(sys.executable).parent)) or shutil.which("twine"):
        run(sys.executable, "-m", "twine", "check", "--strict", found, sdist, cwd=tmp)
    return found


def test_the_wheel_ships_the_templates_and_the_demo(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
    missing = [name for name in MUST_SHIP if name not in names]
    assert missing == []
    assert any(n.startswith("jssreport/demo/contracts/") and n.endswith(".yml") for n in names)
    assert any(n.startswith("jssreport/examples/") for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as whl:
        assert "jssreport = jssreport.cli:run" in whl.read(entry_points).decode()
    assert any(n.startswith("jssreport/examples/demo-2020/content/") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as whl:
        meta = whl.read(metadata).decode()
    assert "License-Expression: MIT" in meta and "Requires-Dist: markupsafe" in meta
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # plotly.js is the pinned partial bundle in jssreport/vendor/, never the plotly package's
    assert not any(n.endswith("plotly.min.js") for n in names)
    assert not any(n.startswith(("tests/", "site/", "content/", "templates/")) for n in names)


def test_the_installed_wheel_builds_the_demo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    env = clean_env()
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
        "--disable-pip-version-check", "-q", wheel, cwd=tmp_path, env=env)
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                       cwd=tmp_path, env=env).strip())
    # The dependencies, from the environment running the tests (see the module docstring).
    (purelib / "_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    where = run(python, "-c", "import jssreport; print(jssreport.__file__)",
                cwd=tmp_path, env=env).strip()
    assert Path(where).is_relative_to(purelib), where

    jssreport = venv / "bin" / "jssreport"
    version = run(jssreport, "--version", cwd=tmp_path, env=env).split()[-1]
    assert version == run(python, "-c", "import importlib.metadata as m; "
                          "print(m.version('jssreport'))", cwd=tmp_path, env=env).strip()

    # A new project, as the README says: init, then build (it warns: no contracts yet).
    run(jssreport, "init", "x", cwd=tmp_path, env=env)
    mine = tmp_path / "x"
    out = run(jssreport, "build", cwd=mine, env=env)
    assert out.startswith("Wrote ") and " to site/ " in out, out
    assert f"jssreport=={version}\n" in (mine / "requirements.txt").read_text(encoding="utf-8")
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) \
        or shutil.which("actionlint")
    if actionlint:
        run(actionlint, "-no-color", ".github/workflows/pages.yml", cwd=mine, env=env)
    elif os.environ.get("CI"):
        pytest.fail("actionlint is not installed (pip install --group dev)")

    run(jssreport, "init", "demo", "--demo", cwd=tmp_path, env=env)
    demo = tmp_path / "demo"
    out = run(jssreport, "build", cwd=demo, env=env)
    assert out.startswith("Wrote ") and " to site/ " in out, out
    index = (demo / "site" / "index.html").read_text(encoding="utf-8")
    score = json.loads(run(jssreport, "score", "--json", cwd=demo, env=env))
    assert isinstance(score["jss"], int)
    assert "Estimated JSS" in index and f'>{score["jss"]}%<' in index
    assert (demo / "site" / "assets" / "plotly.min.js").read_bytes() == \
        (ROOT / "jssreport" / "vendor" / "plotly-basic.min.js").read_bytes()
    assert (demo / "site" / "assets" / "style.css").read_bytes() == \
        (ROOT / "templates" / "assets" / "style.css").read_bytes()
