"""Markdown for the extra pages and contract notes: raw HTML shown as text, links that could
run script dropped, remote images turned into text, links to other pages pointed at the site
(imported only when a page or a note needs it)."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from jssreport.input.pages import page_slug

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


class _SafeLinks(Treeprocessor):
    """Drop script-capable links, turn remote images into text, point links at site files."""

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
        href = _as_browser_reads(a.get("href") or "")
        match = _SCHEME.match(href)
        if match and match.group(1).lower() not in SAFE_SCHEMES:
            del a.attrib["href"]
        elif not match and href and not href.startswith(("#", "/")):
            path, _, anchor = href.partition("#")
            if path.endswith(".md"):  # another content page: its output name
                path = page_slug(path.rsplit("/", 1)[-1][:-3]) + ".html"
            a.set("href", self.root + path + ("#" + anchor if anchor else ""))

    def _image(self, parent: ElementTree.Element, img: ElementTree.Element) -> None:
        src = img.get("src") or ""
        if _SCHEME.match(_as_browser_reads(src)) or src.startswith("//"):
            # The report must open offline and fetch nothing: say what the image was instead.
            span = ElementTree.Element("span", {"class": "image-removed"})
            span.text = f"[image: {img.get('alt') or src}]"
            span.tail = img.tail
            parent.insert(list(parent).index(img), span)
            parent.remove(img)
        else:
            img.set("src", self.root + src)


def _as_browser_reads(url: str) -> str:
    """A URL as the browser reads it: Markdown keeps character references such as ``&#106;``
    as written, and browsers ignore whitespace and control characters inside a scheme."""
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))


def render_markdown(text: str, root: str = "") -> Markup:
    """Markdown to HTML with every raw HTML tag shown as text."""
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
