"""The common shape of a record file, read without libyaml's events: ``read_yaml`` is
``yamlload.parse_yaml`` for the record files (``input.records``).

Record files are mostly one shape: block mappings and sequences, one ``key: value`` or
``- ...`` per line, plain or quoted one-line scalars, one-line flow mappings such as
``{date: 2024-01-14, amount: 1774.14}``, and literal ``|`` notes. Walking such lines in
Python costs about half of driving libyaml's event parser over them (each event is a Python
object), and a history is read on every build. A payment line of exactly that form (the most
common line of a history) is read in one regular-expression match.

Anything else, or anything doubtful, gives None, and the file is parsed by libyaml as before:
every feature this reader does not know (other block scalars, multi-line flow or quoted text,
escapes, anchors, tags, comments after a value, tabs, odd indentation, a duplicate key,
characters YAML treats specially...) sends the whole file there, so a file with a problem
always gets libyaml's message and line. What it returns is exactly what ``parse_yaml`` would:
the same values (plain scalars go through the same ``resolve_plain``), the same ``YMap``/
``YSeq`` lines; ``tests/test_input_yamlfast.py`` compares the two on every record file of
the repository, on generated histories of both shapes and on thousands of mutated files.
"""

from __future__ import annotations

import re
from typing import Any

from jssreport.errors import Problem
from jssreport.input.yamlload import (
    MAX_DEPTH,
    MAX_TEXT,
    YMap,
    YSeq,
    parse_yaml,
    resolve_date,
    resolve_plain,
)

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
# Characters that libyaml refuses or reads as a line break, the byte order mark, tabs.
_DOUBTFUL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# First characters of a plain scalar that YAML reads as something else (a leading "-" is
# allowed before a digit: a negative number).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_STOP = re.compile(r"[,\[\]{}]")
_NOT_SIMPLE = re.compile(r"[\[\]{}#'\"]")  # inside a flow mapping of plain values
# The most common line of a history, a payment: ``- {date: 2024-01-14, amount: 1774.14}``.
_PAYMENT = re.compile(
    r"\{date: ([0-9]{4}-[0-9]{2}-[0-9]{2}), amount: ([0-9]{1,15}\.[0-9]{1,15}|[1-9][0-9]{0,14})\}")


class _Doubt(Exception):
    """Not certain to read as libyaml does: leave the file to it."""


def read_yaml(data: bytes, rel: str) -> tuple[Any, list[Problem]]:
    """``parse_yaml(data, rel)``: the common shape read here, anything else by libyaml.
    ``data`` is UTF-8 (``yamlload.read_bytes`` checked it)."""
    value = parse_fast(data.decode("utf-8"))
    return (value, []) if value is not None else parse_yaml(data, rel)


def parse_fast(text: str, first: int = 1) -> Any:
    """The document in ``text`` as ``yamlload.parse_yaml`` gives it (lines from ``first``),
    or None when this reader cannot be certain of it."""
    # (Python's printable characters are all plain to YAML: a fast check for most files.)
    if not text.replace("\n", "").isprintable() and _DOUBTFUL.search(text):
        return None
    try:
        return _Reader(text.split("\n"), first).document()
    except _Doubt:
        return None


