"""The whole site of a small fixture project, compared file by file with tests/golden/.

When the output changes on purpose, regenerate the expected files and review the diff:

    JSSREPORT_REGEN_GOLDEN=1 python -m pytest tests/test_build_golden.py

A failed comparison saves the actual site in tests/_actual/ (git-ignored) and shows a unified
diff of the first text file that differs. The version of jssreport is scrubbed from every file;
plotly.min.js is not stored in tests/golden/ but must be the pinned bundle (jssreport/vendor/).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from jssreport import __version__
from jssreport.cli import main
from jssreport.output.render import PLOTLY_ASSET, plotly_js

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "fixtures" / "golden-project"
GOLDEN = HERE / "golden"
ACTUAL = HERE / "_actual"
AS_OF = "2021-03-01"
# jssreport/vendor/plotly-basic.min.js (plotly.js-basic-dist-min 4.1.1; vendor/README.md)
PLOTLY_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
REGEN_VARIABLE = "JSSREPORT_REGEN_GOLDEN"
KEEP = (".gitattributes",)  # files of tests/golden/ that are not output (line-ending rules)
TEXT_SUFFIXES = (".html", ".json", ".css", ".js", ".md", ".txt", ".svg", ".xml")
DIFF_LINES = 120
LINE_CHARS = 200  # a chart's script is one long line: show it around its first difference


def scrub(data: bytes) -> bytes:
    """The output without what changes from release to release."""
    return data.replace(__version__.encode(), b"VERSION")


def build_golden_site(tmp: Path) -> dict[str, bytes]:
    """The fixture's site, built in a copy of the project, as ``{relative path: bytes}``."""
    project = tmp / "golden-project"
    shutil.copytree(PROJECT, project)
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    site = project / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in KEEP}


def write_tree(files: dict[str, bytes], folder: Path) -> None:
    """Replace the output files in ``folder`` by ``files`` (``KEEP`` files stay)."""
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path.name not in KEEP:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def first_diff(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """What differs: missing and unexpected files, then a diff of the first changed file."""
    lines = []
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(rel for rel in set(expected) & set(actual) if expected[rel] != actual[rel])
    if missing:
        lines.append(f"missing from the output: {', '.join(missing)}")
    if extra:
        lines.append(f"not in tests/golden/: {', '.join(extra)}")
    if changed:
        lines.append(f"different: {', '.join(changed)}")
    texts = [rel for rel in changed if rel.endswith(TEXT_SUFFIXES)]
    if texts:
        rel = texts[0]
        old = expected[rel].decode("utf-8", "replace").splitlines()
        new = actual[rel].decode("utf-8", "replace").splitlines()
        diff = list(difflib.unified_diff(old, new, f"tests/golden/{rel}", f"tests/_actual/{rel}",
                                         lineterm="", n=2))
        diff = clip_long_lines(diff, first_difference(old, new))
        more = len(diff) - DIFF_LINES
        lines += diff[:DIFF_LINES] + ([f"... {more} more diff lines"] if more > 0 else [])
    return "\n".join(lines)


def first_difference(old: list[str], new: list[str]) -> int:
    """The column where the first pair of differing lines starts to differ."""
    for a, b in zip(old, new, strict=False):
        if a != b:
            return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                        min(len(a), len(b)))
    return 0


def clip_long_lines(diff: list[str], column: int) -> list[str]:
    """Long diff lines cut to ``LINE_CHARS`` around ``column`` (plus the diff marker)."""
    start = max(0, column - LINE_CHARS // 2)
    out = []
    for line in diff:
        body = line[1:]
        if len(body) > LINE_CHARS and not line.startswith(("---", "+++")):
            end = start + LINE_CHARS
            body = ("..." if start else "") + body[start:end] + ("..." if end < len(body) else "")
        out.append(line[:1] + body)
    return out


def test_the_site_matches_the_golden_files(tmp_path: Path) -> None:
    site = build_golden_site(tmp_path)

    # plotly.js: only its presence and identity with the pinned bundle (1.2 MB, not stored)
    plotly = site.pop(PLOTLY_ASSET, None)
    assert plotly is not None, f"{PLOTLY_ASSET} is missing from the site"
    assert hashlib.sha256(plotly).hexdigest() == PLOTLY_SHA256 == \
        hashlib.sha256(plotly_js()).hexdigest()

    actual = {rel: scrub(data) for rel, data in site.items()}
    if os.environ.get(REGEN_VARIABLE):
        write_tree(actual, GOLDEN)
        print(f"regenerated {len(actual)} files in {GOLDEN}")
    expected = read_tree(GOLDEN)
    if actual == expected:
        shutil.rmtree(ACTUAL, ignore_errors=True)
        return
    shutil.rmtree(ACTUAL, ignore_errors=True)
    write_tree(actual, ACTUAL)
    raise AssertionError(
        "the site differs from tests/golden/; the actual output is in tests/_actual/.\n"
        f"If the change is intended: {REGEN_VARIABLE}=1 "
        "python -m pytest tests/test_build_golden.py\n"
        + first_diff(expected, actual))


def test_the_golden_files_are_small_and_complete() -> None:
    expected = read_tree(GOLDEN)
    assert PLOTLY_ASSET not in expected
    assert {"index.html", "contracts.html", "model.html", "notes.html", "report.json",
            "assets/style.css", "assets/report.js"} <= set(expected)
    assert sum(len(data) for data in expected.values()) < 400_000


def test_first_diff_shows_long_lines_around_their_first_difference() -> None:
    old = "x" * 1000 + "old" + "y" * 1000
    new = "x" * 1000 + "new" + "y" * 1000
    shown = first_diff({"a.html": old.encode()}, {"a.html": new.encode()}).splitlines()
    assert shown[-2:] == ["-..." + "x" * 100 + "old" + "y" * 97 + "...",
                          "+..." + "x" * 100 + "new" + "y" * 97 + "..."]


def test_first_diff_names_files_and_shows_the_first_change() -> None:
    expected = {"a.html": b"one\ntwo\n", "b.json": b"{}\n", "gone.css": b""}
    actual = {"a.html": b"one\nTWO\n", "b.json": b"{}\n", "new.js": b""}
    assert first_diff(expected, actual).splitlines() == [
        "missing from the output: gone.css",
        "not in tests/golden/: new.js",
        "different: a.html",
        "--- tests/golden/a.html",
        "+++ tests/_actual/a.html",
        "@@ -1,2 +1,2 @@",
        " one",
        "-two",
        "+TWO",
    ]
