"""Safe YAML reading that keeps a line number for every field.

We drive libyaml's event parser ourselves instead of ``yaml.load``/``yaml.compose``:
the events carry marks (so every key and list item keeps its line), anchors and
aliases are refused the moment they appear (an alias bomb costs nothing), tags
other than the standard scalar/sequence/mapping ones are refused, and plain
scalars are resolved with a small cache. Composing nodes first costs about three
times the bare parse, and ``yaml.load`` five times, so this keeps the input stage
close to the libyaml floor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jssreport.errors import Problem

MAX_FILE_BYTES = 50 * 1024 * 1024  # far beyond any real history; refuses junk before parsing
MAX_TEXT = 10_000  # characters in one value or key
MAX_DEPTH = 20  # the record format nests 6 levels at most

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
) | {"!"}
_MAP_TAGS = frozenset({_TAG + "map", "!"})
_SEQ_TAGS = frozenset({_TAG + "seq", "!"})
# First characters that can start a non-string plain scalar (YAML 1.1, as PyYAML resolves).
_SPECIAL_START = frozenset("yYnNtTfFoO~-+0123456789.")
# Of those, the ones that start only words: PyYAML's resolver reads a plain scalar starting
# with one of them as a bool or null when it is one of these words, else as text.
_WORD_START = frozenset("yYnNtTfFoO~")
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}


class YMap:
    """A YAML mapping: ``values`` by key text, ``lines`` = the line of each key."""

    __slots__ = ("values", "lines", "line")

    def __init__(self, line: int) -> None:
        self.values: dict[str, Any] = {}
        self.lines: dict[str, int] = {}
        self.line = line


class YSeq:
    """A YAML sequence: ``items`` and the line where each item starts."""

    __slots__ = ("items", "lines", "line")

    def __init__(self, line: int) -> None:
        self.items: list[Any] = []
        self.lines: list[int] = []
        self.line = line


class _Invalid:
    """A value already reported as a problem; checkers skip it silently."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_date_from_iso = dt.date.fromisoformat


@functools.lru_cache(maxsize=1)
def _libyaml() -> Any:
    """PyYAML, imported when first needed: a project whose files all have the common shape
    (``input.yamlfast``) and plain values ``resolve_plain`` reads directly never needs it."""
    import yaml
    import yaml.reader

    return yaml


@functools.lru_cache(maxsize=1)
def _scalars() -> tuple[Any, Any, dict[str, Any]]:
    """PyYAML's resolver and safe constructor, and the constructor of each scalar tag."""
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    constructor = SafeConstructor()
    return Resolver(), constructor, {
        _TAG + "int": constructor.construct_yaml_int,
        _TAG + "float": constructor.construct_yaml_float,
        _TAG + "timestamp": constructor.construct_yaml_timestamp,
    }


def _construct(tag: str, text: str) -> Any:
    """The Python value of a scalar with a standard tag; the text itself if it does not fit."""
    if tag == _STR or tag == "!":
        return text
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        low = text.lower()
        return _scalars()[1].bool_values.get(low, text)
    build = _scalars()[2].get(tag)
    if build is None:  # merge '<<' and value '=' keys: plain text for us
        return text
    try:
        return build(_libyaml().ScalarNode(tag, text))
    except (ValueError, OverflowError, TypeError):
        # e.g. 2020-02-30: keep the text so the checker can say what is wrong with it
        return text


@functools.lru_cache(maxsize=16384)
def _resolve_cached(text: str) -> Any:
    tag = _scalars()[0].resolve(_libyaml().ScalarNode, text, (True, False))
    return _construct(tag, text)


