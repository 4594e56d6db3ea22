"""No input crashes the CLI: every run succeeds, or exits 1 with nothing but ``Error:`` lines.

Hypothesis writes report projects whose files range from valid records to garbage: random
field values and types, unknown keys, missing fields, bad dates, nested junk, YAML tags,
anchors and alias bombs, deep nesting, huge strings, binary bytes, broken syntax. ``check``
runs on many of them (cheap), ``build`` on fewer. A few fixed hostile inputs are also checked
for a quick refusal.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jssreport.cli import main
from jssreport.input.fields import DATE_MAX

AS_OF = "2026-06-30"
EXAMPLE_SECONDS = 20  # far above any real example; a hang is a bug, not a slow test
QUICK_SECONDS = 5.0  # hostile inputs must be refused at least this fast

FIELDS = (
    "id", "client", "title", "type", "start", "end", "paused", "payments", "earned",
    "last_payment", "refunded", "feedback", "ended_by", "end_reason", "dispute",
    "client_flagged", "removed", "last_activity", "notes",
)
FEEDBACK_FIELDS = ("date", "stars", "scores", "recommend", "comment")
SCORES = ("skills", "quality", "availability", "deadlines", "communication", "cooperation")

# -- strategies -----------------------------------------------------------------------------
# Hypothesis decides the shape of a project (which files, how many records, how each file is
# damaged), so failures shrink to few files and records; the values inside a record come from
# a ``random.Random`` seeded by one draw, which keeps an example at a few milliseconds.

ODD_TEXT = ("", " ", "yes", "no", "~", "NULL", "1e400", ".nan", "-.inf", "0x1F", "12:30:00",
            "2020-02-30", "2020-13-01", "20200101", "-1", "<script>alert(1)</script>",
            "a\nb", "\u202e\u2028x", "x" * 10_001, "é" * 50, "{{ 7 * 7 }}", "' OR 1=1 --")
ODD_NUMBERS = (0, -1, 1, 2, 5, 10, 11, 100, 10**30, -(10**30), 0.0, -0.0, 1e308, 1e-320, 4.6,
               float("inf"), float("-inf"), float("nan"))
# Numbers at and beyond every bound: too large for a float, sums that overflow to infinity,
# the ten-million limit and a cent above it.
EXTREME_AMOUNTS = (10**400, 10**4000, -(10**400), 2**1024, 1.7976931348623157e308, 1e308,
                   9.9e307, 10_000_000, 10_000_000.01, 9_999_999.99, 5e-324, -0.0, 0.001,
                   float("nan"), float("inf"))
# Dates at and beyond the ends of the calendar and of the allowed range, and leap days.
EXTREME_DAYS = (dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1999, 12, 31),
                dt.date(2000, 1, 1), dt.date(2000, 2, 29), dt.date(2020, 2, 29),
                dt.date(2024, 2, 29), dt.date(2100, 2, 28), dt.date(1970, 1, 1),
                dt.date(DATE_MAX.year, 12, 31), dt.date(DATE_MAX.year + 1, 1, 1))
# The same as text no YAML writer can make: more digits than Python converts, odd spellings.
RAW_EXTREMES = ("9" * 5000, "1" + "0" * 4400, "1.0e+309", "-1.0e+309", ".NaN", ".Inf", "-.inf",
                "1e308", "nan", "inf", "0x" + "f" * 300, "0o7777777777777777777777777777",
                "1_000_000_000_000", "190:20:30", "-0.0", "0001-01-01", "9999-12-31",
                "10000-01-01", "2023-02-29", "2024-02-29", "0000-00-00")


class Fuzz:
    """Record values from a seeded ``random.Random``: valid ones, and junk."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def text(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return rng.choice(ODD_TEXT)
        alphabet = "abcdefghij ABC-_.:#&'\"\\/\t\u00e9\u4e2d\U0001f600\x00\x1e\x85"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))

    def day(self) -> dt.date:
        if self.rng.random() < 0.02:
            return self.rng.choice(EXTREME_DAYS)
        return dt.date(2012, 1, 1) + dt.timedelta(days=self.rng.randint(0, 5800))

    def amount(self, low: float, high: float) -> float:
        if self.rng.random() < 0.03:
            return self.rng.choice(EXTREME_AMOUNTS)
        return round(self.rng.uniform(low, high), 2) or 1

    def junk(self, depth: int = 0) -> Any:
        rng = self.rng
        k = rng.randint(0, 9 if depth < 3 else 6)
        if k == 0:
            return None
        if k == 1:
            return rng.choice([True, False])
        if k == 2:
            return rng.choice(ODD_NUMBERS + EXTREME_AMOUNTS)
        if k == 3:
            return rng.uniform(-1e6, 1e6) if rng.random() < 0.5 else rng.randint(-1000, 10**6)
        if k in (4, 5):
            return self.text()
        if k == 6:
            return self.day() if rng.random() < 0.7 else dt.datetime(
                rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23))
        if k in (7, 8):
            return [self.junk(depth + 1) for _ in range(rng.randint(0, 3))]
        keys = [self.text(), rng.randint(-5, 5), True, None, self.day()]
        return {rng.choice(keys): self.junk(depth + 1) for _ in range(rng.randint(0, 3))}

    def contract(self, index: int) -> dict[str, Any]:
        """A valid contract record (before ``mutate``)."""
        rng = self.rng
        start = self.day()
        end = later(start, rng.randint(0, 900))
        c: dict[str, Any] = {
            "id": rng.choice([f"c-{index}", f"acme-logo-{index}", f"{index}x"])
            if rng.random() < 0.95 else self.text(),
            "client": rng.choice(["Acme", "Birch & Co", "<b>Bold</b>", "Zoë"]),
            "title": rng.choice(["Logo", "Web <i>site</i>", "{{ title }}", "Data entry"]),
            "type": rng.choice(["fixed", "hourly"]),
            "start": start,
        }
        ended = rng.random() < 0.6
        if ended:
            c["end"] = end
        total = 0.0
        if rng.random() < 0.6:
            c["payments"] = [
                {"date": later(start, rng.randint(0, 900)),
                 "amount": self.amount(0.01, 5000)}
                for _ in range(rng.randint(0, 8))
            ]
            try:
                total = float(sum(p["amount"] for p in c["payments"]))
            except OverflowError:  # an int too large for a float next to a float
                total = float("inf")
        elif rng.random() < 0.4:
            c["earned"] = total = self.amount(0, 10_000)
            c["last_payment"] = end
        if total and rng.random() < 0.2:
            share = self.amount(0, 1)
            try:
                c["refunded"] = round(float(share) * float(total), 2)
            except OverflowError:  # an extreme amount: refund that instead
                c["refunded"] = share
        if ended and rng.random() < 0.7:
            fb: dict[str, Any] = {"date": end, "stars": rng.choice([5.0, 5, 4.6, 4.25, 3.4, 1.0])}
            if rng.random() < 0.4:
                fb["scores"] = {n: rng.randint(1, 5) for n in SCORES}
            if rng.random() < 0.3:
                fb["recommend"] = rng.randint(0, 10)
            if rng.random() < 0.5:
                fb["comment"] = self.text()
            c["feedback"] = fb
            c["ended_by"] = rng.choice(["client", "freelancer", "platform"])
            c["end_reason"] = rng.choice(["completed", "unresponsive", "cancelled", "dispute",
                                          "refunded", "other"])
        for flag in ("paused", "dispute", "client_flagged", "removed"):
            if rng.random() < 0.1:
                c[flag] = rng.random() < 0.5
        if rng.random() < 0.3:
            c["last_activity"] = later(start, rng.randint(0, 400))
        if rng.random() < 0.2:
            c["notes"] = rng.choice(["**bold** <script>alert(1)</script>", "- a\n- b",
                                     "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>"])
        return c

    def mutate(self, record: dict[str, Any], fields: tuple[str, ...], times: int) -> Any:
        """Break ``record`` in ``times`` ways: drop, retype or misspell a field, damage a
        nested one, or replace the record by junk."""
        rng = self.rng
        out: dict[Any, Any] = dict(record)
        for _ in range(times):
            how = rng.randint(0, 6)
            key = rng.choice(fields)
            if how == 0:
                out.pop(key, None)
            elif how in (1, 2):
                out[key] = self.junk()
            elif how == 3:
                typo = rng.choice([key + "s", key.upper(), key[:-1], "colour", "x" * 200,
                                   f"{key}\nx", f"{key}\r", "\u2028", self.text()])
                out[typo] = out.pop(key, 1)
            elif how == 4 and isinstance(out.get("feedback"), dict):
                fb = dict(out["feedback"])
                fb[rng.choice([*FEEDBACK_FIELDS, "stars ", "extra"])] = self.junk()
                out["feedback"] = fb
            elif how == 5 and isinstance(out.get("payments"), list) and out["payments"]:
                pays = list(out["payments"])
                pays[rng.randrange(len(pays))] = rng.choice(
                    [self.junk(), {"date": self.junk(), "amount": self.junk()}])
                out["payments"] = pays
            elif how == 6:
                return self.junk()
        return out

    def yaml_text(self, value: Any, damage: int) -> str | bytes:
        """``value`` as YAML; ``damage`` > 0 picks a way to break the file itself."""
        rng = self.rng
        if damage == 1:
            return rng.randbytes(rng.randint(0, 300))
        if damage == 2:
            return rng.choice(HOSTILE)
        if damage == 3:
            depth = rng.choice([19, 20, 21, 100, 5000])
            return "contracts: " + "[" * depth + "]" * depth + "\n"
        if damage == 4:
            size = rng.choice([9_999, 10_001, 300_000])
            return f"contracts:\n  - id: a\n    client: {'x' * size}\n"
        text = dump(value, rng.choice([False, None, True]), rng.random() < 0.5)
        if damage == 5 and text:
            cut = rng.randint(0, len(text))
            return text[:cut] + rng.choice(["", "[", "{", ": :", "\t", "'", "\x07", "&a", "*a"])
        if damage == 6:
            return text + rng.choice(HOSTILE)
        if damage == 8:  # a number or date as no YAML writer would write it
            spots = list(re.finditer(r"(?<=: )[-0-9.e+]+(?=[,}\n])", text))
            if spots:
                spot = rng.choice(spots)
                return text[:spot.start()] + rng.choice(RAW_EXTREMES) + text[spot.end():]
            return text
        if damage == 7:
            data = bytearray(text.encode("utf-8"))
            for _ in range(rng.randint(1, 4)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
            return bytes(data)
        return text


HOSTILE = (
    "!!python/object/apply:os.system ['echo pwned']\n",
    "contracts: !!python/name:os.system\n",
    "contracts: !!binary aGVsbG8=\n",
    "contracts: !custom {a: 1}\n",
    "contracts: !!set {a, b}\n",
    "contracts: !!omap [{a: 1}]\n",
    "a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
    "contracts:\n  - &c {id: a, client: b}\n  - *c\n",
    "base: &b {type: fixed}\ncontracts:\n  - <<: *b\n    id: x\n",
    "---\ncontracts: []\n---\ncontracts: []\n",
    "contracts: []\ncontracts: []\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 1\n",
    "{1: 2, null: 3, 2020-01-01: 4, true: 5}\n",
    "contracts: [{id: x, start: 2020-01-01T10:00:00Z}]\n",
    "%YAML 1.2\n---\ncontracts: []\n",
    "%TAG ! tag:example.com,2000:\n---\ncontracts: !foo []\n",
    "contracts: [\n",
    "contracts: {\n",
    "contracts: '\n",
    "\tcontracts: []\n",
    "contracts:\n- a\n - b\n",
    "\ufeffcontracts: []\n",
    'contracts: "\\x00\\ud800"\n',
    'contracts: ["\\N\\_\\L\\P"]\n',
    'name: "\\ud83d"\ncontracts: []\n',
    "contracts: 1_000\n",
    "- just\n- a\n- list\n",
    "just a string\n",
    "=: 1\n",
    "<<: 1\n",
    "",
    "\n\n\n",
    "# only a comment\n",
)


def later(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, or the calendar's last day."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def dump(value: Any, flow: bool | None, unicode: bool) -> str:
    return yaml.dump(value, Dumper=DUMPER, sort_keys=False, default_flow_style=flow,
                     allow_unicode=unicode)


class DUMPER(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """No anchors for values used twice: they are refused, and would mask everything else."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


damage = st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8])
breaks = st.sampled_from([0, 0, 0, 1, 2, 3])  # how many ways a record is broken


@st.composite
def project(draw: st.DrawFn, valid_share: float = 0.3) -> dict[str, str | bytes]:
    """A report project as ``{relative path: text or bytes}``."""
    fz = Fuzz(draw(st.integers(0, 2**32 - 1)))
    rng = fz.rng
    pristine = rng.random() < valid_share  # a share of projects with no damage at all
    files: dict[str, str | bytes] = {}
    profile: dict[str, Any] = {"name": rng.choice(["Bianca B.", "Zoë <x>", fz.text()]),
                               "currency": rng.choice(["USD", "EUR", "usd", "XYZ"])}
    if rng.random() < 0.5:
        profile["as_of"] = fz.day()
    if rng.random() < 0.5:
        profile["snapshots"] = [{"date": fz.day(), "jss": rng.randint(0, 100),
                                 "would_recommend": rng.randint(0, 100)}
                                for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.2:
        profile["rules"] = rng.choice(["auto", "upwork-2015", "upwork-2025", "upwork-2020-11"])
    if pristine:
        profile["name"], profile["currency"] = "Bianca B.", "USD"
    if pristine or draw(st.integers(0, 14)):  # sometimes there is no profile at all
        n = 0 if pristine else draw(breaks)
        broken = fz.mutate(profile, ("name", "currency", "rules", "as_of", "snapshots"), n)
        files["content/profile.yml"] = fz.yaml_text(broken, 0 if pristine else draw(damage))
    ids: list[str] = []
    for n in range(draw(st.integers(0, 3))):
        records = []
        for i in range(draw(st.integers(0, 6))):
            c = fz.contract(n * 10 + i)
            ids.append(str(c["id"]))
            records.append(c if pristine else fz.mutate(c, FIELDS, draw(breaks)))
        top: Any = {"contracts": records}
        name = f"{2020 + n}.yml"
        if not pristine and not draw(st.integers(0, 9)):
            top = rng.choice([records, {"contracts": None}, {"contract": records}, fz.junk()])
        if not pristine and not draw(st.integers(0, 9)):
            name = rng.choice([f"file {n}.yml", f"é{n}.yml", f"{n}.yaml", f".hidden{n}.yml",
                               f"{n}.txt", f"{n}.YML"])
        files[f"content/contracts/{name}"] = fz.yaml_text(top, 0 if pristine else draw(damage))
    if not draw(st.integers(0, 3)):
        action = rng.choice([
            {"close": rng.choice(ids or ["none"]), "on": fz.day(), "feedback": {"stars": 5}},
            {"add": fz.contract(99)},
        ])
        scenario: Any = {"name": "What if", "actions": [action]}
        if not pristine:
            scenario = fz.mutate(scenario, ("name", "actions"), draw(breaks))
        files["content/scenarios/what-if.yml"] = fz.yaml_text(scenario, 0 if pristine
                                                              else draw(damage))
    if not draw(st.integers(0, 4)):
        front = fz.yaml_text({"title": fz.text(), "order": rng.choice([1, -3, "x", None])},
                             0 if pristine else draw(damage))
        body = rng.choice(["# About\n\n<script>x</script>", "text", "```\ncode", fz.text()])
        page = front if isinstance(front, bytes) else f"---\n{front}---\n{body}\n"
        files[f"content/pages/{rng.choice(['about', 'index', '---', 'Ab c'])}.md"] = page
    if not draw(st.integers(0, 4)):
        conf: Any = {"title": fz.text(), "rules": "auto", "top_actions": rng.randint(0, 5),
                     "dormancy": {"hourly": {"quiet": 14, "dormant": 30}},
                     "base_url": rng.choice(["https://example.com/r", "ftp://x", ""])}
        if not pristine:
            conf = fz.mutate(conf, ("title", "rules", "top_actions", "dormancy", "base_url",
                                    "redact", "as_of"), draw(breaks))
        files["jssreport.yml"] = fz.yaml_text(conf, 0 if pristine else draw(damage))
    return files


# -- running --------------------------------------------------------------------------------


class ExampleTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: Any) -> None:
        raise ExampleTimeout(f"the command took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return root


def invoke(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    with time_limit(EXAMPLE_SECONDS):
        return CliRunner().invoke(main, args, env=env)


def assert_clean(result: Result, files: dict[str, str | bytes] | None = None) -> None:
    """Exit 0, or exit 1 with only ``Error:`` lines on stderr; never a traceback."""
    shown = "" if files is None else "\n".join(f"--- {k}\n{v!r}"[:2000] for k, v in files.items())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        trace = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"crashed:\n{trace}\nstderr:\n{result.stderr}\ninput:\n{shown}")
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.output}\n{shown}"
    assert "Traceback" not in result.output, f"{result.output}\n{shown}"
    if result.exit_code == 1:
        # A line ends at \n or \r (what a terminal or a log shows), not at every character
        # str.splitlines() knows, such as \x1e or \u2028.
        lines = re.split(r"\r\n|\r|\n", result.stderr.rstrip("\n"))
        assert lines, f"exit 1 without a message\n{shown}"
        bad = [line for line in lines if not line.startswith("Error: ")]
        assert not bad, f"stderr lines not starting with 'Error: ': {bad[:5]}\n{shown}"


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example],
    )


@fuzz(2000)
@given(project(valid_share=0.3))
def test_check_never_crashes(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), files)
        assert_clean(invoke(["check", "--project", str(root)]), files)


@fuzz(60)
@given(project(valid_share=0.6))
def test_build_never_crashes(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp) / "project", files)
        site = Path(tmp) / "site"  # never where a fuzzed jssreport.yml 'output' points
        result = invoke(["build", "--as-of", AS_OF, "--project", str(root), "-o", str(site)])
        assert_clean(result, files)
        if result.exit_code == 0:
            assert (site / "index.html").is_file()


REPORT_DATES = (None, AS_OF, "0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01",
                "2000-02-29", "2024-02-29", DATE_MAX.isoformat(), f"{DATE_MAX.year + 1}-01-01")
EPOCHS = (None, "0", "946684800", "1709164800", "-1", "-62135596800", "253402300799",
          "253402300800", "99999999999999999999", "1e9", "nan", "")


@fuzz(40)
@given(project(valid_share=0.6), st.sampled_from(REPORT_DATES), st.sampled_from(EPOCHS))
def test_build_at_any_report_date_never_crashes(files: dict[str, str | bytes],
                                                as_of: str | None, epoch: str | None) -> None:
    """The report date from the flag, the records or SOURCE_DATE_EPOCH, at the ends of the
    calendar: a build or a clear error, and quickly (``EXAMPLE_SECONDS``)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp) / "project", files)
        site = Path(tmp) / "site"
        flag = [] if as_of is None else ["--as-of", as_of]
        result = invoke(["build", *flag, "--project", str(root), "-o", str(site)],
                        env={"SOURCE_DATE_EPOCH": epoch})
        assert_clean(result, files)


# -- hostile files, one by one: refused quickly and clearly ---------------------------------

HOSTILE_FILES: dict[str, Callable[[Path], object]] = {
    "alias bomb": lambda p: p.write_text(
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                  for i in range(9))
        + "contracts: *j\n"),
    "deep nesting": lambda p: p.write_text("contracts: " + "[" * 1_000_000 + "]" * 1_000_000),
    "huge string": lambda p: p.write_text("contracts:\n  - id: " + "x" * 20_000_000 + "\n"),
    "huge file": lambda p: _sparse(p, 200 * 1024 * 1024),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 1000),
    "python tag": lambda p: p.write_text("contracts: !!python/object/apply:os.system [id]\n"),
}


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as f:
        f.write(b"contracts:\n  - id: ")
        f.truncate(size)


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_file_is_refused_quickly(name: str, make_project: Callable[..., Path]) -> None:
    root = make_project({"content/profile.yml": "name: Test\n"})
    target = root / "content/contracts/bad.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    HOSTILE_FILES[name](target)
    began = time.perf_counter()
    result = invoke(["check", "--project", str(root)])
    took = time.perf_counter() - began
    assert_clean(result)
    assert result.exit_code == 1
    assert "content/contracts/bad.yml" in result.stderr
    assert took < QUICK_SECONDS, f"{name}: refused after {took:.1f} s"
