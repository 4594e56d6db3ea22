"""Never lose a user's files: a build replaces only a folder (or file) jssreport wrote, an
import keeps the comments of the file it merges into (or writes nothing), and what killed
runs left behind is removed by the next run, only when it is ours and its process is gone."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from jssreport.cli import main
from jssreport.errors import JssReportError
from jssreport.importers.keepcomments import comment_lines
from jssreport.importers.upwork_csv import run_import
from jssreport.output.write import SITE_MARKER, SITE_MARKER_TEXT, is_site
from jssreport.paths import builtin_templates_dir, leftover_pid, remove, remove_leftovers

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tests" / "fixtures" / "upwork-csv"
GENERATOR = '<meta name="generator" content="jssreport">'


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "p"
    assert run("init", "--demo", target).exit_code == 0
    return target


@pytest.fixture
def project(demo: Path, tmp_path: Path) -> Path:
    shutil.copytree(demo, tmp_path / "p")
    return tmp_path / "p"


# --- build -o: only a folder jssreport wrote ------------------------------------------------

NOT_OURS = {
    "a blog": {"index.html": "<h1>my blog</h1>", "posts/one.md": "hello", "me.jpg": "JPEG"},
    "only an index": {"index.html": "<h1>home</h1>"},
    "only a report.json": {"report.json": "{}"},
    "an old site with a file of the user's": {
        "index.html": f"<head>{GENERATOR}</head>", "report.json": "{}", "notes.txt": "mine"},
    "an old-looking site with a folder of the user's": {
        "index.html": f"<head>{GENERATOR}</head>", "report.json": "{}", "photos/a.jpg": "x"},
    "a generator tag but no report.json": {"index.html": f"<head>{GENERATOR}</head>"},
    "a marker with other text": {SITE_MARKER: "mine", "index.html": "x"},
    "a marker that is a folder": {f"{SITE_MARKER}/x": "x", "index.html": "x"},
    "a dot file": {".git/HEAD": "ref: refs/heads/main"},
}


@pytest.mark.parametrize("case", sorted(NOT_OURS))
@pytest.mark.parametrize("how", ["-o", "output:"])
def test_a_folder_jssreport_did_not_write_is_never_replaced(project: Path, tmp_path: Path,
                                                             case: str, how: str) -> None:
    target = tmp_path / "blog"
    for rel, text in NOT_OURS[case].items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")
    before = tree(target)
    if how == "-o":
        result = run("build", "--project", project, "-o", target)
    else:
        settings = project / "jssreport.yml"
        text = settings.read_text(encoding="utf-8")
        assert "\noutput: site " in text
        settings.write_text(text.replace("\noutput: site ", f"\noutput: {target} "),
                            encoding="utf-8")
        result = run("build", "--project", project)
    assert result.exit_code == 1
    assert f"Error: refusing to replace {target}: it is not empty and jssreport did not " \
        "write it" in result.output
    assert "--force" in result.output
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blog", "p"]  # no temporary left


def test_force_replaces_a_folder_jssreport_did_not_write(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "blog"
    (target / "posts").mkdir(parents=True)
    (target / "posts" / "one.md").write_text("hello", encoding="utf-8")
    result = run("build", "--project", project, "-o", target, "--force")
    assert result.exit_code == 0, result.output
    assert not (target / "posts").exists()
    assert (target / SITE_MARKER).read_bytes() == SITE_MARKER_TEXT
    # --force never reaches the project or its input
    for inside in (project, project / "content", project / "templates" / "x"):
        result = run("build", "--project", project, "-o", inside, "--force")
        assert result.exit_code == 1 and "refusing to build into" in result.output


def test_an_empty_folder_and_a_built_site_are_replaced(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    assert run("build", "--project", project, "-o", target).exit_code == 0
    assert is_site(target)
    (target / "stale.html").write_text("old", encoding="utf-8")
    assert run("build", "--project", project, "-o", target).exit_code == 0
    assert not (target / "stale.html").exists()


def test_a_site_of_a_version_before_the_marker_is_replaced(project: Path,
                                                            tmp_path: Path) -> None:
    """Older versions wrote only HTML pages, report.json and assets/ (documented in README)."""
    target = tmp_path / "old-site"
    files = {"index.html": f"<!DOCTYPE html><head>{GENERATOR}</head>", "report.json": "{}",
             "contracts.html": "x", "assets/style.css": "x", "assets/plotly.min.js": "x"}
    for rel, text in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")
    assert is_site(target)
    assert run("build", "--project", project, "-o", target).exit_code == 0
    assert (target / SITE_MARKER).is_file()


def test_single_file_replaces_only_a_report_unless_forced(project: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.html"
    notes.write_text("<p>mine</p>", encoding="utf-8")
    result = run("build", "--project", project, "--single-file", "-o", notes)
    assert result.exit_code == 1 and notes.read_text(encoding="utf-8") == "<p>mine</p>"
    result = run("build", "--project", project, "--single-file", "-o", notes, "--force")
    assert result.exit_code == 0 and GENERATOR in notes.read_text(encoding="utf-8")[:4096]


# --- leftovers of killed runs ----------------------------------------------------------------


def test_only_our_own_temporary_names_are_leftovers() -> None:
    assert leftover_pid(".site.new-123-0", "site") == 123
    assert leftover_pid(".site.old-9-12", "site") == 9
    assert leftover_pid(".report.html.tmp-77", "report.html") == 77
    assert leftover_pid(".imported.yml.88.tmp", "imported.yml") == 88
    for name in (".site.new-x-0", ".site.new-1", "site.new-1-0", ".other.new-1-0",
                 ".report.html.tmp-", ".report.html.tmp-1x", ".imported.yml.tmp",
                 ".site.new-1-0.bak", ".sitex.new-1-0"):
        assert leftover_pid(name, "site" if "site" in name else
                            "report.html" if "report" in name else "imported.yml") is None, name


def test_leftovers_of_every_kind_are_removed_when_their_process_is_gone(tmp_path: Path) -> None:
    dead, live = dead_pid(), os.getppid()
    names = [f".site.new-{dead}-0", f".site.old-{dead}-3", f".report.html.tmp-{dead}",
             f".imported.yml.{dead}.tmp"]
    kept = [f".site.new-{live}-0", f".report.html.tmp-{live}", f".imported.yml.{live}.tmp",
            ".site.keep", "site", ".report.html.tmp-x"]
    for name in names + kept:
        if ".new-" in name or ".old-" in name or name == "site":
            (tmp_path / name / "assets").mkdir(parents=True)
        else:
            (tmp_path / name).write_text("x", encoding="utf-8")
    for target in ("site", "report.html", "imported.yml"):
        assert remove_leftovers(tmp_path / target) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_a_read_only_folder_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / ".site.new-1-0"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "a.css").write_text("x", encoding="utf-8")
    for path in (folder / "assets", folder):
        path.chmod(0o555)
    assert remove(folder)
    assert not folder.exists()


def readable_by_others(folder: Path | None) -> bool:
    """Whether a user other than the owner can read ``folder`` and every file in it (each
    folder above it searchable by others)."""
    if folder is None:
        return False
    if any(not (p.stat().st_mode & stat.S_IXOTH) for p in [folder, *folder.parents]):
        return False
    return all(p.stat().st_mode & stat.S_IROTH for p in [folder, *folder.rglob("*")])


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="builds as an unprivileged user (needs root to switch)")
def test_a_read_only_old_site_leaves_nothing_behind(project: Path) -> None:
    """As a user for whom permissions count (root ignores them), in a forked child that has
    everything imported already: the old site is read-only, the new one replaces it."""
    if not readable_by_others(builtin_templates_dir()):
        pytest.skip("the checkout's built-in templates cannot be read by another user "
                    "(a private temporary folder): the unprivileged build cannot run here")
    shared = Path("/tmp") / f"jssreport-ro-{os.getpid()}"
    shutil.rmtree(shared, ignore_errors=True)
    shutil.copytree(project, shared / "p")
    assert run("build", "--project", shared / "p").exit_code == 0  # imports all it needs
    try:
        site = shared / "p" / "site"
        for path in [shared, *shared.rglob("*")]:
            os.chown(path, 65534, 65534, follow_symlinks=False)
        for path in [site, *site.rglob("*")]:
            if path.is_dir():
                path.chmod(0o555)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                os.environ["JSSREPORT_NO_CACHE"] = "1"  # the cache folder is root's
                os.setgid(65534)
                os.setuid(65534)
                result = run("build", "--project", shared / "p")
                (shared / "out.txt").write_text(result.output, encoding="utf-8")
                code = result.exit_code
            finally:
                os._exit(code)
        assert os.waitpid(pid, 0)[1] == 0, (shared / "out.txt").read_text(encoding="utf-8")
        assert (site / SITE_MARKER).is_file()
        assert [p.name for p in (shared / "p").iterdir() if p.name.startswith(".site")] == []
    finally:
        for path in [shared, *shared.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(shared, ignore_errors=True)


def test_a_single_file_build_removes_what_a_killed_one_left(project: Path) -> None:
    dead = dead_pid()
    (project / f".report.html.tmp-{dead}").write_text("half", encoding="utf-8")
    assert run("build", "--project", project, "--single-file").exit_code == 0
    assert not (project / f".report.html.tmp-{dead}").exists()


# --- import --into keeps the comments --------------------------------------------------------

COMMENTED = """\
# My contracts, by hand.

