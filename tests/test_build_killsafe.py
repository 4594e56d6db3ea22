"""A build killed at any moment leaves site/ exactly as the old build or the new one.

The project is built once (the old site), its records change, and ``python -m jssreport build``
is then stopped in two ways:

- SIGKILL at seeded random moments spread over a build's duration;
- a crash (``os._exit``) just before its k-th change to the project's files, for every k: each
  open-for-writing, mkdir, rename, replace, remove, rmtree and symlink under the project. This
  hits the narrow windows (between two renames, say) that random kills almost never do.

After each stop site/ is compared, file by file (sha256), with the two reference builds; before
each try site/ is put back to the old build, so every stop tests the old -> new swap. A last
build must succeed despite whatever the stopped ones left behind, and give the new site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import bench_generator

from jssreport.incremental.store import cache_folder

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-06-30"
KILLS = 15
SEED = 6
CONTRACTS = 300  # big enough that writing the site takes a while, small enough to stay fast
BUDGET_SECONDS = 25.0  # fewer kills on a slow machine rather than a slow suite




generator = bench_generator()

Manifest = dict[str, str]


def manifest(site: Path) -> Manifest | None:
    """Relative path -> sha256 of every file under ``site``; None when there is no site/."""
    if not site.exists():
        return None
    out = {}
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath, name)
            out[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build_cmd(project: Path) -> list[str]:
    return [sys.executable, "-m", "jssreport", "build", "--as-of", AS_OF, "--project", str(project)]


def build(project: Path) -> float:
    began = time.perf_counter()
    done = subprocess.run(build_cmd(project), capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - began
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return took


def kill_during_build(project: Path, after: float) -> int | None:
    """Start a build, SIGKILL it ``after`` seconds later; its exit code if it finished first."""
    proc = subprocess.Popen(build_cmd(project), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = proc.wait(timeout=after)
        return code
    except subprocess.TimeoutExpired:
        proc.kill()  # the build process itself, as an OOM killer or a power cut would
        proc.wait()
        return None
    finally:
        # ... and any worker it started, so that nothing writes after the check.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


# Run inside the build's process: crash before the k-th change under the project (k = argv[1];
# 0 = never), logging each change to argv[2] when given. The rest of argv is jssreport's.
CRASH_AT = r"""
import builtins, io, os, shutil, sys

limit, log, root = int(sys.argv[1]), sys.argv[2], os.path.realpath(sys.argv[3])
real_open, count, busy = io.open, 0, False

def hit(kind, path):
    global count
    if busy or isinstance(path, int):
        return
    full = os.path.realpath(os.fsdecode(path))
    if not (full + os.sep).startswith(root + os.sep):
        return
    count += 1
    if log:
        with real_open(log, "a", encoding="utf-8") as f:
            f.write(f"{count} {kind} {os.path.relpath(full, root)}\n")
    if count == limit:
        os._exit(137)

def wrap(module, name, kind, writes=None):
    real = getattr(module, name)
    def patched(*args, **kwargs):
        if args and (writes is None or writes(*args, **kwargs)):
            hit(kind, args[0])
        return real(*args, **kwargs)
    setattr(module, name, patched)

def opens_for_writing(file, mode="r", *args, **kwargs):
    return any(c in mode for c in "wax+")

def os_open_writes(path, flags, *args, **kwargs):
    return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))

wrap(io, "open", "write", opens_for_writing)
builtins.open = io.open
wrap(os, "open", "write", os_open_writes)
for name in ("rename", "replace", "mkdir", "remove", "unlink", "rmdir", "symlink"):
    wrap(os, name, name)
real_rmtree = shutil.rmtree
def rmtree(path, *args, **kwargs):
    global busy
    hit("rmtree", path)
    busy = True  # one step: its own unlinks are not counted
    try:
        return real_rmtree(path, *args, **kwargs)
    finally:
        busy = False
shutil.rmtree = rmtree

