"""report.json's text, in one place: how it is written (``json_bytes``) and how a reader finds
its parts and the lines of a list without decoding the rest (``top_level``, ``item_lines``:
"what changed" decodes only what it reads, and of the contracts only those whose line
differs, jssreport/report/since.py). See
docs/architecture.md.

Keys are sorted; one line per top-level key and per item of a long list, everything inside
an item compact: about 30% smaller than indented, yet a diff of two reports shows which
contracts changed. Each line is written by orjson (about seven times faster than the
standard encoder on a large history, and the same text but for floats below 0.0001, which it
writes without an exponent); a value it refuses (a key that is not text) is written by the
standard encoder.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_STANDARD = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def encode(value: Any) -> bytes:
    """One value, compact, keys sorted: a line of report.json's lists is one of these."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return _STANDARD(value).encode("utf-8")


def json_bytes(value: Any) -> bytes:
    """The text of report.json for the object ``value``."""
    return _json_lines(value, 0) + b"\n"


def _json_lines(value: Any, depth: int) -> bytes:
    """Objects to three levels deep one key per line, lists of objects or lists to four
    levels one item per line; everything inside an item compact."""
    inner, outer = b" " * (depth + 1), b" " * depth
    if isinstance(value, dict) and value and depth < 3:
        items = [inner + encode(str(k)) + b": " + _json_lines(value[k], depth + 1)
                 for k in sorted(value)]
        return b"{\n" + b",\n".join(items) + b"\n" + outer + b"}"
    if isinstance(value, list) and value and depth < 4 and \
            isinstance(value[0], (dict, list)):
        return b"[\n" + b",\n".join(inner + encode(item) for item in value) + b"\n" + outer \
            + b"]"
    return encode(value)


def top_level(text: bytes) -> dict[str, bytes] | None:
    """report.json's ``text`` as its top-level keys and the text of each one's value (to be
    decoded when read), or None when it is not laid out as ``json_bytes`` lays out an object.

    A JSON text holds no raw line break inside a string, and only the top-level keys start a
    line with a single space: so ``,``, a line break, one space and a quote can only start
    the next top-level key."""
    if not (text.startswith(b'{\n "') and text.endswith(b"\n}\n")):
        return None
    parts = {}
    for chunk in text[4:-3].split(b',\n "'):
        name, colon, value = chunk.partition(b'": ')
        if not colon or b'"' in name or b"\\" in name:
            return None
        parts[name.decode("utf-8", "replace")] = value
    return parts


def item_lines(value: bytes) -> list[bytes] | None:
    """The items of a top-level list (``top_level``'s text of it) as their lines, each the
    ``encode`` of one item; None when it is not one object per line."""
    if value == b"[]":
        return []
    if not (value.startswith(b"[\n  {") and value.endswith(b"}\n ]")):
        return None
    lines = value[2:-3].split(b"\n")
    if not all(line.startswith(b"  {") and line.endswith(b"},") for line in lines[:-1]):
        return None
    return [line[2:-1] for line in lines[:-1]] + [lines[-1][2:]]


def with_value(text: bytes, key: str, value: Any) -> bytes:
    """report.json's ``text`` (``json_bytes`` of an object) with ``key`` set to ``value``:
    the same bytes as ``json_bytes`` of the object with that value."""
    parts = top_level(text)
    if parts is None:
        raise ValueError("not a text json_bytes wrote")
    parts[key] = _json_lines(value, 1)
    return b'{\n "' + b',\n "'.join(encode(name)[1:] + b": " + parts[name]
                                     for name in sorted(parts)) + b"\n}\n"
