"""jssreport serve: an edit is served within 3 seconds, a bad edit shows its error and keeps
the last good build, Ctrl-C stops cleanly; the live-reload script never reaches site/."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serve_util import serving, until

from jssreport.commands.serve import STATUS_PATH, changed_files, fingerprint, inject

MakeProject = Callable[..., Path]
EDIT_SECONDS = 3.0

PROFILE = """
    name: Test Person
    as_of: 2020-07-01
"""
CONTRACTS = """
    contracts:
      - {id: one, client: Acme, title: First job, type: fixed, start: 2020-01-06,
         end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
         feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Birch, title: Second job, type: hourly, start: 2020-02-03,
         end: 2020-03-01, payments: [{date: 2020-03-01, amount: 1200}],
         feedback: {date: 2020-03-02, stars: 5}}
"""


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
        return response.read().decode("utf-8")  # type: ignore[no-any-return]


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project({"content/profile.yml": PROFILE,
                         "content/contracts/2020.yml": CONTRACTS})


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, list[str]]]:
    """``serve`` in a thread on a free port: (base URL, terminal lines)."""
    with serving(project) as found:
        yield found


def test_an_edit_is_served_within_3_seconds(project: Path,
                                            served: tuple[str, list[str]]) -> None:
    url, lines = served
    page = get(url + "contracts.html")
    assert "First job" in page and STATUS_PATH in page  # the live-reload script is served
    assert STATUS_PATH not in (project / "site/contracts.html").read_text(encoding="utf-8")
    version = json.loads(get(url + STATUS_PATH.lstrip("/")))
    assert version == {"version": 1, "error": None}
    records = project / "content/contracts/2020.yml"
    records.write_text(records.read_text(encoding="utf-8").replace("First job", "Renamed job"),
                       encoding="utf-8")
    until(lambda: "Renamed job" in get(url + "contracts.html"), EDIT_SECONDS)
    until(lambda: json.loads(get(url + STATUS_PATH.lstrip("/"))) == {"version": 2,
                                                                     "error": None}, 2)
    assert any(re.fullmatch(r"Built after a change in content/contracts/2020\.yml in "
                            r"\d+\.\d\d s", line) for line in lines), lines


def test_a_bad_edit_shows_the_error_and_keeps_the_last_good_build(
        project: Path, served: tuple[str, list[str]]) -> None:
    url, lines = served
    records = project / "content/contracts/2020.yml"
    good = records.read_text(encoding="utf-8")
    records.write_text(good.replace("stars: 5}}", "stars: 7}}", 1), encoding="utf-8")

    def failed() -> bool:
        return json.loads(get(url + STATUS_PATH.lstrip("/")))["error"] is not None

    until(failed, EDIT_SECONDS)
    status = json.loads(get(url + STATUS_PATH.lstrip("/")))
    assert status["version"] == 1
    assert status["error"].splitlines()[0].startswith("Error: content/contracts/2020.yml:")
    assert "feedback.stars must be between 1 and 5, got 7" in status["error"]
    assert any(line.startswith("Error: content/contracts/2020.yml:") and
               line.endswith("contract 'one': feedback.stars must be between 1 and 5, got 7")
               for line in lines), lines
    assert "Serving the last good build; fix the problem to rebuild." in lines
    assert "First job" in get(url + "contracts.html")  # the last good build
    records.write_text(good.replace("First job", "Fixed job"), encoding="utf-8")
    until(lambda: "Fixed job" in get(url + "contracts.html"), EDIT_SECONDS)
    # the site is swapped in a moment before the status says so
    until(lambda: json.loads(get(url + STATUS_PATH.lstrip("/"))) == {"version": 2,
                                                                     "error": None}, 2)


@pytest.mark.browser
def test_the_banner_shows_the_error_in_the_page(project: Path,
                                                served: tuple[str, list[str]]) -> None:
    from browser_util import chromium

    url, _ = served
    records = project / "content/contracts/2020.yml"
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(url)
        records.write_text(records.read_text(encoding="utf-8").replace("type: hourly",
                                                                        "type: daily"),
                           encoding="utf-8")
        banner = tab.wait_for_selector("#jssreport-serve-error", timeout=5000)
        assert banner is not None
        text = banner.inner_text()
        assert text.startswith("The build failed; this is the last good build.")
        assert "type must be one of fixed, hourly, got 'daily'" in text
        records.write_text(records.read_text(encoding="utf-8").replace("type: daily",
                                                                        "type: hourly"),
                           encoding="utf-8")
        tab.wait_for_selector("#jssreport-serve-error", state="detached", timeout=5000)


def test_ctrl_c_stops_cleanly(project: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "jssreport", "serve", "--port", "0",
                             "--project", str(project)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert re.fullmatch(r"Built in \d+\.\d\d s\n", first), first
        match = re.fullmatch(r"Serving (.+)/ at (http://127\.0\.0\.1:\d+/) \(rebuilds on "
                             r"changes; Ctrl-C to stop\)\n", second)
        assert match, second
        assert "First job" in get(match.group(2) + "contracts.html")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, out, err) == (0, "Stopped.\n", "")


def test_port_in_use_is_an_error(project: Path) -> None:
    import socket

    from click.testing import CliRunner

    from jssreport.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--project", str(project),
                                           "--port", str(port)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: port {port} is in use; choose another with --port\n")


def test_fingerprint_ignores_hidden_and_backup_files(project: Path) -> None:
    before = fingerprint(project)
    assert sorted(before) == ["content/contracts/2020.yml", "content/profile.yml"]
    (project / "content/contracts/.2020.yml.swp").write_text("x", encoding="utf-8")
    (project / "content/contracts/2020.yml~").write_text("x", encoding="utf-8")
    assert fingerprint(project) == before
    (project / "jssreport.yml").write_text("title: T\n", encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates/base.html").write_text("x", encoding="utf-8")
    assert changed_files(before, fingerprint(project)) == ["jssreport.yml",
                                                           "templates/base.html"]


def test_inject_goes_before_the_end_of_the_body() -> None:
    page = inject("<html><body><p>x</p></body></html>", 7)
    assert page.startswith("<html><body><p>x</p><script>")
    assert page.endswith("</script>\n</body></html>")
    assert "var seen = 7;" in page
    assert inject("<p>no body</p>", 1).startswith("<p>no body</p><script>")

