"""A project someone else gives you may commit any cache file: nothing in the project folder is
ever loaded as a cache, so a planted payload runs no code on ``check`` or ``build``, and the
output is the one of a clean copy (jssreport.incremental.store)."""

from __future__ import annotations

import filecmp
import marshal
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jssreport.incremental.store import cache_folder

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-06-30"


class Payload:
    """Unpickling this runs ``open(marker, "w")``: proof that a cache entry was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def plant(project: Path, marker: Path) -> int:
    """Payloads under every name and folder a cache ever had in a project (the
    ``.jssreport-cache`` of jssreport 0.1: pickles, Jinja bytecode) and a few it might."""
    pickled = pickle.dumps(Payload(marker))
    code = compile(f"open({str(marker)!r}, 'w')", "<payload>", "exec")
    # Jinja's bytecode format: its magic header, then a marshalled code object.
    jinja = b"j2" + pickle.dumps((2, sys.version_info[0] << 24 | sys.version_info[1])) + \
        marshal.dumps(code)
    planted = 0
    for cache in (project / ".jssreport-cache", project / ".cache", project / "content"):
        for kind in ("contracts", "contracts-latest", "history", "explain", "pages"):
            folder = cache / kind
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("0" * 64, "f" * 64, "payload"):
                for suffix in (".pickle", ".entry", ".json", ""):
                    (folder / f"{name}{suffix}").write_bytes(pickled)
                    planted += 1
        folder = cache / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("0" * 64, "payload"):
            (folder / f"{name}.jinja").write_bytes(jinja)
            planted += 1
    return planted


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jssreport", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=300)


def plant_real_names(project: Path, names: list[Path], marker: Path) -> int:
    """Payloads under the exact names of the entries a build of ``project`` keeps, in the
    project's own ``.jssreport-cache`` (where jssreport 0.1 kept them): if a cache were ever
    read from the project again, these are the files it would load."""
    pickled = pickle.dumps(Payload(marker))
    planted = 0
    for rel in names:
        for name in (rel, rel.with_suffix(".pickle")):
            target = project / ".jssreport-cache" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pickled)
            planted += 1
    return planted


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_planted_cache_payload_runs_no_code(tmp_path: Path, command: str) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(ROOT / "content", clean / "content")
    shutil.copy2(ROOT / "jssreport.yml", clean / "jssreport.yml")
    given = tmp_path / "given"
    shutil.copytree(clean, given)
    marker = tmp_path / "code-ran"
    assert plant(given, marker) > 100
    args = ["--as-of", AS_OF] if command == "build" else []
    done = run(given, command, *args)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), f"{command} loaded a planted cache file"
    assert run(given, "build", "--as-of", AS_OF).returncode == 0  # a cache with every kind
    kept = cache_folder(given)
    names = [p.relative_to(kept) for p in sorted(kept.rglob("*")) if p.is_file()]
    shutil.rmtree(kept)  # nothing of its own: it must look for a cache
    assert plant_real_names(given, names, marker) > 10
    for _ in range(2):  # the second run finds its own cache
        done = run(given, command, *args)
        assert done.returncode == 0, done.stderr
        assert not marker.exists(), f"{command} loaded a planted cache file"
    if command == "build":
        assert run(clean, "build", "--as-of", AS_OF).returncode == 0
        same = filecmp.dircmp(clean / "site", given / "site")
        assert not same.diff_files and not same.left_only, (same.diff_files, same.left_only)
        assert cache_folder(given).is_dir()  # it has a cache: outside the project
        assert given not in cache_folder(given).parents
