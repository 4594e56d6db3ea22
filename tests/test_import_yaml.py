"""The records writer: fixed style, and text that always loads back to the same values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jssreport.importers.yaml_writer import money, render_contracts


def test_layout_of_a_contract() -> None:
    doc = {"contracts": [{
        "source": "upwork-csv:Acme/Logo", "payments": [
            {"amount": Decimal("800"), "date": date(2025, 6, 2)},
            {"date": date(2025, 6, 9), "amount": 12.5},
        ],
        "refunded": 0, "type": "fixed", "title": "Logo: v2", "client": "Acme, Inc.",
        "id": "acme-logo", "start": date(2025, 6, 2), "end": date(2025, 6, 30),
        "feedback": {"comment": "Great", "stars": 5.0, "date": date(2025, 7, 1),
                     "scores": {"skills": 5, "quality": 4.5}},
        "notes": "line one\nline two\n", "dispute": False,
    }]}  # fmt: skip
    assert render_contracts(doc, "# head\n") == (
        "# head\n"
        "contracts:\n"
        "  - id: acme-logo\n"
        "    client: Acme, Inc.\n"
        "    title: 'Logo: v2'\n"
        "    type: fixed\n"
        "    start: 2025-06-02\n"
        "    end: 2025-06-30\n"
        "    payments:\n"
        "      - {date: 2025-06-02, amount: 800.00}\n"
        "      - {date: 2025-06-09, amount: 12.50}\n"
        "    refunded: 0.00\n"
        "    feedback:\n"
        "      date: 2025-07-01\n"
        "      stars: 5.0\n"
        "      scores: {skills: 5, quality: 4.5}\n"
        "      comment: Great\n"
        "    dispute: false\n"
        "    notes: |\n"
        "      line one\n"
        "      line two\n"
        "    source: upwork-csv:Acme/Logo\n"
    )


def test_empty_and_odd_documents() -> None:
    assert render_contracts({}) == "contracts: []\n"
    assert render_contracts({"contracts": [{}, "x"], "extra": {"a": [1, 2]}}) == (
        "contracts:\n  - {}\n  - x\nextra:\n  a: [1, 2]\n")  # fmt: skip


def test_money_keeps_more_precise_hand_typed_amounts() -> None:
    assert (money(800), money(12.5), money(Decimal("0.1")), money(0.125)) == (
        "800.00", "12.50", "0.10", "0.125")  # fmt: skip


text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
scalars = st.one_of(
    text, st.booleans(), st.none(), st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=True), st.dates(),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    client=text, title=text, notes=text, comment=text, extra=scalars,
    amounts=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"),
                                 places=2), max_size=4),
    key=st.text(min_size=1, max_size=8),
)  # fmt: skip
def test_any_record_loads_back_unchanged(client: str, title: str, notes: str, comment: str,
                                         extra: Any, amounts: list[Decimal], key: str) -> None:
    contract = {
        "id": "x", "client": client, "title": title, "type": "fixed", "start": date(2020, 1, 1),
        "payments": [{"date": date(2020, 1, 2), "amount": a} for a in amounts],
        "feedback": {"comment": comment, "scores": {key: extra}}, "notes": notes, key: extra,
    }  # fmt: skip
    out = render_contracts({"contracts": [contract]})
    loaded = yaml.safe_load(out)["contracts"][0]
    for p in loaded["payments"]:
        p["amount"] = Decimal(str(p["amount"])).quantize(Decimal("0.01"))
    assert loaded == contract
    assert render_contracts(yaml.safe_load(out)) == out


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZéß東 .,&'()/!?+%-_:#0*|>@`\"[]{}~=<\u0301\xa0"), max_size=12))
def test_plain_looking_text_loads_back(value: str) -> None:
    out = render_contracts({"contracts": [{"id": "x", "title": value,
                                           "payments": [{"date": value, "amount": 1}]}]})
    loaded = yaml.safe_load(out)["contracts"][0]
    assert (loaded["title"], loaded["payments"][0]["date"]) == (value, value)