def resolve_date(text: str) -> dt.date | str:
    """A plain scalar of the form ``dddd-dd-dd``: the date, or the text when it is no date
    (e.g. 2020-02-30: PyYAML's constructor refuses it, and the checker says why)."""
    try:
        return _date_from_iso(text)
    except ValueError:
        return text


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar, as PyYAML's SafeLoader would give it.

    Dates, amounts and whole numbers (most distinct values in a history) take a direct
    route; the result is the same as PyYAML's resolver and constructor would give.
    """
    if not text:
        return None
    first = text[0]
    if first not in _SPECIAL_START:
        return text
    if first in _WORD_START:  # only the bool and null words resolve (YAML 1.1, as PyYAML)
        return _WORDS.get(text, text)
    if "0" <= first <= "9" and text.isascii():
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return resolve_date(text)
        if text.isdigit():
            if first != "0" or len(text) == 1:  # a leading 0 is octal in YAML 1.1
                # Python reads at most 4,300 digits; a longer number is only ever out of
                # range, and a number of as many digits says so as well (fields.fmt).
                return int(text) if len(text) <= 4000 else 10 ** (len(text) - 1)
        else:
            whole, dot, fraction = text.partition(".")
            if dot and whole.isdigit() and fraction.isdigit():
                return float(text)
    return _resolve_cached(text)


class _Fatal(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def check_bytes(data: bytes, rel: str) -> Problem | None:
    """Refuse what is not a reasonable UTF-8 text file, naming the file."""
    if len(data) > MAX_FILE_BYTES:
        mib = MAX_FILE_BYTES // (1024 * 1024)
        return Problem(rel, 0, "", f"file too large ({len(data):,} bytes; the limit is {mib} MB)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(
            rel, 0, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        return Problem(rel, 0, "", f"not a text file (NUL byte at offset {nul})")
    return None


def read_bytes(path: Path, rel: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or a problem saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            mib = MAX_FILE_BYTES // (1024 * 1024)
            return None, Problem(
                rel, 0, "", f"file too large ({size:,} bytes; the limit is {mib} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(rel, 0, "", f"cannot be read: {exc.strerror or exc}")
    problem = check_bytes(data, rel)
    return (None, problem) if problem else (data, None)


def parse_yaml(data: bytes | str, rel: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into plain values, ``YMap`` and ``YSeq``.

    Returns ``(value, problems)``; ``value`` is ``None`` for an empty document and
    ``INVALID`` when the file cannot be used at all (syntax error, alias, bad tag...).
    Lines in problems are 1-based and shifted by ``line_offset`` (for front matter).
    """
    problems: list[Problem] = []
    yaml = _libyaml()
    try:
        value = _build(data, rel, problems, line_offset + 1)
    except _Fatal as exc:
        problems.append(Problem(rel, exc.line, "", exc.message))
        return INVALID, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + line_offset + 1 if mark else 0
        what = exc.problem or exc.context or "syntax error"
        if mark is not None and _tab_at(data, mark.line, mark.column):
            message = f"tabs are not allowed in YAML; indent with spaces (column {mark.column + 1})"
            problems.append(Problem(rel, line, "", message))
            return INVALID, problems
        if exc.context and exc.context_mark and exc.problem:
            context_line = exc.context_mark.line + line_offset + 1
            what += f" ({exc.context} at line {context_line})"
        elif mark:
            what += f" (column {mark.column + 1})"
        problems.append(Problem(rel, line, "", f"invalid YAML: {what}"))
        return INVALID, problems
    except yaml.reader.ReaderError as exc:  # control characters and the like
        before = data[: exc.position]
        newlines = before.count(b"\n") if isinstance(before, bytes) else before.count("\n")
        line = newlines + line_offset + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: {exc.reason} (character 0x{char:02x})"
        problems.append(Problem(rel, line, "", message))
        return INVALID, problems
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is one of the above
        problems.append(Problem(rel, 0, "", "invalid YAML: " + " ".join(str(exc).split())))
        return INVALID, problems
    return value, problems


