"""Benchmark: jssreport's build against a floor measured in the same run (issue 6).

For each size N (default 200, 2,000 and 20,000 contracts) it generates a ten-year history with
``bench/generator.py`` and measures, in each of ``--repeat`` rounds (medians reported; each
ratio is the median of the rounds' ratios, a round's build over that round's floor):

- floor: a fresh ``python`` that imports yaml and parses every record file with
  ``yaml.CSafeLoader`` (interpreter start-up included);
- cold: ``python -m jssreport build --as-of <date>`` in a fresh process on a fresh copy of the
  project (no site/, no cache): wall time, peak RSS of that process (``os.wait4``), output size,
  largest HTML page;
- rebuild: the same project after one record file changed (the newest year's file: one payment
  amount grows by 1.00), with site/ and any cache from the cold build in place.

Once per size it also checks that the rebuild's site/ equals, byte for byte, a build without
any cache of the same changed input over the same previous site/ (the report may compare
itself with the previous build; a stale cache would show up here).

It always exits 0: it is a measurement; the PASS/FAIL lines say how the numbers compare with
the targets of issue 6.

Every size is measured on each history shape of ``bench/generator.py`` (``--shape``, default
both): ``default`` (mostly short contracts) and ``longterm`` (long-running hourly contracts
paid every week or two, clients coming back often); the targets hold on both.

    python bench/run.py [--sizes 200,2000,20000] [--shape default|longterm|both] [--repeat 3]
                        [--change newest|oldest] [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generator import AS_OF, SHAPES, change_one_amount, generate, record_files  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

FLOOR_CODE = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as f:\n"
    "        yaml.load(f, Loader=yaml.CSafeLoader)\n"
)

# (label, size, metric, limit): metric <= limit passes.
TARGETS = (
    ("cold build <= 2.0 x floor at 2,000", 2000, "cold_ratio", 2.0),
    ("cold build <= 1.35 x floor at 20,000", 20000, "cold_ratio", 1.35),
    ("rebuild <= 0.35 x floor at 20,000", 20000, "rebuild_ratio", 0.35),
    ("peak memory <= 600 MB at 20,000", 20000, "peak_mb", 600.0),
    ("largest page <= 400 KB at 20,000", 20000, "largest_page_kb", 400.0),
)
GROWTH_LIMIT = 12.0


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds of the child: steadier than wall time on a busy box


@dataclass
class Result:
    n: int
    shape: str = "default"
    input_mb: float = 0.0
    floor: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    rebuild: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    rebuild_cpu: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    output_mb: float = 0.0
    largest_page: str = ""
    largest_page_kb: float = 0.0
    fresh_equals_rebuild: bool | None = None
    failure: str = ""

    def median(self, name: str) -> float | None:
        values: list[float] = getattr(self, name)
        return statistics.median(values) if values else None

    def ratios(self, name: str, floor: str = "floor") -> list[float]:
        """Each round's ``name`` / that round's floor."""
        pairs = zip(getattr(self, name), getattr(self, floor), strict=False)
        return [a / b for a, b in pairs if b]

    def ratio(self, name: str, floor: str = "floor") -> float | None:
        """The median over the rounds of ``name`` / the round's floor."""
        ratios = self.ratios(name, floor)
        return statistics.median(ratios) if ratios else None

    @property
    def cold_ratio(self) -> float | None:
        return self.ratio("cold")

    @property
    def rebuild_ratio(self) -> float | None:
        return self.ratio("rebuild")

    def cpu_ratio(self, name: str) -> float | None:
        return self.ratio(f"{name}_cpu", "floor_cpu")

    @property
    def peak_mb(self) -> float | None:
        return max(self.peaks_mb) if self.peaks_mb else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def run_child(cmd: list[str], cwd: Path, timeout: float) -> Run:
    """Run ``cmd`` to completion; wall time and the peak RSS of that one process."""
    with tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        deadline = began + timeout
        while True:
            # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the max over all).
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return Run(timeout, usage.ru_maxrss / 1024, -9, f"timed out after {timeout:.0f} s",
                           usage.ru_utime + usage.ru_stime)
            time.sleep(0.002)
        seconds = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, text,
               usage.ru_utime + usage.ru_stime)


def build_cmd(project: Path) -> list[str]:
    return [sys.executable, "-m", "jssreport", "build", "--as-of", AS_OF.isoformat(),
            "--project", str(project)]


