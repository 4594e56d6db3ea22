"""Contract files from the project's cache (``incremental.store``), and a changed one re-parses
only the records that changed in it: ``cached_parser`` is what the pipeline hands
``input.records.load_records`` to parse the contract files.

The cache keys a whole file by its bytes, so one new payment in a
year's file would parse all of that year's records again. Instead, when a file is parsed, it is
also split into its top-level list items (``split_items``) and each item's parse is kept by
the hash of its text; the next version of the file reuses every item whose text is the same
and parses only the others (``parse_with_items``).

Splitting is only done where it is certain to give what parsing the whole file gives: the
header is comments and ``contracts:``, every item starts with ``- `` at one indentation and
every other line is blank, a comment, or indented deeper (so no quoted text, flow list or
block text can run from one item into the next without making the item that opens it
invalid on its own). Anything else, and any item with a problem, is parsed as a whole file,
so the messages and their lines are exactly the usual ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from jssreport.incremental import compact
from jssreport.incremental.compact import Derived
from jssreport.incremental.memo import amountless_mark, amountless_of
from jssreport.incremental.store import CacheStore, entry_key
from jssreport.input.records import ContractFile, Parse, ParseFiles, parse_each
from jssreport.model.derived import remember_together
from jssreport.model.history import verdict_signature
from jssreport.model.timeline import change_dates
from jssreport.model.types import Contract

# YAML line breaks besides "\n" (and the byte order mark): lines would not be counted alike.
_UNSPLITTABLE = (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf")
HEADER = b"contracts:\n"


@dataclass(frozen=True)
class Item:
    """One top-level item of a contracts file (a ``- `` record under ``contracts:``), as bytes:
    its parse is kept by the hash of its text."""

    first_line: int  # 1-based line of its "- " in the file
    text: bytes  # its lines, each ending in "\n"

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.text).digest()


@dataclass(frozen=True)
class ParsedFile:
    """A contracts file's parse, and where each of its items' record is in it."""

    parsed: ContractFile
    items: Mapping[bytes, tuple[int, int]]  # item digest -> (its record's index, first line)
    # what the model derives from each contract alone (``derive``), kept with it
    derived: tuple[Derived, ...] = ()

    def item(self, digest: bytes) -> ContractFile | None:
        """The item's parse on its own (lines as if it were the first of a file that starts
        with ``contracts:``), or None when this file has no such item."""
        found = self.items.get(digest)
        if found is None:
            return None
        index, first_line = found
        cid, line = self.parsed.ids[index]
        return ContractFile((self.parsed.contracts[index],), ((cid, line - first_line + 2),), ())


_HEADER = re.compile(rb"(?:[ ]*(?:#[^\n]*)?\n)*contracts:(?:[ ]+(?:#[^\n]*)?)?\n")
_FIRST = re.compile(rb"^(?![ ]*(?:#|$))([ ]*)-(?:[ ]|$)|^(?![ ]*(?:#|$))", re.M)


def split_items(data: bytes) -> list[Item] | None:
    """The top-level items of a contracts file, or None when it is not certain that parsing
    them one by one gives what parsing the file does."""
    if any(mark in data for mark in _UNSPLITTABLE):
        return None
    header = _HEADER.match(data)
    if header is None:
        return None
    body = data[header.end():]
    first = _FIRST.search(body)  # the first line that is neither blank nor a comment
    if first is None or first.group(1) is None:
        return None  # no item, or not one
    n = len(first.group(1))
    # Every line that is not blank, a comment or indented deeper must start an item: "-" at
    # the items' indent, then a space or the line's end. (A line's start is found as the
    # "\n" before it, which the regular expression engine finds fast.)
    lines = b"\n" + body
    starts = []
    for m in re.finditer(rb"\n([ ]{0,%d})[^ \n#]" % n, lines):
        if len(m[1]) != n or not lines.startswith((b"- ", b"-\n"), m.end() - 1) and \
                lines[m.end() - 1:] != b"-":
            return None
        starts.append(m.start())  # where the line starts in ``body``
    line = data.count(b"\n", 0, header.end()) + 1 + body.count(b"\n", 0, starts[0])
    items = []
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        text = body[start:end]
        items.append(Item(line, text if text.endswith(b"\n") else text + b"\n"))
        line += text.count(b"\n")
    return items


def parse_with_items(rel: str, data: bytes, parse: Callable[[str, bytes], ContractFile],
                     known: ParsedFile | None) -> ParsedFile:
    """``parse(rel, data)``, reusing the parse of the items of ``known`` (an earlier version of
    the file) that did not change."""
    items = split_items(data)
    if items is None:
        return ParsedFile(parse(rel, data), {})
    if known is None or not known.items:  # nothing to reuse: the whole file at once is
        return _cut(parse(rel, data), items)  # faster, then cut in items

    contracts, ids = [], []
    for item in items:
        one = known.item(item.digest)
        if one is None:
            one = parse(rel, HEADER + item.text)
            if one.problems or len(one.contracts) != 1 or len(one.ids) != 1:
                return _cut(parse(rel, data), items)  # its messages, with the usual lines
        contracts.append(one.contracts[0])
        cid, line = one.ids[0]
        ids.append((cid, line + item.first_line - 2))
    return _cut(ContractFile(tuple(contracts), tuple(ids), ()), items)


def _cut(whole: ContractFile, items: Sequence[Item]) -> ParsedFile:
    """``whole`` with where each item's record is, when every item made one valid record."""
    if whole.problems or len(whole.contracts) != len(items) or len(whole.ids) != len(items):
        return ParsedFile(whole, {})
    ends = [item.first_line for item in items[1:]] + [None]
    if not all(item.first_line <= line and (end is None or line < end)
               for item, (_, line), end in zip(items, whole.ids, ends, strict=True)):
        return ParsedFile(whole, {})
    return ParsedFile(whole, {item.digest: (i, item.first_line) for i, item in enumerate(items)})