def _tab_at(data: bytes | str, line: int, column: int) -> bool:
    """Whether the character at 0-based ``line``/``column`` (where libyaml stopped) is a tab."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = text.split("\n")
    return line < len(lines) and lines[line][column:column + 1] == "\t"


def _build(data: bytes | str, rel: str, problems: list[Problem], first: int) -> Any:
    # Local names: this loop runs once per scalar of a 20,000-contract history.
    yaml = _libyaml()
    scalar_event = yaml.ScalarEvent
    map_start, map_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    seq_start, seq_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    doc_start, doc_end = yaml.DocumentStartEvent, yaml.DocumentEndEvent
    stream_end, alias_event = yaml.StreamEndEvent, yaml.AliasEvent
    max_text, special, resolve = MAX_TEXT, _SPECIAL_START, resolve_plain

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(data)
    try:
        get = parser.get_event
        get()  # stream start
        event = get()
        if event.__class__ is stream_end:
            return None
        root: Any = None
        # Each frame: [container, key or None (for mappings: the key waiting for its value),
        # key line]. A sequence's frame key is unused.
        stack: list[list[Any]] = []
        while True:
            event = get()
            cls = event.__class__
            line = event.start_mark.line + first
            if cls is scalar_event:
                if event.anchor is not None:
                    raise _Fatal(line, "anchors and aliases are not allowed")
                text = event.value
                tag = event.tag
                if tag is not None and tag not in _SCALAR_TAGS:
                    raise _Fatal(line, f"tag {shown(tag_name(tag))} is not allowed")
                if stack:
                    frame = stack[-1]
                    container = frame[0]
                    if container.__class__ is YMap and frame[1] is None:
                        if len(text) > max_text:
                            raise _Fatal(line, f"key longer than {max_text:,} characters")
                        frame[1] = text
                        frame[2] = line
                        continue
                if len(text) > max_text:
                    problems.append(
                        Problem(rel, line, "", f"text longer than {max_text:,} characters")
                    )
                    value: Any = INVALID
                elif tag is None:
                    if event.implicit[0] and (not text or text[0] in special):
                        value = resolve(text)
                    else:
                        value = text
                else:
                    value = _construct(tag, text)
            elif cls is map_start or cls is seq_start:
                if event.anchor is not None:
                    raise _Fatal(line, "anchors and aliases are not allowed")
                tag = event.tag
                if tag is not None and tag not in (_MAP_TAGS if cls is map_start else _SEQ_TAGS):
                    raise _Fatal(line, f"tag {shown(tag_name(tag))} is not allowed")
                if stack:
                    frame = stack[-1]
                    if frame[0].__class__ is YMap and frame[1] is None:
                        raise _Fatal(line, "mapping keys must be plain text")
                if len(stack) >= MAX_DEPTH:
                    raise _Fatal(line, f"nested deeper than {MAX_DEPTH} levels")
                stack.append([YMap(line) if cls is map_start else YSeq(line), None, 0])
                continue
            elif cls is map_end or cls is seq_end:
                value = stack.pop()[0]
                line = value.line
            elif cls is alias_event:
                raise _Fatal(line, "anchors and aliases are not allowed")
            elif cls is doc_end:
                break
            else:  # pragma: no cover - libyaml emits nothing else inside a document
                raise _Fatal(line, f"unexpected {cls.__name__}")
            if not stack:
                root = value
                continue
            frame = stack[-1]
            container = frame[0]
            if container.__class__ is YSeq:
                container.items.append(value)
                container.lines.append(line)
            else:
                key = frame[1]
                if key in container.values:
                    first_line = container.lines[key]
                    message = f"duplicate key '{shown(key)}' (first at line {first_line})"
                    problems.append(Problem(rel, frame[2], "", message))
                else:
                    container.values[key] = value
                    container.lines[key] = frame[2]
                frame[1] = None
        event = get()
        if event.__class__ is doc_start:
            mark = event.start_mark
            line = (mark.line if mark else 0) + first
            raise _Fatal(line, "only one YAML document per file is allowed")
        return root
    finally:
        parser.dispose()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic trees.

    Parsing allocates millions of small objects and none of them form cycles; the
    collector's repeated full scans cost about a third of the load time at 20,000 contracts.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything allocated meanwhile is in the youngest generation: enabling the
            # collector as it is would scan it all at the next allocation (0.2 s at 20,000
            # contracts). Freezing first ages it into the oldest generation at no cost.
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def shown(text: str, limit: int = 60) -> str:
    """User text for a message: shortened, control characters escaped (one problem, one line)."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text if text.isprintable() else repr(text)[1:-1]


def tag_name(tag: str) -> str:
    """A tag as the user wrote it: ``!!python/object`` rather than its long form."""
    if tag.startswith(_TAG):
        return "!!" + tag[len(_TAG) :]
    return tag
