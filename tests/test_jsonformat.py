"""report.json's text (jssreport/jsonformat.py): written once, read back in parts."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from jssreport.jsonformat import item_lines, json_bytes, top_level, with_value


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randint(-10**6, 10**6)
    if kind == 2:
        return rng.choice([0.1, 1e-05, 12.5, -3.25, 1e16, 2.675])
    if kind in (3, 4):
        return rng.choice(["", "plain", "quote \" and \\\\", "line\nbreak", "é ü 😀",
                           "\u2028", ",\n \"x\": 1", "}\n ]"])
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 6:
        return [{"id": f"c{i}", "v": _value(rng, depth + 2)} for i in range(rng.randrange(4))]
    return {f"k{i}": _value(rng, depth + 1) for i in range(rng.randrange(4))}


@pytest.mark.parametrize("seed", range(200))
def test_read_back_in_parts_and_a_value_replaced(seed: int) -> None:
    rng = random.Random(seed)
    data = {"as_of": "2026-06-30", "since": None,
            "contracts": [{"id": f"c{i}", "x": _value(rng, 2)} for i in range(rng.randrange(5))],
            **{f"key{i}": _value(rng) for i in range(rng.randrange(6))}}
    text = json_bytes(data)
    assert json.loads(text) == json.loads(json.dumps(data))
    parts = top_level(text)
    assert parts is not None and list(parts) == sorted(data)
    assert {k: json.loads(v) for k, v in parts.items()} == json.loads(text)
    lines = item_lines(parts["contracts"])
    assert lines is not None and [json.loads(line) for line in lines] == data["contracts"]
    new = _value(rng)
    assert with_value(text, "since", new) == json_bytes({**data, "since": new})


def test_text_laid_out_otherwise_is_not_read_in_parts() -> None:
    data = {"a": [{"id": "x"}], "b": 1}
    assert top_level(json.dumps(data).encode()) is None
    assert top_level(json.dumps(data, indent=2).encode()) is None
    parts = top_level(json_bytes({"a": [1, 2], "b": 1}))
    assert parts is not None and item_lines(parts["a"]) is None
    assert with_value(json_bytes(data), "aa", [1]) == json_bytes({**data, "aa": [1]})
    with pytest.raises(ValueError):
        with_value(json.dumps(data).encode(), "b", 2)
