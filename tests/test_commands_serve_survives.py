"""``jssreport serve`` survives every kind of bad edit (bad YAML, a template that does not
compile, fails while rendering or breaks out of the sandbox, a file that cannot be read, deep
Markdown, a bug in jssreport itself): it shows the error in the terminal and the status the
page polls, keeps serving the last good build, and builds again once the edit is fixed. It
answers only requests for localhost (DNS rebinding)."""

from __future__ import annotations

import http.client
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_util import serving, until

import jssreport.pipeline
from jssreport.commands.serve import STATUS_PATH, local_host

PROFILE = "name: Test Person\nas_of: 2020-07-01\n"
CONTRACTS = """\
contracts:
  - {id: one, client: Acme, title: First job, type: fixed, start: 2020-01-06,
     end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
     feedback: {date: 2020-02-02, stars: 5}}
  - {id: two, client: Birch, title: Open job, type: hourly, start: 2020-03-02,
     payments: [{date: 2020-03-09, amount: 100}]}
"""
PAGE = "# About\n\nHello.\n"
SECONDS = 20.0


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        return response.read().decode("utf-8")  # type: ignore[no-any-return]


def status(url: str) -> dict[str, Any]:
    return json.loads(get(url + STATUS_PATH.lstrip("/")))  # type: ignore[no-any-return]


@pytest.fixture
def project(make_project: Any) -> Path:
    return make_project({"content/profile.yml": PROFILE, "content/contracts/a.yml": CONTRACTS,
                         "content/pages/about.md": PAGE})


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, list[str]]]:
    """``serve`` in a thread on a free port: (base URL, terminal lines)."""
    with serving(project) as found:
        yield found


def write(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MESSAGES = ("ask_feedback", "ask_to_close", "close", "keep", "wait")
SANDBOX = "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}"
# (what to write, the error it shows): each is undone before the next
BAD_EDITS: list[tuple[dict[str, str], str]] = [
    ({"content/contracts/a.yml": "contracts: [\n"}, "Error: content/contracts/a.yml:"),
    ({"jssreport.yml": "title: [unclosed\n"}, "Error: jssreport.yml:"),
    ({"templates/page.html": "{% if %}"}, "Error: templates/page.html:1: template error:"),
    ({"templates/page.html": '{% extends "base.html" %}{% block content %}{{ 1/0 }}'
                             "{% endblock %}"},
     "Error: templates/page.html:1: template error: ZeroDivisionError"),
    ({"templates/page.html": '{% extends "page.html" %}'},
     "Error: templates/page.html:1: template error: templates nest too deeply"),
    ({"templates/page.html": '{% extends "base.html" %}{% block content %}' + SANDBOX +
                             "{% endblock %}"},
     "Error: templates/page.html:1: the template is not allowed to do this (sandbox)"),
    ({f"templates/messages/{action}.txt": SANDBOX for action in MESSAGES},
     "the template is not allowed to do this (sandbox)"),
    ({"templates/page.html": "caf\udce9"}, "Error: templates/page.html: template is not UTF-8"),
    ({"content/pages/about.md": "> " * 3000}, "Error: content/pages/about.md:1: Markdown nested"),
    ({"content/pages/x.MD": PAGE}, "Error: content/pages/x.MD: page files must end in .md"),
]


def test_every_kind_of_bad_edit_keeps_the_last_good_build(
        project: Path, served: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    url, lines = served
    assert status(url) == {"version": 1, "error": None}
    version = 1
    for files, error in BAD_EDITS:
        before = {rel: (project / rel).read_bytes() if (project / rel).exists() else None
                  for rel in files}
        for rel, text in files.items():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_bytes(text.encode("utf-8", "surrogateescape"))
        try:
            until(lambda: status(url)["error"] is not None, SECONDS)
        except AssertionError:
            raise AssertionError(lines) from None
        shown = status(url)
        assert error in shown["error"], (error, shown)
        assert shown["version"] == version
        assert any(error.split(":")[0] in line for line in lines)
        assert "Hello." in get(url + "about.html")  # the last good build
        assert "First job" in get(url + "contracts.html")
        assert not (project / "PWNED").exists()
        for rel, data in before.items():
            if data is None:
                (project / rel).unlink()
            else:
                (project / rel).write_bytes(data)
        version += 1
        until(lambda v=version: status(url) == {"version": v, "error": None}, SECONDS)

    # a file that cannot be read
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "a.yml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    write(project, "content/pages/about.md", PAGE + "\nMore.\n")
    until(lambda: status(url)["error"] is not None, SECONDS)
    assert "content/contracts/a.yml: cannot be read: Permission denied" in status(url)["error"]
    monkeypatch.setattr(Path, "read_bytes", real)
    write(project, "content/pages/about.md", PAGE)
    version += 1
    until(lambda: status(url) == {"version": version, "error": None}, SECONDS)

    # a bug in jssreport itself (not an error the user can act on)
    real_render = jssreport.pipeline.render_report

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(jssreport.pipeline, "render_report", broken)
    write(project, "content/pages/about.md", PAGE + "\nAgain.\n")
    until(lambda: status(url)["error"] is not None, SECONDS)
    assert status(url)["error"].startswith("Error: unexpected failure:")
    assert "Hello." in get(url + "about.html")
    monkeypatch.setattr(jssreport.pipeline, "render_report", KeyError)
    write(project, "content/pages/about.md", PAGE + "\nOnce more.\n")
    until(lambda: "KeyError" in (status(url)["error"] or ""), SECONDS)
    monkeypatch.setattr(jssreport.pipeline, "render_report", real_render)
    write(project, "content/pages/about.md", PAGE + "\nFixed.\n")
    version += 1
    until(lambda: status(url) == {"version": version, "error": None}, SECONDS)
    assert "Fixed." in get(url + "about.html")
    assert not any("Traceback" in line for line in lines)


def request(url: str, host: str | None, method: str = "GET") -> int:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, "/index.html", skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_only_requests_for_localhost_are_answered(served: tuple[str, list[str]]) -> None:
    url, _ = served
    port = url.rstrip("/").rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}",
                 "LOCALHOST", None):
        assert request(url, host) == 200, host
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 "localhost.evil.example", "", "127.0.0.2", f"10.0.0.1:{port}"):
        assert request(url, host) == 403, host
        assert request(url, host, "HEAD") == 403, host


def test_local_host() -> None:
    assert local_host("localhost.", "127.0.0.1")
    assert not local_host("[::1", "127.0.0.1") or True  # malformed: never a crash
    assert not local_host("a:b:c", "127.0.0.1")


@pytest.mark.parametrize(("host", "bound", "ok"), [
    ("localhost:8000", "127.0.0.1", True),
    ("127.0.0.1", "127.0.0.1", True),
    ("[::1]:8000", "::1", True),
    ("my-laptop.local:8000", "my-laptop.local", True),  # --host my-laptop.local
    ("192.168.1.20:8000", "0.0.0.0", True),  # --host 0.0.0.0: any address, typed as one
    ("[fe80::1]:8000", "::", True),
    ("evil.example:8000", "0.0.0.0", False),  # but never a name (DNS rebinding needs one)
    ("192.168.1.20:8000", "127.0.0.1", False),
    ("localhost.evil.example", "127.0.0.1", False),
    ("", "127.0.0.1", False),
    (None, "127.0.0.1", True),  # HTTP/1.0 without Host: never a browser
])
def test_which_host_names_are_this_server(host: str | None, bound: str, ok: bool) -> None:
    assert local_host(host, bound) is ok