def manifest(site: Path) -> dict[str, str]:
    out = {}
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = Path(dirpath, name)
            out[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def fresh_copy(base: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(base / "content", dest / "content")
    return dest


def changed_contract_file(project: Path, which: str = "newest") -> Path:
    """The record file a rebuild changes: the newest year's (new work) or the oldest's."""
    files = sorted((project / "content/contracts").glob("*.yml"))
    return files[-1] if which == "newest" else files[0]


def measure(n: int, work: Path, repeat: int, timeout: float, seed: int,
            change: str = "newest", shape: str = "default") -> Result:
    result = Result(n, shape)
    base = work / f"{shape}-n{n}"
    shutil.rmtree(base, ignore_errors=True)
    generate(n, base, seed=seed, shape=shape)
    files = [str(p) for p in record_files(base)]
    result.input_mb = sum(os.path.getsize(f) for f in files) / 1e6
    floor_cmd = [sys.executable, "-c", FLOOR_CODE, *files]
    run_child(floor_cmd, base, timeout)  # warm the page cache; not counted
    for r in range(repeat):
        # The floor of each round just before its builds: a machine whose speed drifts during
        # the run (a shared virtual one) moves both alike, and each ratio is of one round.
        floor = run_child(floor_cmd, base, timeout)
        if floor.returncode:
            result.failure = f"floor failed: {floor.stderr.strip()[-500:]}"
            return result
        result.floor.append(floor.seconds)
        result.floor_cpu.append(floor.cpu)
        project = fresh_copy(base, work / f"{shape}-n{n}-run{r}")
        cold = run_child(build_cmd(project), project, timeout)
        if cold.returncode:
            result.failure = f"cold build exited {cold.returncode}: {cold.stderr.strip()[-2000:]}"
            return result
        result.cold.append(cold.seconds)
        result.cold_cpu.append(cold.cpu)
        result.peaks_mb.append(cold.peak_mb)
        site = project / "site"
        if r == 0:
            sizes = [(p.stat().st_size, p) for p in site.rglob("*") if p.is_file()]
            result.output_mb = sum(s for s, _ in sizes) / 1e6
            pages = [(s, p) for s, p in sizes if p.suffix == ".html"]
            if pages:
                size, page = max(pages)
                result.largest_page = page.relative_to(site).as_posix()
                result.largest_page_kb = size / 1024
        check = work / f"{shape}-n{n}-check"
        if r == 0:  # the same previous site, without whatever cache the cold build left
            shutil.rmtree(check, ignore_errors=True)
            shutil.copytree(site, check / "site")
        change_one_amount(changed_contract_file(project, change))
        rebuild = run_child(build_cmd(project), project, timeout)
        if rebuild.returncode:
            tail = rebuild.stderr.strip()[-2000:]
            result.failure = f"rebuild exited {rebuild.returncode}: {tail}"
            return result
        result.rebuild.append(rebuild.seconds)
        result.rebuild_cpu.append(rebuild.cpu)
        result.peaks_mb.append(rebuild.peak_mb)
        if r == 0:
            shutil.copytree(project / "content", check / "content")
            fresh = run_child(build_cmd(check), check, timeout)
            result.fresh_equals_rebuild = (
                fresh.returncode == 0 and manifest(check / "site") == manifest(site)
            )
            shutil.rmtree(check, ignore_errors=True)
        shutil.rmtree(project, ignore_errors=True)
    shutil.rmtree(base, ignore_errors=True)
    return result


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    import yaml

    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count()),
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "pyyaml": f"{yaml.__version__} (libyaml: {yaml.__with_libyaml__})",
        "jssreport commit": commit or "unknown",
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: list[Result]) -> str:
    head = ("shape", "N", "input MB", "floor s", "cold s", "cold/floor", "rebuild s",
            "rebuild/floor", "peak MB", "output MB", "largest page KB")
    rows = [head, tuple("---:" for _ in head)]
    for r in results:
        rows.append((
            r.shape, f"{r.n:,}", _fmt(r.input_mb, 1), _fmt(r.median("floor")),
            _fmt(r.median("cold")), _fmt(r.cold_ratio), _fmt(r.median("rebuild")),
            _fmt(r.rebuild_ratio),
            _fmt(r.peak_mb, 0), _fmt(r.output_mb, 1), _fmt(r.largest_page_kb, 0),
        ))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def cpu_table(results: list[Result]) -> str:
    head = ("shape", "N", "floor cpu s", "cold cpu s", "cold/floor cpu", "rebuild cpu s",
            "rebuild/floor cpu")
    rows = [head, tuple("---:" for _ in head)]
    for r in results:
        rows.append((
            r.shape, f"{r.n:,}", _fmt(r.median("floor_cpu")), _fmt(r.median("cold_cpu")),
            _fmt(r.cpu_ratio("cold")), _fmt(r.median("rebuild_cpu")),
            _fmt(r.cpu_ratio("rebuild")),
        ))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def verdicts(results: list[Result]) -> list[str]:
    lines: list[str] = []
    for shape in dict.fromkeys(r.shape for r in results):
        lines.extend(f"{line[:6]}[{shape}] {line[6:]}"
                     for line in _verdicts([r for r in results if r.shape == shape]))
    return lines