from jssreport.cli import main
sys.argv = ["jssreport", *sys.argv[4:]]
main()
"""


def crash_cmd(project: Path, step: int, log: Path | None) -> list[str]:
    return [sys.executable, "-c", CRASH_AT, str(step), str(log or ""), str(project),
            *build_cmd(project)[3:]]


def explain(state: Manifest | None, old: Manifest, new: Manifest) -> str:
    if state is None:
        return "site/ is missing"
    parts = []
    for label, ref in (("old", old), ("new", new)):
        missing = sorted(ref.keys() - state.keys())
        extra = sorted(state.keys() - ref.keys())
        changed = sorted(k for k in ref.keys() & state.keys() if ref[k] != state[k])
        parts.append(f"vs {label}: missing {missing[:5]}, extra {extra[:5]}, "
                     f"different {changed[:5]}")
    return "; ".join(parts)


def test_killed_build_leaves_old_or_new_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    generator.generate(CONTRACTS, project, seed=SEED)
    build(project)
    site = project / "site"
    old = manifest(site)
    assert old, "the first build wrote nothing"
    old_copy = tmp_path / "old-site"
    shutil.copytree(site, old_copy, symlinks=True)

    generator.change_one_amount(sorted((project / "content/contracts").glob("*.yml"))[-1])
    reference = tmp_path / "reference"  # the same input over the same previous site
    shutil.copytree(project / "content", reference / "content")
    shutil.copytree(old_copy, reference / "site", symlinks=True)
    duration = build(reference)
    new = manifest(reference / "site")
    assert new and new != old, "changing a payment amount did not change the site"

    rng = random.Random(SEED)
    # Half the kills anywhere in the build, half in its last third, where it writes.
    moments = [rng.uniform(0.0, 1.05) * duration for _ in range(KILLS // 2)]
    moments += [rng.uniform(0.66, 1.05) * duration for _ in range(KILLS - len(moments))]
    began = time.perf_counter()
    seen = {"old": 0, "new": 0}
    for i, after in enumerate(moments):
        if time.perf_counter() - began > BUDGET_SECONDS and i >= 5:
            break
        shutil.rmtree(site)
        shutil.copytree(old_copy, site, symlinks=True)
        code = kill_during_build(project, after)
        assert code in (None, 0), f"kill {i}: the build failed on its own (exit {code})"
        state = manifest(site)
        assert state in (old, new), f"kill {i} at {after:.2f} s: " + explain(state, old, new)
        seen["old" if state == old else "new"] += 1

    build(project)  # whatever the killed builds left behind must not get in the way
    assert manifest(site) == new
    assert seen["old"] > 0, f"no kill landed before the swap: {seen}"


def test_crash_before_any_file_change_leaves_old_or_new_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    generator.generate(20, project, seed=SEED)
    build(project)
    site = project / "site"
    old = manifest(site)
    assert old
    old_copy = tmp_path / "old-site"
    shutil.copytree(site, old_copy, symlinks=True)
    generator.change_one_amount(sorted((project / "content/contracts").glob("*.yml"))[-1])

    log = tmp_path / "steps.log"
    # Every run starts without the records cache, so each takes the same steps (cache writes
    # included) and step N is the same file change in every run.
    cache = cache_folder(project)
    shutil.rmtree(cache, ignore_errors=True)
    serial = dict(os.environ)
    counted = subprocess.run(crash_cmd(project, 0, log), capture_output=True, text=True,
                             timeout=120, env=serial)
    assert counted.returncode == 0, counted.stderr
    new = manifest(site)
    assert new and new != old
    steps = log.read_text(encoding="utf-8").splitlines()
    # (A swap done in C, such as renameat2 through ctypes, is not a step we see; the crashes
    # just before and just after it are.)
    assert any(" write " in s for s in steps), steps

    failures = []
    for step in range(1, len(steps) + 1):
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(old_copy, site, symlinks=True)
        shutil.rmtree(cache, ignore_errors=True)
        done = subprocess.run(crash_cmd(project, step, None), capture_output=True, text=True,
                              timeout=120, env=serial)
        assert done.returncode == 137, f"step {step} did not crash: {done.stderr}"
        state = manifest(site)
        if state not in (old, new):
            failures.append(f"crash before {steps[step - 1]}: {explain(state, old, new)}")
    assert not failures, "\n".join(failures) + "\nsteps:\n" + "\n".join(steps)

    build(project)
    assert manifest(site) == new
