"""``jssreport serve``: build, serve the site on 127.0.0.1, rebuild on change, reload the page.

The watcher polls the project's inputs (content/, templates/, jssreport.yml) by content hash;
a change rebuilds the site with the normal, atomic build, so a failed build leaves the last
good site in place. Pages are served with a small script added on the fly (never written to
disk, so site/ is byte for byte a normal build) that asks ``/__jssreport/version`` for the build
number: a new one reloads the page, an error shows as a banner.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import ipaddress
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jssreport.errors import JssReportError, UsageError
from jssreport.paths import DEFAULT_OUTPUT

if TYPE_CHECKING:
    from jssreport.input.config import Settings

POLL_SECONDS = 0.3
STATUS_PATH = "/__jssreport/version"
WATCHED = ("content", "templates", "jssreport.yml")
HOST = "127.0.0.1"

# Polls the build number; reloads on a new build, shows the error of a failed one. Text only
# (textContent), so an error message cannot inject anything.
LIVE_RELOAD = """<script>/* jssreport serve: live reload (not part of the built site) */
(function () {
  "use strict";
  var seen = %(version)d;
  function banner(error) {
    var box = document.getElementById("jssreport-serve-error");
    if (!error) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "jssreport-serve-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
        "max-height:60vh;overflow:auto;margin:0;padding:0.8rem 1rem;background:#7f1d1d;" +
        "color:#fff;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;" +
        "box-shadow:0 2px 8px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "The build failed; this is the last good build.\\n\\n" + error;
  }
  function poll() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== seen) { window.location.reload(); return; }
        banner(s.error);
        setTimeout(poll, 400);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jssreport serve: build failed</title></head>
<body><main><h1>The build failed</h1><p>Fix the problem; this page reloads when the build
works.</p></main>
</body></html>
"""


def fingerprint(project: Path) -> dict[str, str]:
    """A hash of every watched file, by path relative to the project."""
    found: dict[str, str] = {}
    for name in WATCHED:
        top = project / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            rel = path.relative_to(project)
            # Editors' swap and backup files are not inputs.
            if any(part.startswith(".") for part in rel.parts) or path.name.endswith("~") \
                    or not path.is_file():
                continue
            try:
                found[rel.as_posix()] = hashlib.blake2b(path.read_bytes(),
                                                        digest_size=16).hexdigest()
            except OSError:  # removed while we looked: the next poll sees it gone
                continue
    return found


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@dataclass(frozen=True)
class Status:
    """The build number and the latest build's problems, as ``/__jssreport/version`` answers
    them."""

    version: int  # the number of successful builds
    error: str | None  # the problems of the latest build, when it failed


class LiveSite:
    """The build state the server reports; rebuilt by the watcher, read by request threads."""

    def __init__(self, project: Path, settings: Callable[[], Settings],
                 echo: Callable[[str], None], output: Path | None = None) -> None:
        self.project = project
        self.settings = settings
        self.echo = echo
        self.output = output
        self.status = Status(0, None)  # replaced as a whole: readers never see half of it
        self.site: Path | None = None

    def rebuild(self, reason: str = "") -> None:
        from jssreport.pipeline import build_site

        started = time.perf_counter()
        try:
            settings = self.settings()
            result = build_site(self.project, settings, output=self.output)
        except Exception as exc:  # noqa: BLE001 - serve outlives every failed build
            error = failure_text(exc)
            for line in error.splitlines():
                self.echo(line)
            self.echo("Serving the last good build; fix the problem to rebuild.")
            self.status = Status(self.status.version, error)
            return
        self.site = result.output
        for warning in result.warnings:
            self.echo(f"Warning: {warning}")
        what = f" after a change in {reason}" if reason else ""
        self.echo(f"Built{what} in {time.perf_counter() - started:.2f} s")
        self.status = Status(self.status.version + 1, None)


def failure_text(exc: Exception) -> str:
    """``Error:`` lines for a failed build: the problems of an error the user can act on,
    else what went wrong (a bug in jssreport, but serve goes on)."""
    if isinstance(exc, JssReportError):
        return "\n".join(f"Error: {problem}" for problem in exc.problems)
    if isinstance(exc, RecursionError):
        what = "the build nested too deeply (RecursionError)"
    else:
        what = f"{type(exc).__name__}: {exc}".rstrip(": ")
    return f"Error: unexpected failure: {what} (a bug in jssreport: please report it)"


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind


def local_host(header: str | None, bound: str) -> bool:
    """Whether a request's ``Host:`` names this server: localhost, the address it is bound to
    or (bound to every address) any IP address. A page from elsewhere that got its own domain
    name pointed at this machine (DNS rebinding) sends that name and is refused. No header
    (HTTP/1.0, never a browser) is fine."""
    if header is None:
        return True
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        name = host[1:host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    if name in LOCAL_NAMES or name == bound.lower().strip("[]"):
        return True
    if bound in WILDCARDS:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


class Handler(SimpleHTTPRequestHandler):
    live: LiveSite

    def __init__(self, *args: Any, live: LiveSite, host: str = HOST, **kwargs: Any) -> None:
        self.live = live
        self.bound = host
        super().__init__(*args, **kwargs)

    def _refused(self) -> bool:
        """Answer 403 to a request for another host name; True when refused."""
        if local_host(self.headers.get("Host"), self.bound):
            return False
        self.send_error(403, "jssreport serve answers only requests for this machine's "
                        "own names")
        return True

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server name
        if not self._refused():
            super().do_HEAD()

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        if self._refused():
            return
        path = urlsplit(self.path).path
        if path == STATUS_PATH:
            status = self.live.status
            self._send(json.dumps({"version": status.version, "error": status.error})
                       .encode("utf-8"), "application/json")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if path.endswith((".html", "/")) or target.suffix == ".html":
            try:
                page = target.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                if self.live.site is not None:
                    self.send_error(404, "File not found")
                    return
                page = ERROR_PAGE  # no good build yet: wait for one
            self._send(inject(page, self.live.status.version).encode("utf-8"),
                       "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal is for builds and errors


def inject(page: str, version: int) -> str:
    script = LIVE_RELOAD % {"version": version, "path": STATUS_PATH}
    at = page.rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class QuietServer(ThreadingHTTPServer):
    """No traceback in the terminal when a browser drops a connection mid-answer."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def make_server(live: LiveSite, directory: Path, port: int,
                host: str = HOST) -> ThreadingHTTPServer:
    handler = functools.partial(Handler, live=live, directory=str(directory), host=host)
    try:
        server = QuietServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use; choose another with --port") from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


