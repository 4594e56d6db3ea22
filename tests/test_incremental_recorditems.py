"""A changed contracts file reuses the parse of its unchanged records (incremental.recorditems),
and the result is always exactly what parsing the whole file gives."""

from __future__ import annotations

import random

import pytest

from jssreport.incremental.recorditems import ParsedFile, parse_with_items, split_items
from jssreport.input.records import ContractFile, parse_contract_file

REL = "content/contracts/x.yml"
FILE = b"""\
# my contracts
contracts:
  - id: a
    client: A
    title: "Logo"
    type: fixed
    start: 2024-01-02
    end: 2024-01-20
    payments: [{date: 2024-01-20, amount: 300}]
    feedback: {date: 2024-01-21, stars: 5}

  # the big one
  - id: b
    client: B
    title: Site
    type: hourly
    start: 2024-02-01
    notes: |
      - not an item: block text
      # nor a comment
    payments:
      - {date: 2024-02-08, amount: 100}
      - {date: 2024-02-15, amount: 100}
  - id: c
    client: C
    title: "Two
      lines"
    type: fixed
    start: 2024-03-01
"""


def calls_counting(counter: list[int]) -> object:
    def parse(rel: str, data: bytes) -> ContractFile:
        counter.append(data.count(b"\n  - id:") + data.count(b"\n- id:"))
        return parse_contract_file(rel, data)
    return parse


def test_items_are_split_at_the_list_level_only() -> None:
    items = split_items(FILE)
    assert items is not None
    assert [i.first_line for i in items] == [3, 13, 24]
    assert b"block text" in items[1].text and items[1].text.startswith(b"  - id: b")


@pytest.mark.parametrize("text", [
    b"contracts: []\n",
    b"contracts:\n  - id: a\nother: 1\n",  # another top-level key
    b"---\ncontracts:\n  - id: a\n",  # a document marker
    b"contracts:\r\n  - id: a\r\n",  # other line breaks
    b"\xef\xbb\xbfcontracts:\n  - id: a\n",
    b"contracts:\n  - id: a\n - id: b\n",  # two indentations
    b"contracts:\n  - id: a\n  -x: 1\n",
    b"contracts:#not a comment\n  - id: a\n",  # YAML reads no key there
    b"contracts:\n  # nothing but comments\n",
    b"contracts:\n    deeper: before any item\n  - id: a\n",
    b"",
])
def test_files_that_are_not_plainly_a_list_are_not_split(text: bytes) -> None:
    assert split_items(text) is None


def test_an_edit_reparses_only_the_changed_record_and_gives_the_whole_parse() -> None:
    first = parse_with_items(REL, FILE, parse_contract_file, None)
    assert first.parsed == parse_contract_file(REL, FILE) and len(first.items) == 3
    edited = FILE.replace(b"amount: 300", b"amount: 301").replace(
        b"  # the big one\n", b"  # the big one\n  # (two more lines\n  # of comments)\n")
    seen: list[int] = []
    again = parse_with_items(REL, edited, calls_counting(seen), first)  # type: ignore[arg-type]
    assert again.parsed == parse_contract_file(REL, edited)
    assert seen == [1]  # only record a, on its own
    assert again.parsed.ids == (("a", 3), ("b", 15), ("c", 26))


def test_a_record_with_a_problem_gives_the_whole_files_messages() -> None:
    first = parse_with_items(REL, FILE, parse_contract_file, None)
    broken = FILE.replace(b"stars: 5", b"stars: 7")
    again = parse_with_items(REL, broken, parse_contract_file, first)
    assert again.parsed == parse_contract_file(REL, broken)
    assert [p.line for p in again.parsed.problems] == [10]
    # an opened quote that swallows the next record: the whole file decides
    swallowed = FILE.replace(b'title: "Logo"', b'title: "Logo')
    assert parse_with_items(REL, swallowed, parse_contract_file, first).parsed == \
        parse_contract_file(REL, swallowed)