contracts:
  - id: offline-job  # a favour, paid in cash
    client: "Friend # of a friend"
    title: Off-platform favour
    type: fixed
    start: 2022-02-01
    # no platform record: the amount is from my notes
    earned: 100
    last_payment: 2022-02-01
    notes: |
      # not a comment: a block string
"""


def test_comments_are_found_between_the_tokens_only() -> None:
    assert comment_lines(COMMENTED) == [1, 4, 9]


def import_into(project: Path, *names: str) -> Any:
    return run_import(project, [CSV / n for n in names], into=Path("content/contracts/mine.yml"),
                      today=date(2026, 10, 15), echo=lambda line: None)


def test_an_import_that_only_adds_contracts_keeps_every_comment(tmp_path: Path) -> None:
    path = tmp_path / "content" / "contracts" / "mine.yml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    summary = import_into(tmp_path, "legacy.csv")
    assert summary.written and summary.contracts_added > 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(COMMENTED)  # byte for byte, the new contracts after it
    loaded = yaml.safe_load(text)["contracts"]
    assert loaded[0]["id"] == "offline-job" and len(loaded) == 1 + summary.contracts_added
    again = import_into(tmp_path, "legacy.csv")
    assert not again.written and path.read_text(encoding="utf-8") == text


def test_an_import_that_changes_a_commented_file_writes_nothing_and_says_why(
        tmp_path: Path) -> None:
    path = tmp_path / "content" / "contracts" / "mine.yml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    import_into(tmp_path, "legacy-older.csv")  # adds contracts: comments kept
    before = path.read_bytes()
    with pytest.raises(JssReportError) as info:
        import_into(tmp_path, "legacy.csv")  # adds payments to those contracts
    message = str(info.value)
    assert message.startswith("content/contracts/mine.yml:4: not written: this file has "
                              "comments (line 4, 9)")
    assert "--into content/contracts/imported.yml" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["mine.yml"]


def test_a_file_with_comments_only_at_the_top_is_merged_as_before(tmp_path: Path) -> None:
    path = tmp_path / "content" / "contracts" / "mine.yml"
    path.parent.mkdir(parents=True)
    path.write_text("# mine\n\ncontracts: []\n", encoding="utf-8")
    import_into(tmp_path, "legacy-older.csv")
    import_into(tmp_path, "legacy.csv")
    assert path.read_text(encoding="utf-8").startswith("# mine\n\ncontracts:\n  - id: ")


def test_an_import_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    dead = dead_pid()
    folder = tmp_path / "content" / "contracts"
    folder.mkdir(parents=True)
    (folder / f".mine.yml.{dead}.tmp").write_text("half", encoding="utf-8")
    import_into(tmp_path, "legacy.csv")
    assert sorted(p.name for p in folder.iterdir()) == ["mine.yml"]


def test_a_dry_run_says_the_import_would_not_be_written(tmp_path: Path) -> None:
    path = tmp_path / "content" / "contracts" / "mine.yml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    import_into(tmp_path, "legacy-older.csv")
    before = path.read_bytes()
    with pytest.raises(JssReportError, match="not written: this file has comments"):
        run_import(tmp_path, [CSV / "legacy.csv"], into=Path("content/contracts/mine.yml"),
                   today=date(2026, 10, 15), echo=lambda line: None, dry_run=True)
    assert path.read_bytes() == before