def serve(project: Path, settings: Callable[[], Settings], echo: Callable[[str], None],
          port: int = 8000, output: Path | None = None, stop: threading.Event | None = None,
          ready: Callable[[str], None] | None = None,
          shown: Callable[[Path], str] = str, host: str = HOST) -> None:
    """Build, serve and rebuild until Ctrl-C (or ``stop`` is set)."""
    stop = stop or threading.Event()
    live = LiveSite(project, settings, echo, output)
    seen = fingerprint(project)
    live.rebuild()
    directory = output if output is not None else project / _output_name(settings)
    server = make_server(live, directory, port, host)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}/"
    echo(f"Serving {shown(directory).rstrip('/')}/ at {url} (rebuilds on changes; "
         "Ctrl-C to stop)")
    if ready is not None:
        ready(url)
    try:
        while not stop.wait(POLL_SECONDS):
            try:
                now = fingerprint(project)
            except Exception as exc:  # noqa: BLE001 - e.g. a folder that cannot be read
                now = {"!": f"{type(exc).__name__}: {exc}"}  # a change: the build says what
            changed = changed_files(seen, now)
            if changed:
                seen = now
                more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
                live.rebuild(changed[0] + more)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    echo("Stopped.")


def _output_name(settings: Callable[[], Settings]) -> str:
    try:
        return settings().output or DEFAULT_OUTPUT
    except Exception:  # noqa: BLE001 - the build reports it
        return DEFAULT_OUTPUT

