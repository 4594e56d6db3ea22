"""What changed since the last build: a pure comparison of two report.json objects.

The previous report is an input like the records: the same two reports give the same
``Since``. It comes from ``--since FILE`` (the Pages workflow downloads the deployed one) or
from the report.json of the site a build is about to replace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jssreport.errors import UsageError
from jssreport.jsonformat import encode, item_lines, top_level
from jssreport.model.windows import WINDOW_NAMES
from jssreport.textformat import (
    format_money,
    format_percent,
    format_points,
    kind_label,
    window_label,
)

CONTRIBUTIONS_SHOWN = 5
MIN_CONTRIBUTION_CHANGE = 0.05  # points; smaller changes are rounding noise


@dataclass(frozen=True)
class WindowChange:
    """One window's score in the previous report and in this one."""

    window: str
    before: float | None
    after: float | None

    @property
    def label(self) -> str:
        return window_label(self.window)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def text(self) -> str:
        return f"{format_percent(self.before, 1)} → {format_percent(self.after, 1)}"


@dataclass(frozen=True)
class ContractChange:
    """One thing that happened to one contract between the two reports."""

    contract: str
    name: str  # "title (client)" as the newer report has it
    what: str  # entered | left | new | gone | payments | feedback | outcome | contribution
    detail: str  # a short sentence fragment, e.g. "12-month window" or "2 new payments"
    windows: tuple[str, ...] = ()  # for entered and left
    change: float | None = None  # points, for contribution changes

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"contract": self.contract, "detail": self.detail}
        if self.windows:
            data["windows"] = list(self.windows)
        if self.change is not None:
            data["change"] = self.change
        return data


@dataclass(frozen=True)
class Since:
    """What changed since the previous report: the estimate and its window, each window's
    score, and what happened to each contract."""

    previous_as_of: str
    jss: tuple[int | None, int | None]
    window: tuple[str | None, str | None]
    windows: tuple[WindowChange, ...]
    changes: tuple[ContractChange, ...]  # grouped by ``what`` in WHAT order
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.jss[0] != self.jss[1] or any(w.changed for w in self.windows) \
            or bool(self.changes)

    @property
    def headline(self) -> str:
        before, after = self.jss
        if before == after:
            shown = "no score" if after is None else f"{after}%"
            if not self.changed:
                return f"Nothing changed: the estimate is still {shown}, with the same " \
                    "windows and contracts."
            return f"The estimate is still {shown}."
        if before is None or after is None:
            return f"The estimate went from {format_percent(before)} to {format_percent(after)}."
        return f"The estimate went from {before}% to {after}% ({after - before:+d} points)."

    @property
    def changed_windows(self) -> tuple[WindowChange, ...]:
        return tuple(w for w in self.windows if w.changed)

    def of(self, what: str) -> tuple[ContractChange, ...]:
        return tuple(c for c in self.changes if c.what == what)

    @property
    def groups(self) -> tuple[tuple[str, tuple[ContractChange, ...]], ...]:
        """(heading, changes) for every kind of change there is, in a fixed order."""
        return tuple((heading, self.of(what)) for what, heading in WHAT if self.of(what))

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_as_of": self.previous_as_of,
            "changed": self.changed,
            "headline": self.headline,
            "jss": {"before": self.jss[0], "after": self.jss[1]},
            "window": {"before": self.window[0], "after": self.window[1]},
            "windows": {w.window: {"before": w.before, "after": w.after} for w in self.windows},
            **{what: [c.to_json() for c in self.of(what)] for what, _ in WHAT},
            "note": self.note,
        }


WHAT = (
    ("contribution", "Why the score moved: the largest changes in contribution"),
    ("entered", "Entered a window"),
    ("left", "Left a window"),
    ("new", "New contracts"),
    ("gone", "No longer in the records"),
    ("payments", "New payments"),
    ("feedback", "New or changed feedback"),
    ("outcome", "Changed outcome"),
)


# --- reading the previous report ----------------------------------------------------------