class _Reader:
    def __init__(self, lines: list[str], first: int) -> None:
        self.lines = lines
        self.first = first  # the line number of lines[0]
        self.i = 0

    def document(self) -> Any:
        root = None
        # Each frame: [indent, container, pending key or None, its line]; a mapping's indent is
        # its keys' column, a sequence's its dashes'.
        stack: list[list[Any]] = []
        lines = self.lines
        count, i, first = len(lines), self.i, self.first
        while i < count:
            raw = lines[i]
            n = i + first
            i += 1
            body = raw.lstrip(" ")
            if not body or body[0] == "#":
                continue  # blank, or a comment
            indent = len(raw) - len(body)
            if raw[-1] == " " or not indent and raw.startswith(("---", "...", "%")):
                raise _Doubt
            if stack and stack[-1][2] is not None:  # a key waiting for its value
                frame = stack[-1]
                if indent > frame[0]:
                    nested: YMap | YSeq = YSeq(n) if body.startswith("- ") or body == "-" \
                        else YMap(n)
                    self._put(frame, frame[2], frame[3], nested)
                    frame[2] = None
                    stack.append([indent, nested, None, 0])
                else:
                    if body.startswith("- ") and indent == frame[0]:
                        raise _Doubt  # a sequence at its key's indent
                    self._put(frame, frame[2], frame[3], None)
                    frame[2] = None
            while stack and stack[-1][0] > indent:
                stack.pop()
            if not stack:
                if root is not None or indent:
                    raise _Doubt  # a second root, or an indented one
                root = YMap(n)
                stack.append([0, root, None, 0])
            frame = stack[-1]
            if frame[0] != indent or len(stack) >= MAX_DEPTH - 4:  # room for flow collections
                raise _Doubt
            self.i = i  # a literal block reads on from here
            self._line(stack, frame, body, indent, n)
            i = self.i
        if stack and stack[-1][2] is not None:
            self._put(stack[-1], stack[-1][2], stack[-1][3], None)
        if root is None:
            raise _Doubt  # an empty document
        return root

    def _line(self, stack: list[list[Any]], frame: list[Any], body: str, indent: int,
              n: int) -> None:
        container = frame[1]
        if container.__class__ is YSeq:
            if not body.startswith("- "):
                raise _Doubt
            rest = body[2:]
            if not rest or rest[0] == " ":
                raise _Doubt
            payment = _PAYMENT.fullmatch(rest)
            if payment is not None:  # what ``_simple_flow_map`` gives, in one step
                item = YMap(n)
                amount = payment[2]  # as ``resolve_plain`` reads a number of these forms
                item.values["date"], item.values["amount"] = resolve_date(payment[1]), \
                    float(amount) if "." in amount else int(amount)
                item.lines["date"] = item.lines["amount"] = n
                container.items.append(item)
                container.lines.append(n)
                return
            entry = _key(rest)
            if entry is not None:  # "- key: value": a mapping that starts on this line
                item = YMap(n)
                container.items.append(item)
                container.lines.append(n)
                inner = [indent + 2, item, None, 0]
                stack.append(inner)
                self._entry(inner, entry, n)
                return
            container.items.append(self._value(rest, indent, n))
            container.lines.append(n)
            return
        entry = _key(body)
        if entry is None:
            raise _Doubt
        self._entry(frame, entry, n)

    def _entry(self, frame: list[Any], entry: tuple[str, str], n: int) -> None:
        name, rest = entry
        if not rest:
            frame[2], frame[3] = name, n  # its value is on the lines below (or empty)
            return
        self._put(frame, name, n, self._value(rest, frame[0], n))

    def _put(self, frame: list[Any], key: str, line: int, value: Any) -> None:
        container: YMap = frame[1]
        if key in container.values or len(key) > MAX_TEXT:
            raise _Doubt  # libyaml's reading says which line repeats it
        container.values[key] = value
        container.lines[key] = line

    def _value(self, text: str, parent: int, n: int) -> Any:
        """A value that starts on line ``n`` (the rest of the line) in a container whose
        indent is ``parent``."""
        first = text[0]
        if first == "{" and text[-1] == "}" and not _NOT_SIMPLE.search(text, 1, len(text) - 1):
            return _simple_flow_map(text, n)
        if first == "|":
            if text not in ("|", "|-"):
                raise _Doubt
            return self._literal(parent, text == "|-")
        if first == "{" or first == "[":
            value, end = _flow(text, 0, n, 0)
            if end != len(text):
                raise _Doubt
            return value
        return _scalar(text, block=True)

    def _literal(self, parent: int, strip: bool) -> str:
        """A literal block scalar's text, its lines below the ``|`` (clip or strip)."""
        lines, content = self.lines, []
        indent = None
        while self.i < len(lines):
            raw = lines[self.i]
            body = raw.lstrip(" ")
            if not body:
                if indent is None or len(raw) > indent:
                    raise _Doubt  # leading or over-indented blank lines
                content.append("")
                self.i += 1
                continue
            here = len(raw) - len(body)
            if indent is None:
                if here <= parent:
                    raise _Doubt  # an empty block
                indent = here
            elif here < indent:
                break
            content.append(raw[indent:])
            self.i += 1
        if indent is None:
            raise _Doubt
        while content and not content[-1]:
            content.pop()
            self.i -= 1  # trailing blank lines: read again as blank lines of the parent
        text = "\n".join(content)
        if len(text) > MAX_TEXT:
            raise _Doubt
        # clip keeps the line break of the last line, when it has one (not at the file's end)
        return text if strip or self.i == len(lines) else text + "\n"