ROUND_RATIOS = {"cold_ratio": "cold", "rebuild_ratio": "rebuild"}  # target metric -> runs


def _verdicts(results: list[Result]) -> list[str]:
    """The PASS/FAIL lines of one shape's results."""
    by_n = {r.n: r for r in results}
    lines = []
    for label, n, metric, limit in TARGETS:
        r = by_n.get(n)
        value = getattr(r, metric) if r and not r.failure else None
        if r is None:
            lines.append(f"n/a   {label} (size {n:,} not measured)")
        elif value is None:
            lines.append(f"FAIL  {label} (no measurement: {r.failure or 'nothing measured'})")
        else:
            verdict = "PASS" if value <= limit else "FAIL"
            # the rounds too: on a machine whose speed drifts, a median of three can mislead
            rounds = r.ratios(ROUND_RATIOS[metric]) if metric in ROUND_RATIOS else []
            shown = f" (rounds {', '.join(f'{x:.2f}' for x in rounds)})" if len(rounds) > 1 else ""
            lines.append(f"{verdict}  {label}: {value:.2f}{shown}")
    small, big = by_n.get(2000), by_n.get(20000)
    label = f"growth cold(20,000) / cold(2,000) <= {GROWTH_LIMIT:g} x"
    if small is None or big is None:
        lines.append(f"n/a   {label} (needs both sizes)")
    else:
        growth = _ratio(big.median("cold"), small.median("cold"))
        if growth is None:
            lines.append(f"FAIL  {label} (a build failed)")
        else:
            lines.append(f"{'PASS' if growth <= GROWTH_LIMIT else 'FAIL'}  {label}: {growth:.2f}")
    for r in results:
        if r.fresh_equals_rebuild is False:
            lines.append(f"FAIL  rebuild at {r.n:,} differs from an uncached build of the same "
                         "input (stale cache?)")
        elif r.fresh_equals_rebuild:
            lines.append(f"PASS  rebuild at {r.n:,} is byte-identical to an uncached build")
    return lines


def compile_package() -> str:
    """Compile jssreport's modules, as installing a wheel does. An editable install under
    PYTHONDONTWRITEBYTECODE=1 would compile them from source in every measured process (the
    floor's yaml is compiled at install)."""
    import compileall

    import jssreport

    package = Path(jssreport.__file__).resolve().parent
    ok = compileall.compile_dir(str(package), quiet=1)
    return f"{package} compiled" if ok else f"{package} could not be compiled"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="200,2000,20000",
                        help="comma-separated contract counts (default 200,2000,20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per process")
    parser.add_argument("--workdir", type=Path, help="where projects are generated (temp dir)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--change", choices=("newest", "oldest"), default="newest",
                        help="the record file the rebuild changes: the newest year's "
                        "(default) or the oldest's")
    parser.add_argument("--shape", choices=(*SHAPES, "both"), default="both",
                        help="the generated history's shape (bench/generator.py): default, "
                        "longterm, or both (default)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    shapes = list(SHAPES) if args.shape == "both" else [args.shape]

    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    print(f"bytecode: {compile_package()}", flush=True)
    print(f"rebuild: the last payment amount in the {args.change} year's file grows by 1.00",
          flush=True)
    print(f"load average before: {load_average()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="jssreport-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for shape in shapes:
            for n in sizes:
                began = time.perf_counter()
                result = measure(n, work, args.repeat, args.timeout, args.seed, args.change,
                                 shape)
                took = time.perf_counter() - began
                status = f"FAILED: {result.failure}" if result.failure else "ok"
                print(f"{shape} N={n:,}: measured in {took:.0f} s, {status}", flush=True)
                results.append(result)
    print(f"load average after: {load_average()}")
    print()
    print("Wall time (the targets):")
    print(table(results))
    print()
    print("CPU time (user + system) of the same runs, steadier when the machine is busy:")
    print(cpu_table(results))
    print()
    for r in results:
        if r.largest_page:
            print(f"largest page at {r.n:,} ({r.shape}): {r.largest_page}")
    print()
    for line in verdicts(results):
        print(line)
    if args.json:
        data = {"machine": info, "as_of": AS_OF.isoformat(), "repeat": args.repeat,
                "results": [dict(asdict(r), cold_ratio=r.cold_ratio,
                                 rebuild_ratio=r.rebuild_ratio) for r in results]}
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