KIND, LATEST = "contracts", "contracts-latest"


def cached_parser(store: CacheStore) -> ParseFiles:
    """A ``ParseFiles`` that takes each file's parse from ``store`` where it holds one. The
    cache keeps only the files of the last build."""
    if not store:
        return parse_each

    def parse_files(files: Sequence[tuple[str, bytes]], parse: Parse) -> list[ContractFile]:
        keys = [entry_key(KIND, rel.encode(), data) for rel, data in files]
        parsed = [remember(_cached(store, rel, data, key, parse))
                  for (rel, data), key in zip(files, keys, strict=True)]
        store.prune(KIND, set(keys))
        store.prune(LATEST, {_latest_key(rel) for rel, _ in files})
        return parsed

    return parse_files


def _latest_key(rel: str) -> str:
    return entry_key(LATEST, rel.encode())


def derive(c: Contract) -> Derived:
    """What the model derives from a contract alone, each costing more than a lookup: kept
    with the parsed records, so a rebuild does not derive them again for unchanged files.
    (Those of a record reused from the file's last version are in the side tables already;
    the others are computed here, not stored in them: ``remember`` hands all over at once.)"""
    dates, signature, mark = (change_dates.known(c), verdict_signature.known(c),
                              amountless_mark.known(c))
    if signature is None:
        signature = verdict_signature.compute(c)
    return (change_dates.compute(c) if dates is None else dates, signature,
            amountless_of(c, signature) if mark is None else mark)


def remember(parsed: ParsedFile) -> ContractFile:
    """The file's records, with what was derived from them handed to the model's side
    tables (``model.derived``)."""
    if len(parsed.derived) == len(parsed.parsed.contracts):
        tables = (change_dates, verdict_signature, amountless_mark)
        for c, values in zip(parsed.parsed.contracts, parsed.derived, strict=True):
            remember_together(c, tuple(zip(tables, values, strict=True)))
    return parsed.parsed


def _cached(store: CacheStore, rel: str, data: bytes, key: str, parse: Parse) -> ParsedFile:
    """``rel``'s records: from the cache when this content was parsed before, else parsed,
    reusing the records of the file's last version that did not change."""
    found = _read(store, key)
    if found is not None:
        return found
    latest = store.read(LATEST, _latest_key(rel))
    before = _read(store, latest) if isinstance(latest, str) else None
    if before is not None:
        remember(before)  # its records may be reused as they are
    value = parse_with_items(rel, data, parse, before)
    value = replace(value, derived=tuple(derive(c) for c in value.parsed.contracts))
    try:
        data = compact.encode(value.parsed, dict(value.items), value.derived)
    except (ValueError, TypeError):  # a value of a kind plain data cannot hold: not kept
        return value
    store.write(KIND, key, data)
    store.write(LATEST, _latest_key(rel), key)
    return value


def _read(store: CacheStore, key: str) -> ParsedFile | None:
    """The parse kept under ``key`` (``incremental.compact``'s plain data), None for none."""
    found = store.read(KIND, key)
    if not isinstance(found, bytes):
        return None
    try:
        return ParsedFile(*compact.decode(found))
    except Exception:  # noqa: BLE001 - an entry that does not decode is a miss
        return None
