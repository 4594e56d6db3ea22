"""Markdown in pages and notes never reaches the network nor runs script, however its URLs are
encoded: the decision is made on the URL as the browser reads it, and that URL is the one
written. Chromium opens the built pages from file:// and no request leaves it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.output.markdowntext import browser_url, site_relative, url_scheme
from jssreport.output.render import render_markdown

# Images that would be fetched from another host (or run script) if written as they are.
REMOTE_IMAGES = [
    "https://evil.example/a.png", "HTTP://evil.example/a.png", "hTTpS://evil.example/a.png",
    "//evil.example/a.png", "&#47;&#47;evil.example/a.png", "&#x2F;&#x2f;evil.example/a.png",
    "&#0047;&#00047;evil.example/a.png", "&sol;&sol;evil.example/a.png",
    "&amp;#47;&amp;#47;evil.example/a.png", "&amp;amp;#47;&amp;amp;#47;evil.example/a.png",
    r"/\\evil.example/b.png", r"\\\\evil.example/b.png", r"\\/evil.example/b.png",
    "/&#92;evil.example/b.png", "&#92;&#92;evil.example/b.png", "%2F%2Fevil.example/a.png",
    "https&colon;//evil.example/a.png", "http&#58;//evil.example/a.png",
    "<https://evil.example/a b.png>", "< //evil.example/a.png>", "<\t//evil.example/a.png>",
    "<ht\ttp://evil.example/a.png>", "<h\nttps://evil.example/a.png>",
    "data:image/png;base64,iVBORw0KGgo=", "DATA:image/svg+xml,<svg/>",
    "javascript:alert(1)", "java&#x09;script:alert(1)", "<java\tscript:alert(1)>",
    "&#x6A;avascript&colon;alert(1)", "%6Aavascript:alert(1)", "file:///etc/passwd",
    "/etc/passwd", "ftp://evil.example/a.png", "blob:https://evil.example/x",
]
# Links whose target would run script in the page.
SCRIPT_LINKS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "<java\tscript:alert(1)>", "<java\nscript:alert(1)>", "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)", "&#106;avascript:alert(1)", "&#X6a;avascript:alert(1)",
    "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", "javascript&#58;alert(1)",
    "&amp;#106;avascript:alert(1)", "&amp;#x6A;avascript&amp;colon;alert(1)",
    "%6Aavascript:alert(1)", "vbscript:msgbox(1)", "VBScript&colon;x",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DaTa:text/html,x",
    "\x01javascript:alert(1)", "java\x00script:alert(1)",
]
LOCAL_IMAGES = ["img/a.png", "a.png", "img/my%20pic.png", "<img/my pic.png>", "./b.png",
                r"img\\c.png"]


@pytest.mark.parametrize("src", REMOTE_IMAGES)
def test_a_remote_image_becomes_text(src: str) -> None:
    html = str(render_markdown(f"![the alt]({src}) after", "../"))
    assert "<img" not in html, html
    assert '[image: the alt]</span> after' in html


@pytest.mark.parametrize("href", SCRIPT_LINKS)
def test_a_script_link_loses_its_target(href: str) -> None:
    html = str(render_markdown(f"[a]({href})"))
    assert "<a>a</a>" in html, html


@pytest.mark.parametrize("src", LOCAL_IMAGES)
def test_a_site_image_stays(src: str) -> None:
    html = str(render_markdown(f"![b]({src})", "../"))
    assert '<img alt="b" src="../' in html, html
    assert "\\" not in html and " " not in html.split('src="')[1].split('"')[0]


def test_reference_style_images_and_links_are_checked_alike() -> None:
    html = str(render_markdown("![a][r] and [b][s]\n\n[r]: &#47;&#47;evil.example/a.png\n"
                               "[s]: java&#x09;script:alert(1)\n"))
    assert "<img" not in html and "[image: a]" in html and "<a>b</a>" in html


def test_the_written_url_is_the_checked_one() -> None:
    """What the page holds decodes to exactly the checked URL: no reference survives to be
    decoded by the browser after the check."""
    cases = {
        "[a](http://a.example/?x=1&b=2)": 'href="http://a.example/?x=1&amp;b=2"',
        "[a](&amp;#35;top)": 'href="#top"',
        "[a](//evil.example/p)": 'href="https://evil.example/p"',
        "[a](p&amp;amp;#46;md)": 'href="p.html"',
        "<me@example.com>": 'href="mailto:me@example.com"',
        "[a](other.md#x)": 'href="other.html#x"',
    }
    for text, expected in cases.items():
        assert expected in str(render_markdown(text)), text
    assert browser_url("&amp;#47;&#47;h") == "//h"
    assert browser_url(" ja\tva\x00script&colon;x ") == "javascript:x"
    assert url_scheme("%6A%61vascript:x") == "javascript"
    assert url_scheme("img/a.png") is None
    assert not site_relative("c:/x.png") and not site_relative("/x") and site_relative("a/b")


# --- in the browser ---------------------------------------------------------------------------

def _markdown_block() -> str:
    images = "\n".join(f"![remote {i}]({src})" for i, src in enumerate(REMOTE_IMAGES))
    links = "\n".join(f"[link {i}]({href})" for i, href in enumerate(SCRIPT_LINKS)
                      if "\x00" not in href and "\x01" not in href)  # not in a text file
    return f"{images}\n\n{links}\n\n![local](img/local.png)\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("urls") / "p"
    block = _markdown_block()
    files = {
        "content/profile.yml": "name: Me\nas_of: 2020-07-01\n",
        "content/contracts/c.yml": textwrap.dedent(f"""\
            contracts:
              - id: one
                client: A client
                title: A job
                type: fixed
                start: 2020-01-06
                end: 2020-02-03
                payments: [{{date: 2020-02-03, amount: 500}}]
                feedback: {{date: 2020-02-04, stars: 5}}
                notes: {json.dumps(block)}
            """),
        "content/pages/remote.md": f"---\ntitle: Remote images\n---\n{block}",
    }
    for rel, text in files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    for args in ((), ("--single-file", "-o", str(project / "site/single.html"))):
        result = CliRunner().invoke(main, ["build", "--project", str(project), *args])
        assert result.exit_code == 0, result.output
    return project / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser_util import chromium

    with chromium() as b:
        yield b


def _requests(browser: Any, url: str, local: str) -> tuple[list[str], list[str]]:
    """Every URL the page at ``url`` requested (only those starting with ``local`` are let
    through), and the targets of its links."""
    context = browser.new_context()
    seen: list[str] = []
    try:
        tab = context.new_page()
        tab.on("request", lambda request: seen.append(request.url))
        tab.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith((local, "data:")) else route.abort())
        tab.goto(url, wait_until="load")
        tab.wait_for_timeout(300)
        links = tab.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    finally:
        context.close()
    return seen, links


@contextlib.contextmanager
def http_server(root: Path) -> Iterator[str]:
    """``root`` served on 127.0.0.1 (as ``jssreport serve`` would): the origin."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


PAGES = ["remote.html", "contracts.html", "single.html"]


@pytest.mark.browser
def test_chromium_requests_nothing_but_the_site(site: Path, browser: Any) -> None:
    """From file:// every request is a file:/// of no host (``file://evil.example/`` is a
    network share); served over http, every request goes to the site's own origin."""
    for page in PAGES:
        assert "remote 0" in (site / page).read_text(encoding="utf-8"), page
    with http_server(site) as origin:
        for page in PAGES:
            for url, local in (((site / page).resolve().as_uri(), "file:///"),
                               (f"{origin}/{page}", origin + "/")):
                seen, links = _requests(browser, url, local)
                assert seen and seen[0] == url
                assert [u for u in seen if not u.startswith((local, "data:", "blob:"))] == []
                assert [h for h in links if not h.startswith((local, "https:", "http:",
                                                              "mailto:", "#"))] == [], url
