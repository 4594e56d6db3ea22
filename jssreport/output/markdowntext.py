"""Markdown for the extra pages and contract notes: raw HTML shown as text, links that could
run script dropped, remote images turned into text, links to other pages pointed at the site
(imported only when a page or a note needs it)."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote
from xml.etree import ElementTree

import markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from jssreport.input.pages import depth_problem, page_slug

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Markdown writes the "&" of a character reference it keeps (an e-mail autolink's, say) as this.
_AMP = markdown.util.AMP_SUBSTITUTE
# ... and a backslash-escaped character (``\\``) as its code point between these.
_ESCAPED = re.compile(f"{markdown.util.STX}([0-9]+){markdown.util.ETX}")


class _SafeLinks(Treeprocessor):
    """Drop script-capable links, turn remote images into text, point links at site files.

    Every decision is made on the URL as a browser reads it (:func:`browser_url`), and that
    URL is what the page gets: a browser decodes nothing the check did not see."""

    def __init__(self, md: markdown.Markdown, root: str) -> None:
        super().__init__(md)
        self.root = root

    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    self._image(parent, child)
                elif child.tag == "a":
                    self._link(child)

    def _link(self, a: ElementTree.Element) -> None:
        href = browser_url(a.get("href") or "")
        scheme = url_scheme(href)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            del a.attrib["href"]
            return
        if scheme is None and _protocol_relative(href):
            href = "https:" + href  # as it would go on a web server; never file://host
        elif scheme is None and href and not href.startswith(("#", "/")):
            path, _, anchor = href.partition("#")
            if path.endswith(".md"):  # another content page: its output name
                path = page_slug(path.rsplit("/", 1)[-1][:-3]) + ".html"
            href = self.root + path + ("#" + anchor if anchor else "")
        a.set("href", _attribute(href))

    def _image(self, parent: ElementTree.Element, img: ElementTree.Element) -> None:
        src = browser_url(img.get("src") or "")
        if not site_relative(src):
            # The report must open offline and fetch nothing: say what the image was instead.
            span = ElementTree.Element("span", {"class": "image-removed"})
            span.text = f"[image: {img.get('alt') or src}]"
            span.tail = img.tail
            parent.insert(list(parent).index(img), span)
            parent.remove(img)
        else:
            img.set("src", _attribute(self.root + src))


def browser_url(url: str) -> str:
    """``url`` decoded as far as anything could decode it: character references (``&#47;``,
    ``&colon;``, double-encoded ``&amp;#47;``), whitespace and control characters dropped
    (browsers ignore them inside a scheme: ``java\tscript:``), backslashes as the slashes
    browsers take them for (``/\\host``). A space inside a path stays, encoded."""
    url = _ESCAPED.sub(lambda m: chr(int(m.group(1))), url.replace(_AMP, "&"))
    for _ in range(10):  # each round undoes one encoding; ten is more than any browser does
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    url = re.sub(r"[\x00-\x1f\x7f-\x9f]+", "", url.strip("\x00- "))
    return url.replace(" ", "%20").replace("\\", "/")


def url_scheme(url: str) -> str | None:
    """The scheme of a :func:`browser_url` in lower case, also when percent-encoded
    (``%6Aavascript:``); None for a relative URL."""
    for form in (url, unquote(url)):
        match = _SCHEME.match(re.sub(r"[\x00-\x20\x7f-\x9f]+", "", form))
        if match:
            return match.group(1).lower()
    return None


def _protocol_relative(url: str) -> bool:
    """``//host/...`` (also ``%2F%2Fhost``): another host, in the scheme of the page."""
    return url.startswith("//") or unquote(url).replace("\\", "/").startswith("//")


def site_relative(url: str) -> bool:
    """Whether a :func:`browser_url` stays inside the site: a relative path, no scheme, no
    host and no absolute path."""
    if not url or url_scheme(url) is not None or _protocol_relative(url):
        return False
    first = unquote(url).replace("\\", "/").split("/", 1)[0]
    return not url.startswith("/") and ":" not in first


def _attribute(url: str) -> str:
    """``url`` for Markdown's serializer, which keeps whatever looks like a character reference
    as written: every ``&`` as ``&amp;``, so that the browser reads exactly ``url``."""
    return url.replace("&", "&amp;")


@lru_cache(maxsize=4096)
def render_markdown(text: str, root: str = "") -> Markup:
    """Markdown to HTML with every raw HTML tag shown as text. Text nested too deeply to
    convert in good time (the input stage refuses it: ``depth_problem``) is shown as it is.
    Converted once per text and page depth (notes often repeat: "paid a bonus")."""
    if depth_problem(text) is not None:
        return Markup("<pre>") + escape(text) + Markup("</pre>")
    return Markup(_markdown(root).convert(text))


_CONVERTERS: dict[str, markdown.Markdown] = {}


def _markdown(root: str) -> markdown.Markdown:
    """A converter for pages at ``root``, made once: making one costs more than converting
    a contract's notes, and a big history has notes on hundreds of contracts."""
    md = _CONVERTERS.get(root)
    if md is None:
        # instances, not names: a name is looked up among every installed package's entry
        # points, which costs more than the whole page
        md = markdown.Markdown(extensions=[TableExtension(), FencedCodeExtension(),
                                           SaneListExtension()])
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md, root), "safe_links", 5)
        _CONVERTERS[root] = md
    return md.reset()


def render_markdown_inline(text: str | None, root: str = "") -> Markup:
    """Short notes: Markdown without the surrounding paragraph when there is only one."""
    if not text:
        return Markup("")
    html = str(render_markdown(text, root)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