def _key(text: str) -> tuple[str, str] | None:
    """``key: rest`` (rest may be empty): a plain ASCII name, a colon, then spaces or
    nothing; None for anything else."""
    name, colon, rest = text.partition(":")
    if not colon or not (name.isidentifier() and name.isascii()):
        return None
    if not rest:
        return name, rest
    return (name, rest.lstrip(" ")) if rest[0] == " " else None


def _simple_flow_map(text: str, n: int) -> YMap:
    """``{key: value, key: value}`` with plain values only (a payment, most feedback)."""
    inner = text[1:-1]
    # every colon and comma followed by one space, no other space next to them
    if ":" in inner.replace(": ", "") or "," in inner.replace(", ", "") or "  " in inner \
            or " ," in inner or " :" in inner or inner[-1:] == " " or len(inner) > MAX_TEXT:
        raise _Doubt
    value = YMap(n)
    values, lines = value.values, value.lines
    for part in inner.split(", "):
        name, colon, item = part.partition(": ")
        if not item or ":" in item or not (name.isidentifier() and name.isascii()) or \
                name in values:
            raise _Doubt
        first = item[0]
        if first in _INDICATORS and not (first == "-" and item[1:2].isdigit()):
            raise _Doubt
        values[name] = resolve_plain(item)
        lines[name] = n
    return value


def _scalar(text: str, block: bool) -> Any:
    """A one-line scalar: quoted (as written) or plain (resolved as YAML 1.1 does)."""
    first = text[0]
    if first == '"' or first == "'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1] or "\\" in text:
            raise _Doubt
        value = text[1:-1]
    else:
        if first in _INDICATORS and not (first == "-" and text[1:2].isdigit()):
            raise _Doubt
        if text[-1] == ":" or ": " in text or "#" in text:
            raise _Doubt
        if not block and (_FLOW_STOP.search(text) or ":" in text):
            raise _Doubt
        value = text
    if len(value) > MAX_TEXT:
        raise _Doubt
    return value if first == '"' or first == "'" else resolve_plain(value)


def _flow(text: str, at: int, n: int, depth: int) -> tuple[Any, int]:
    """A flow mapping or sequence on one line, from ``text[at]`` (a bracket): (value, the
    index after it)."""
    if depth > 2:
        raise _Doubt  # records nest flow collections two deep at most
    close = "}" if text[at] == "{" else "]"
    value: YMap | YSeq = YMap(n) if close == "}" else YSeq(n)
    at += 1
    if text.startswith(close, at):
        return value, at + 1
    while True:
        if isinstance(value, YMap):
            key = _KEY.match(text, at)
            if key is None or not text.startswith(" ", key.end() - 1):
                raise _Doubt
            name = key.group(1)
            if name in value.values or len(name) > MAX_TEXT:
                raise _Doubt
            item, at = _flow_item(text, key.end(), n, depth)
            value.values[name] = item
            value.lines[name] = n
        else:
            item, at = _flow_item(text, at, n, depth)
            value.items.append(item)
            value.lines.append(n)
        if text.startswith(close, at):
            return value, at + 1
        if not text.startswith(", ", at) or text.startswith(" ", at + 2):
            raise _Doubt
        at += 2


def _flow_item(text: str, at: int, n: int, depth: int) -> tuple[Any, int]:
    if at >= len(text):
        raise _Doubt
    if text[at] in "{[":
        return _flow(text, at, n, depth + 1)
    if text[at] in "\"'":
        end = text.find(text[at], at + 1)
        if end < 0:
            raise _Doubt
        return _scalar(text[at:end + 1], block=False), end + 1
    stop = _FLOW_STOP.search(text, at)
    end = len(text) if stop is None else stop.start()
    token = text[at:end]
    if not token or token != token.strip(" "):
        raise _Doubt
    return _scalar(token, block=False), end
