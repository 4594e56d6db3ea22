"""The record files' own reader (``input.yamlfast``) gives exactly what libyaml's reading
(``input.yamlload.parse_yaml``) gives, or nothing and leaves the file to it: on every YAML
file of the repository, on generated histories of both shapes, and on thousands of files
changed at random in the ways YAML is subtle about."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from conftest import bench_generator

from jssreport.input.yamlfast import parse_fast, read_yaml
from jssreport.input.yamlload import YMap, YSeq, parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, with the same lines, keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, YMap):
        return (a.line, a.lines, list(a.values)) == (b.line, b.lines, list(b.values)) and \
            all(same(a.values[k], b.values[k]) for k in a.values)
    if isinstance(a, YSeq):
        return (a.line, a.lines, len(a.items)) == (b.line, b.lines, len(b.items)) and \
            all(same(x, y) for x, y in zip(a.items, b.items, strict=True))
    return bool(a == b)


def agrees(text: str) -> bool | None:
    """None when the fast reader leaves ``text`` to libyaml, else whether it agrees."""
    fast = parse_fast(text)
    if fast is None:
        return None
    value, problems = parse_yaml(text.encode("utf-8"), "x.yml")
    return not problems and same(fast, value)


def _generated() -> dict[str, str]:
    generator = bench_generator()
    files = {}
    for shape in ("default", "longterm"):
        for rel, text in generator.project_files(300, seed=3, shape=shape).items():
            if rel.endswith(".yml"):
                files[f"{shape}/{rel}"] = text
    return files


def test_generated_histories_are_read_alike_and_without_libyaml() -> None:
    for rel, text in _generated().items():
        assert agrees(text) is True, rel


def test_every_yaml_file_of_the_repository_is_read_alike_or_left_to_libyaml() -> None:
    paths = [p for p in ROOT.rglob("*.yml")
             if not {".venv", "site", ".git", "node_modules"} & set(p.parts)]
    assert len(paths) > 40
    read = 0
    for path in paths:
        result = agrees(path.read_text(encoding="utf-8"))
        assert result is not False, path
        read += result is True
    assert read > 10


# Pieces YAML is subtle about: indicators, quotes, comments, flow and block syntax, odd
# indentation, characters libyaml refuses or reads as line breaks.
PIECES = [" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "\\", "{", "}", "[", "]", ",",
          ", ", "|", "|-", ">", "&a", "*a", "!", "!!str ", "?", "%", "@", "`", "~", "\t", "\r",
          "\u2028", "\x85", "\ufeff", "null", "yes", "0x1F", "1_000", "+1", "-1", ".5", "1e3",
          "2020-02-30", "2020-01-01 10:00", "10:30", "é", "---", "...", "\n", "\n  ", "\n    ",
          "\n- ", "key: ", "a: b", "{a: 1}", "[1, 2]", "<<: ", "=", "0o7", "012"]
# ... and pieces most readings take in their stride (values change: 2020-01-017, 1.2.3).
PLAIN = ["a", "Z", "7", "0", ".", "e", "x y", "_", "(", ")", "$", "'s", "/", "+", "-"]


def _mutated(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        line = lines[i]
        kind = rng.random()
        if kind < 0.55:  # a piece inserted anywhere in a line
            at = rng.randint(0, len(line))
            piece = rng.choice(PIECES if rng.random() < 0.5 else PLAIN)
            lines[i] = line[:at] + piece + line[at:]
        elif kind < 0.7:  # indentation moved
            lines[i] = " " * rng.randint(0, 8) + line.lstrip(" ")
        elif kind < 0.8:  # a line dropped or repeated
            if rng.random() < 0.5:
                del lines[i]
            else:
                lines.insert(i, line)
        elif kind < 0.9:  # the end of a line cut off
            lines[i] = line[: rng.randint(0, len(line))]
        else:  # two lines swapped
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_changed_files_are_read_alike_or_left_to_libyaml(seed: int) -> None:
    rng = random.Random(seed)
    sources = list(_generated().values()) + [
        "contracts:\n  - id: a\n    notes: |\n      one\n\n      two\n    title: \"T\"\n",
        "contracts:\n- id: a\n  payments: [{date: 2020-01-01, amount: 1}, {date: 2020-02-01, "
        "amount: 2.5}]\n  feedback: {stars: 4.5, comment: 'ok, fine'}\n",
        "profile:\n  name: A\n  snapshots:\n    - {date: 2020-01-01, jss: 90}\n    - date: "
        "2020-02-01\n      jss: 91\nnotes: |-\n  x\n   y\n",
        "contracts:\n  - id: a\n    notes: |\n      no line break at the end",
    ]
    read = 0
    for _ in range(1500):
        source = rng.choice(sources)
        lines = source.split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith(("  - ", "- "))] or [0]
        start = rng.choice(starts)  # a few whole records, then changed
        text = _mutated("\n".join(lines[:2] + lines[start:start + 30]), rng)
        result = agrees(text)
        assert result is not False, text
        read += result is True
    assert read > 200  # the fast reader took many of them


def test_read_yaml_is_parse_yaml() -> None:
    text = "contracts:\n  - id: a\n    title: Logo\n    start: 2020-01-02\n"
    assert same(read_yaml(text.encode(), "a.yml")[0], parse_yaml(text.encode(), "a.yml")[0])
    value, problems = read_yaml(b"contracts:\n  - id: a\n    id: b\n", "a.yml")
    assert problems and "duplicate key 'id'" in problems[0].message  # libyaml's reading
    long_key = ("k" * 10_001 + ": 1\n").encode()
    assert read_yaml(long_key, "a.yml") == parse_yaml(long_key, "a.yml")
    assert parse_fast("a: {" + "k" * 10_001 + ": 1}\n") is None


AMOUNTS = ("1", "10", "01", "0", "1.", ".5", "1.50", "007.5", "0.0", "1e3", "1.5e3", "1_000",
           "-5", "+5", "999999999999999", "9999999999999999", "1" * 40, "1." + "5" * 30,
           "0x1F", "0o17", "1:30", ".inf", "nan", "5 ", " 5", "1,5",
           "1" * 10_001 + ".5", "1" * 20 + ".5", "1.5" + "0" * 20)
DATES = ("2024-01-14", "2024-02-30", "2024-13-01", "0001-01-01", "2024-1-14", "24-01-14",
         "2024-01-14 ", "2024-01-14T10:00:00", "２０２４-01-14")


@pytest.mark.parametrize("amount", AMOUNTS)
@pytest.mark.parametrize("day", DATES)
def test_a_payment_line_is_read_alike_whatever_its_date_and_amount(day: str,
                                                                     amount: str) -> None:
    # the one-step reading of the most common line, against libyaml's on the same line
    text = f"contracts:\n  - id: a\n    payments:\n      - {{date: {day}, amount: {amount}}}\n"
    assert agrees(text) is not False, text