def _random_file(rng: random.Random, n: int) -> bytes:
    lines = [b"contracts:"]
    for i in range(n):
        lines += [f"  - id: c{i}".encode(), f"    client: Client {rng.randrange(9)}".encode(),
                  b"    title: T", b"    type: fixed", f"    start: 2024-0{1 + i % 9}-01".encode()]
        if rng.random() < 0.5:
            lines.append(f"    payments: [{{date: 2024-10-01, amount: {rng.randrange(900)}}}]"
                         .encode())
        if rng.random() < 0.2:
            lines.append(b"    # a comment")
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("seed", range(30))
def test_random_edits_always_equal_the_whole_parse(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_file(rng, 12)
    state: ParsedFile = parse_with_items(REL, text, parse_contract_file, None)
    for _ in range(4):
        lines = text.split(b"\n")
        k = rng.randrange(1, len(lines) - 1)
        edit = rng.choice(["amount", "insert", "delete", "swap", "break"])
        if edit == "amount":
            lines[k] = lines[k].replace(b"amount: ", b"amount: 1")
        elif edit == "insert":
            lines.insert(k, b"    # inserted")
        elif edit == "delete" and not lines[k].startswith(b"  - id:"):
            del lines[k]
        elif edit == "swap":
            lines[k], lines[k + 1] = lines[k + 1], lines[k]
        else:
            lines[k] = lines[k].replace(b": ", b": [", 1)
        text = b"\n".join(lines)
        state = parse_with_items(REL, text, parse_contract_file, state)
        assert state.parsed == parse_contract_file(REL, text)


def _reference_items(data: bytes) -> list[tuple[int, bytes]] | None:
    """``split_items``'s rule, line by line: comments and ``contracts:``, then items that each
    start with "-" at one indent, every other line blank, a comment or indented deeper."""
    if any(mark in data for mark in (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9",
                                     b"\xef\xbb\xbf")):
        return None
    lines = data.split(b"\n")
    blank_or_comment = [not ln.strip(b" ") or ln.lstrip(b" ").startswith(b"#") for ln in lines]
    i = 0
    while i < len(lines) - 1 and blank_or_comment[i]:
        i += 1
    header = lines[i].split(b"#")[0] if lines[i].startswith(b"contracts: ") else lines[i]
    if i == len(lines) - 1 or header.rstrip(b" ") != b"contracts:" or \
            (header != lines[i] and not lines[i].startswith(b"contracts: ")):
        return None
    starts, n = [], None
    for k in range(i + 1, len(lines)):
        line = lines[k]
        if blank_or_comment[k]:
            continue
        indent = len(line) - len(line.lstrip(b" "))
        is_item = line[indent:indent + 2] == b"- " or line[indent:] == b"-"
        if n is None:
            if not is_item:
                return None
            n = indent
        if indent == n and is_item:
            starts.append(k)
        elif indent <= n:
            return None
    if not starts:
        return None
    items = []
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        text = b"\n".join(lines[a:b]) + (b"\n" if b < len(lines) else b"")
        items.append((a + 1, text if text.endswith(b"\n") else text + b"\n"))
    return items


@pytest.mark.parametrize("seed", range(3))
def test_split_items_follows_its_rule_line_by_line(seed: int) -> None:
    from test_input_yamlfast import _generated, _mutated

    rng = random.Random(seed)
    sources = list(_generated().values()) + [
        "contracts:\n- id: a\n-\n- x\n", "contracts:\n  - a\n  -", "contracts:  # c\n  - a\n",
        "# c\n\ncontracts:\n  - a\n \t- b\n", "contracts:\n  - a\n  # c\n #d\n   x\n  - b",
        "contracts:\n  -a\n", "contracts:\n  - a\n  -\tb\n", "contracts:\n\n  - a\n\n\n"]
    split = 0
    for k in range(1500):
        source = sources[k] if k < 8 else rng.choice(sources)
        lines = source.split("\n")
        text = "\n".join(lines[:2] + lines[rng.randrange(2, max(3, len(lines))):][:40])
        if k >= 8 and rng.random() < 0.8:
            text = _mutated(text, rng)
        data = text.encode("utf-8", "surrogatepass")
        items = split_items(data)
        found = None if items is None else [(it.first_line, it.text) for it in items]
        assert found == _reference_items(data), data
        split += found is not None
    assert split > 100