def load_previous(path: Path) -> dict[str, Any]:
    """The report.json at ``path`` (``--since FILE``); a UsageError when it is missing or not
    one."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        problem = check_report(data)
    except FileNotFoundError:
        problem = "no such file"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = f"cannot be read as JSON ({getattr(exc, 'strerror', None) or exc})"
    if problem is None:
        return data  # type: ignore[no-any-return]
    raise UsageError(f"--since {path}: {problem}")


# What the comparison reads of the previous report.json besides its contracts
# (``compute_since`` and ``since_previous``).
READ = ("as_of", "jss", "redacted", "since", "window", "windows")


def previous_report(text: bytes, current: Mapping[str, Any], current_text: bytes = b""
                    ) -> dict[str, Any] | None:
    """What the comparison reads of a report.json's ``text`` (``READ`` and the contracts;
    None when it is not a report.json), decoding of the contracts only those whose line
    differs from the current report's (``current``: its report.json object): a line equal to
    the encoding of a current entry decodes to that entry, so the entry is taken as it is
    (jssreport/jsonformat.py). A rebuild after a small edit decodes a few contracts instead
    of the whole report."""
    try:
        parts = top_level(text)
        lines = None if parts is None else item_lines(parts.get("contracts", b""))
        if parts is None or lines is None:
            data = json.loads(text.decode("utf-8"))
        else:
            mine = _lines_of(current, current_text)
            data = {key: json.loads(parts[key]) for key in READ if key in parts}
            data["contracts"] = [mine[line] if line in mine else json.loads(line)
                                 for line in lines]
        problem = check_report(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if problem is None else None


def _lines_of(current: Mapping[str, Any], text: bytes) -> dict[bytes, Any]:
    """Each current contract entry by its line in report.json."""
    entries = current.get("contracts") or []
    parts = top_level(text) if text else None
    lines = None if parts is None else item_lines(parts.get("contracts", b""))
    if lines is None or len(lines) != len(entries):
        lines = [encode(entry) for entry in entries]
    return dict(zip(lines, entries, strict=True))


def check_report(data: Any) -> str | None:
    """Why ``data`` is not a jssreport report.json, or None when it is one."""
    if not isinstance(data, dict):
        return "not a jssreport report.json (not a JSON object)"
    for key, kind in (("as_of", str), ("windows", dict), ("contracts", list)):
        if not isinstance(data.get(key), kind):
            return f"not a jssreport report.json (no '{key}')"
    try:
        date.fromisoformat(data["as_of"])
    except ValueError:
        return "not a jssreport report.json ('as_of' is not a date)"
    if not all(isinstance(c, dict) and isinstance(c.get("id"), str) for c in data["contracts"]):
        return "not a jssreport report.json (a contract without an id)"
    return None


# --- the comparison -----------------------------------------------------------------------


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _name(entry: Mapping[str, Any]) -> str:
    title, client = entry.get("title"), entry.get("client")
    if isinstance(title, str) and isinstance(client, str):
        return f"{title} ({client})"
    return str(entry.get("id"))


def compute_since(previous: Mapping[str, Any], current: Mapping[str, Any]) -> Since:
    """What changed from the ``previous`` report.json object to the ``current`` one."""
    windows = tuple(
        WindowChange(name, _number(previous["windows"].get(name)),
                     _number(current["windows"].get(name)))
        for name in WINDOW_NAMES
    )
    jss = (_whole(previous.get("jss")), _whole(current.get("jss")))
    window = (_text(previous.get("window")), _text(current.get("window")))
    note = ""
    changes: tuple[ContractChange, ...] = ()
    if bool(previous.get("redacted")) != bool(current.get("redacted")):
        # Contract names of one cannot be matched with the other, and showing the old ones
        # in a redacted report would undo the redaction.
        note = ("The previous report was built " +
                ("without" if current.get("redacted") else "with") +
                " --redact, so its contracts are not compared.")
    else:
        currency = None if current.get("redacted") else str(current.get("currency") or "USD")
        changes = contract_changes(previous["contracts"], current["contracts"], currency)
    return Since(str(previous["as_of"]), jss, window, windows, changes, note)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def contract_changes(previous: Sequence[Mapping[str, Any]], current: Sequence[Mapping[str, Any]],
                     currency: str | None) -> tuple[ContractChange, ...]:
    """Per contract: windows entered and left, payments, feedback, outcome, contribution;
    amounts only when ``currency`` is given (None: a redacted report)."""
    before = {c["id"]: c for c in previous}
    after = {c["id"]: c for c in current}
    found: dict[str, list[ContractChange]] = {what: [] for what, _ in WHAT}
    for cid in sorted(after.keys() - before.keys()):
        found["new"].append(ContractChange(cid, _name(after[cid]), "new", "new contract"))
    for cid in sorted(before.keys() - after.keys()):
        found["gone"].append(ContractChange(cid, _name(before[cid]), "gone",
                                            "no longer in the records"))
    # Most contracts are exactly as they were: their entries are equal and say nothing new.
    differ = [cid for cid in after.keys() & before.keys() if before[cid] != after[cid]]
    for cid in sorted(differ):
        old, new = before[cid], after[cid]
        name = _name(new)
        for what, windows in _window_moves(old, new):
            found[what].append(ContractChange(cid, name, what, _windows_text(windows),
                                              windows))
        paid = _payments(old, new, currency)
        if paid:
            found["payments"].append(ContractChange(cid, name, "payments", paid))
        was, now = _number(old.get("stars")), _number(new.get("stars"))
        if now is not None and now != was:
            found["feedback"].append(ContractChange(
                cid, name, "feedback", f"{now:.1f} stars" if was is None
                else f"{was:.1f} → {now:.1f} stars"))
        if old.get("outcome") != new.get("outcome") and isinstance(new.get("outcome"), str):
            found["outcome"].append(ContractChange(
                cid, name, "outcome",
                f"{kind_label(str(old.get('outcome')))} → {kind_label(new['outcome'])}"))
    moved = []
    for cid in sorted(after.keys() ^ before.keys() | set(differ)):
        old_c = _number(before.get(cid, {}).get("contribution")) or 0.0
        new_c = _number(after.get(cid, {}).get("contribution")) or 0.0
        delta = round(new_c - old_c, 1)
        if abs(new_c - old_c) >= MIN_CONTRIBUTION_CHANGE and delta:
            entry = after.get(cid) or before[cid]
            moved.append(ContractChange(
                cid, _name(entry), "contribution",
                f"{format_points(old_c)} → {format_points(new_c)} points", change=delta))
    moved.sort(key=lambda c: (-abs(c.change or 0.0), c.contract))
    found["contribution"] = moved[:CONTRIBUTIONS_SHOWN]
    return tuple(c for what, _ in WHAT for c in found[what])


def _window_moves(old: Mapping[str, Any], new: Mapping[str, Any]) \
        -> list[tuple[str, tuple[str, ...]]]:
    was, now = old.get("windows"), new.get("windows")
    if not isinstance(was, list) or not isinstance(now, list):
        return []  # a report from before windows were listed per contract
    moves = [("entered", tuple(w for w in WINDOW_NAMES if w in now and w not in was)),
             ("left", tuple(w for w in WINDOW_NAMES if w in was and w not in now))]
    return [(what, windows) for what, windows in moves if windows]


def _windows_text(windows: Sequence[str]) -> str:
    """``the 12-month window``, ``the 24-, 12- and 6-month windows``."""
    months = [w[:-1] for w in windows]
    if len(months) == 1:
        return f"the {months[0]}-month window"
    return f"the {'-, '.join(months[:-1])}- and {months[-1]}-month windows"


def _payments(old: Mapping[str, Any], new: Mapping[str, Any], currency: str | None) -> str:
    count = (_number(new.get("payments")) or 0) - (_number(old.get("payments")) or 0)
    if count <= 0:
        return ""
    text = f"{count:.0f} new payment{'s' if count != 1 else ''}"
    last = new.get("last_payment")
    if isinstance(last, str):
        text += f", the last on {last}"
    gained = (_number(new.get("earned")) or 0.0) - (_number(old.get("earned")) or 0.0)
    if currency is not None and gained > 0:
        text += f" (+{format_money(gained, currency)})"
    return text


def since_previous(as_of: date, previous: Mapping[str, Any],
                   current: Mapping[str, Any]) -> Since | None:
    """What changed since ``previous`` (a checked report.json object) in ``current`` (the
    report.json object of the report dated ``as_of``: ``output.reportjson.report_json``)."""
    since: Since | None = compute_since(previous, current)
    assert since is not None
    same_day = since.previous_as_of == as_of.isoformat()
    if same_day and not since.changed and not since.note:
        # A rebuild of the same input for the same date says nothing new: it keeps what the
        # build before it said, so it gives the same bytes (same input and --as-of, same
        # output, however many times it is rebuilt).
        names = {str(c.get("id")): _name(c) for c in current.get("contracts") or ()
                 if isinstance(c, Mapping)}
        since = since_from_json(previous.get("since"), names)
    return since


def since_from_json(data: Any, names: Mapping[str, str]) -> Since | None:
    """The ``Since`` a report.json holds (``Since.to_json`` read back, with contract names from
    ``names``); None if it holds none."""
    if not isinstance(data, Mapping):
        return None
    try:
        windows = data.get("windows") or {}
        changes = tuple(
            ContractChange(contract=str(c["contract"]),
                           name=names.get(str(c["contract"]), str(c["contract"])),
                           what=what, detail=str(c["detail"]),
                           windows=tuple(str(w) for w in c.get("windows", ())),
                           change=_number(c.get("change")))
            for what, _ in WHAT for c in data.get(what) or ())
        return Since(
            previous_as_of=str(data["previous_as_of"]),
            jss=(_whole(data["jss"]["before"]), _whole(data["jss"]["after"])),
            window=(_text(data["window"]["before"]), _text(data["window"]["after"])),
            windows=tuple(WindowChange(w, _number(windows[w]["before"]),
                                       _number(windows[w]["after"]))
                          for w in WINDOW_NAMES if w in windows),
            changes=changes,
            note=str(data.get("note", "")),
        )
    except (KeyError, TypeError, ValueError):
        return None
