"""Merging into a file someone wrote by hand without losing its comments.

The importer writes its records in one fixed style (``yaml_writer``), which keeps the comment
block at the top of the file but no other comment. So when the file it merges into holds
comments further down:

- if the import only adds contracts at the end, their text is appended to the file as it is,
  and everything else stays byte for byte;
- otherwise (a payment or refund added to a contract already there) the file is not written
  and the error says why and what to do: import into a file of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from jssreport.errors import JssReportError, Problem
from jssreport.importers.yaml_writer import render_contracts


def header_lines(text: str) -> int:
    """How many lines the comment block at the top of ``text`` has (blank lines included)."""
    count = 0
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        count += 1
    return count


def comment_lines(text: str) -> list[int]:
    """The line numbers (from 1) of the comments in ``text``, found between YAML's tokens
    (a ``#`` inside a quoted or block string is not one)."""
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:  # the merge reads the file first, so this is unlikely
        return [n for n, line in enumerate(text.splitlines(), 1) if "#" in line]
    found: list[int] = []
    pos = 0
    ends = [t.start_mark.index for t in tokens] + [len(text)]
    for token, end in zip([None, *tokens], ends, strict=True):
        if token is not None:
            pos = max(pos, token.end_mark.index)
        at = text.find("#", pos, max(pos, end))
        while at >= 0:
            line = text.count("\n", 0, at) + 1
            if not found or found[-1] != line:
                found.append(line)
            newline = text.find("\n", at, end)
            at = -1 if newline < 0 else text.find("#", newline, end)
        pos = max(pos, end)
    return found


def merged_text(text: str, before: Mapping[str, Any], after: Mapping[str, Any], header: str,
                shown: str) -> str:
    """The new text of a file that held ``text`` (loaded as ``before``) and now holds
    ``after``; its comments are kept, or JssReportError says why they cannot be."""
    later = [n for n in comment_lines(text) if n > header_lines(text)]
    if not later:
        return render_contracts(after, header)
    appended = _appended(text, before, after)
    if appended is not None:
        return appended
    shown_lines = ", ".join(str(n) for n in later[:5]) + (", ..." if len(later) > 5 else "")
    raise JssReportError([Problem(shown, later[0], "", (
        f"not written: this file has comments (line {shown_lines}) that the importer would "
        "drop, since the import changes contracts already in it. Import into a file of its "
        "own (--into content/contracts/imported.yml), or move the comments to the top of the "
        "file (they are kept there)"))])


def _appended(text: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """``text`` with the contracts ``after`` adds at the end of ``before``'s appended, when
    that is all that changed and the result reads back as ``after``; else None."""
    old = list(before.get("contracts") or [])
    new = list(after.get("contracts") or [])
    if {k: v for k, v in before.items() if k != "contracts"} != \
            {k: v for k, v in after.items() if k != "contracts"}:
        return None
    if not old or new[:len(old)] != old or len(new) == len(old):
        return None
    lines = render_contracts({"contracts": new[len(old):]}).splitlines(keepends=True)[1:]
    candidate = (text if text.endswith("\n") else text + "\n") + "".join(lines)
    try:
        loaded = yaml.safe_load(candidate)
    except yaml.YAMLError:
        return None
    if not isinstance(loaded, dict) or render_contracts(loaded) != render_contracts(after):
        return None  # e.g. the contracts list is not the last thing in the file
    return candidate
