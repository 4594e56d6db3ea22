"""A large generated history: exact totals and duplicates found (100,000 rows: see the
importer's report; about 2 s on one core)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

from jssreport.importers.upwork_csv import run_import

SENTENCE_CASE = (
    "Date,Transaction ID,Transaction type,Transaction summary,Transaction summary details,"
    "Description 1,Description 2,Description 3,Agency team,Freelancer,Client team,Account name,"
    "PO,Ref ID,Amount $,Amount in local currency,Currency,Current balance $,Payment method"
)
LEGACY = (
    "Date,Ref ID,Type,Description,Agency,Freelancer,Team,Account Name,PO,Amount,"
    "Amount in local currency,Currency,Balance"
)


def _money(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def generate(rows: int, seed: int) -> tuple[list[str], list[str], dict[str, int]]:
    """Sentence-case and legacy rows (earning + fee pairs, some bonuses) and the gross
    cents per client they hold."""
    rnd = random.Random(seed)
    gross: dict[str, int] = defaultdict(int)
    modern: list[str] = []
    legacy: list[str] = []
    for n in range(rows // 4):
        cents = rnd.randrange(100, 900_000)
        client = f"Client {rnd.randrange(300)} – Ü"
        day = date(2023, 1, 1) + timedelta(days=rnd.randrange(1200))
        when = day.strftime("%b %d, %Y")
        kind = "Hourly" if n % 3 else "Fixed-price"
        title = f"Job {rnd.randrange(5)}"
        modern.append(f'"{when}",{n},{kind},{title},Invoice,,,,,Sam,{client},Sam,,{n}1,'
                      f'"${_money(cents)}",,,1.00,')
        modern.append(f'"{when}",{n},Service Fee,{title},Fee,,,,,Sam,{client},Sam,,{n}2,'
                      f'"({_money(cents // 10)})",,,1.00,')
        gross[client] += cents
        old = day - timedelta(days=1500)
        team = f"Old client {rnd.randrange(200)}"
        kind = ("Hourly", "Fixed Price", "Bonus")[n % 3]
        desc = ("Invoice for 01/01/2019-01/07/2019 - 2:30 hrs @ $30.00/hr",
                f"Invoice for Site {n % 7} - Milestone 1", "Bonus")[n % 3]
        legacy.append(f'"{old.strftime("%b %d, %Y")}",{n}1,{kind},{desc},,Sam,{team},{team},,'
                      f'"{_money(cents)}",x,USD,1.00')
        legacy.append(f'"{old.strftime("%b %d, %Y")}",{n}2,Service Fee,Fee,,Sam,{team},{team},,'
                      f"-{_money(cents // 10)},x,USD,1.00")
        gross[team] += cents
    return modern, legacy, gross


def test_twenty_thousand_rows_exact_to_the_cent(tmp_path: Path) -> None:
    modern, legacy, gross = generate(20_000, seed=5)
    # Two overlapping exports of each layout, as users download them.
    half = len(modern) // 2
    files = {
        "new-a.csv": (SENTENCE_CASE, modern[: half + 1000]),
        "new-b.csv": (SENTENCE_CASE, modern[half - 1000:]),
        "old-a.csv": (LEGACY, legacy[: half + 500]),
        "old-b.csv": (LEGACY, legacy[half - 500:]),
    }
    for name, (header, rows) in files.items():
        text = "\ufeff" + "\r\n".join([header, *rows]) + "\r\n"
        (tmp_path / name).write_text(text, encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / n for n in files], today=date(2027, 1, 1),
                   echo=lambda line: None)
    assert s.rows_read == 20_000 + 2000 + 1000
    assert s.rows_skipped == {"duplicate": 3000, "fee": 10_000}
    assert s.payments_added == 10_000
    text = (tmp_path / "content/contracts/imported.yml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found: Counter[str] = Counter()
    for contract in data["contracts"]:
        for p in contract["payments"]:
            found[contract["client"]] += int(Decimal(str(p["amount"])) * 100)
    assert dict(found) == gross
    again = run_import(tmp_path, [tmp_path / n for n in files], today=date(2027, 1, 1),
                       echo=lambda line: None)
    assert again.changes == ()
