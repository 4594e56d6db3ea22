"""The advice in words: action labels, an effect as a phrase, a reason in short. Plain
string functions over the advice's numbers (the pages and the terminal read them)."""

from __future__ import annotations

import re

ACTION_LABELS = {
    "keep": "Keep it open",
    "ask_to_close": "Ask the client to close",
    "close": "Close it yourself",
    "ask_feedback": "Ask for feedback",
    "wait": "Wait (leave it open)",
}
MINUS = "\u2212"  # the pages print a real minus sign; the terminal keeps ASCII


def effect_words(effect: tuple[float, float] | None, ascii_only: bool = False) -> str:
    """``-3 to +2 points if the client rates poorly / well``; ``no change``."""
    if effect is None:
        return "no score either way"
    low, high = (int(round(v)) for v in effect)
    if low == high == 0:
        return "no change"

    def signed(value: int) -> str:
        text = f"{value:+d}" if value else "0"
        return text if ascii_only else text.replace("-", MINUS)

    if low == high:
        return f"{signed(low)} point{'s' if abs(low) != 1 else ''} either way"
    return f"{signed(low)} to {signed(high)} points if the client rates poorly / well"


def split_top(text: str, mark: str) -> list[str]:
    """``text`` cut at each ``mark`` outside brackets (the mark's first character kept).

    Only the brackets and the marks are visited (``re.finditer``): the pages ask this of every
    reason of thousands of recommendations."""
    out, depth, start = [], 0, 0
    for m in re.finditer(r"[()]|" + re.escape(mark), text):
        found = m.group()
        if found == "(":
            depth += 1
        elif found == ")":
            depth -= 1
        elif depth == 0:
            out.append(text[start:m.start() + 1].strip())
            start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s] or [""]


def sentences(text: str) -> list[str]:
    """``text`` cut after each ". " that ends a sentence (not inside brackets)."""
    return split_top(text, ". ")
