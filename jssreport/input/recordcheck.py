"""Validation of the record format (docs/records.md): parsed YAML values -> frozen records.

Every check reports into a ``Checker`` and carries on, so one run lists every problem.
A record is returned only when it had no problem of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jssreport.input.fields import DATE_MAX, DATE_MIN, MAX_AMOUNT, Checker, describe, shown
from jssreport.input.pages import depth_problem
from jssreport.input.yamlload import YMap
from jssreport.model.rules import RULE_IDS
from jssreport.model.types import (
    CONTRACT_TYPES,
    END_REASONS,
    ENDED_BY,
    SCORE_NAMES,
    Contract,
    Feedback,
    Payment,
    Profile,
    Snapshot,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
_ID = re.compile(ID_PATTERN)
_CURRENCY = re.compile(CURRENCY_PATTERN)

PROFILE_FIELDS = frozenset({"name", "currency", "rules", "as_of", "snapshots"})
SNAPSHOT_FIELDS = frozenset({"date", "jss", "would_recommend"})
CONTRACT_FILE_FIELDS = frozenset({"contracts"})
CONTRACT_FIELDS = frozenset(
    {
        "id", "client", "title", "type", "start", "end", "paused", "payments", "earned",
        "last_payment", "refunded", "feedback", "ended_by", "end_reason", "dispute",
        "client_flagged", "removed", "last_activity", "notes", "source",
    }
)  # fmt: skip
PAYMENT_FIELDS = frozenset({"date", "amount"})
FEEDBACK_FIELDS = frozenset({"date", "stars", "scores", "recommend", "comment"})
SCORE_FIELDS = frozenset(SCORE_NAMES)
_FLAGS = ("paused", "dispute", "client_flagged", "removed")


def check_profile(ck: Checker, value: Any) -> Profile | None:
    """The freelancer's profile from ``content/profile.yml``."""
    if value is None:
        value = YMap(1)
    m = ck.mapping(value, 1, "", "the file")
    if m is None:
        return None
    before = len(ck.problems)
    ck.unknown(m, PROFILE_FIELDS, "")
    name = ck.text(m, "name", "", required=True)
    currency = ck.text(m, "currency", "")
    if currency is not None and not _CURRENCY.match(currency):
        ck.add(
            m.lines["currency"],
            "",
            f"currency must be a three-letter ISO 4217 code in capitals like USD, "
            f"got {describe(currency)}",
        )
    rules = ck.choice(m, "rules", RULE_IDS, "")
    as_of = ck.date(m, "as_of", "")
    snapshots: list[Snapshot] = []
    raw = m.values.get("snapshots")
    seq = None
    if raw is not None:
        seq = ck.sequence(raw, m.lines["snapshots"], "", "snapshots")
    for i, item in enumerate(seq.items if seq else ()):
        prefix = f"snapshots[{i}]."
        s = ck.mapping(item, seq.lines[i] if seq else 0, "", prefix[:-1])
        if s is None:
            continue
        ck.unknown(s, SNAPSHOT_FIELDS, "", prefix)
        when = ck.date(s, "date", "", prefix, required=True)
        jss = ck.number(s, "jss", "", prefix, low=0, high=100, whole=True)
        rec = ck.number(s, "would_recommend", "", prefix, low=0, high=100, whole=True)
        if when is not None:
            snapshots.append(Snapshot(when, _int(jss), _int(rec)))
    if len(ck.problems) > before or name is None:
        return None
    return Profile(
        name=name,
        currency=currency or "USD",
        rules=rules or "auto",
        as_of=as_of,
        snapshots=tuple(sorted(snapshots, key=lambda s: s.date)),
    )


def contract_where(value: Any, label: str) -> str:
    """``contract 'acme-logo'`` when the record has a usable id, else its position."""
    if value.__class__ is YMap:
        cid = value.values.get("id")
        if cid.__class__ is str and cid.strip() and len(cid) <= 100:
            return f"contract '{shown(cid)}'"
    return label


def check_contract(
    ck: Checker, value: Any, line: int, where: str, prefix: str = ""
) -> Contract | None:
    """One contract record; ``prefix`` places it inside a scenario (``actions[1].add.``)."""
    m = ck.mapping(value, line, where, prefix[:-1] if prefix else "the contract")
    if m is None:
        return None
    before = len(ck.problems)
    ck.unknown(m, CONTRACT_FIELDS, where, prefix)
    lines = m.lines
    cid = ck.text(m, "id", where, prefix, required=True)
    if cid is not None and not _ID.match(cid):
        ck.add(
            lines["id"],
            where,
            f"{prefix}id must be lowercase letters and digits, words joined by '-' "
            f"(like 'acme-logo'), got {describe(cid)}",
        )
    client = ck.text(m, "client", where, prefix, required=True)
    title = ck.text(m, "title", where, prefix, required=True)
    kind = ck.choice(m, "type", CONTRACT_TYPES, where, prefix, required=True)
    start = ck.date(m, "start", where, prefix, required=True)
    end = ck.date(m, "end", where, prefix)
    if start and end and end < start:
        ck.add(lines["end"], where, f"{prefix}end {end} is before start {start}")
    payments = _payments(ck, m, where, prefix, start)
    # (optional fields most records leave out are checked only when given: a checker finds
    # nothing to say about an absent one)
    given = m.values
    earned = ck.number(m, "earned", where, prefix, low=0, most=MAX_AMOUNT) \
        if "earned" in given else None
    if earned is not None and payments is not None:
        ck.add(
            lines["earned"],
            where,
            f"{prefix}earned cannot be given together with payments (give one or the other)",
        )
    last_payment = ck.date(m, "last_payment", where, prefix) if "last_payment" in given else None
    if last_payment is not None:
        if m.values.get("earned") is None:
            ck.add(
                lines["last_payment"], where, f"{prefix}last_payment is only allowed with earned"
            )
        elif start and last_payment < start:
            ck.add(
                lines["last_payment"],
                where,
                f"{prefix}last_payment {last_payment} is before start {start}",
            )
    refunded = ck.number(m, "refunded", where, prefix, low=0, most=MAX_AMOUNT) \
        if "refunded" in given else None
    if refunded and len(ck.problems) == before:
        total = earned or 0.0
        if payments:
            total = round(sum(p.amount for p in payments), 2)
        if refunded > total:
            ck.add(
                lines["refunded"],
                where,
                f"{prefix}refunded {_money(refunded)} is more than the {_money(total)} earned",
            )
    feedback = None
    raw = m.values.get("feedback")
    if raw is not None:
        feedback = check_feedback(ck, raw, lines["feedback"], where, prefix + "feedback.")
        if m.values.get("end") is None:
            ck.add(
                lines["feedback"],
                where,
                f"{prefix}feedback is given but the contract is open (it has no end date)",
            )
        elif feedback and feedback.date and start and feedback.date < start:
            ck.add(
                lines["feedback"],
                where,
                f"{prefix}feedback.date {feedback.date} is before start {start}",
            )
    ended_by = ck.choice(m, "ended_by", ENDED_BY, where, prefix)
    end_reason = ck.choice(m, "end_reason", END_REASONS, where, prefix)
    flags = [ck.flag(m, key, where, prefix) if key in given else None for key in _FLAGS]
    last_activity = ck.date(m, "last_activity", where, prefix) \
        if "last_activity" in given else None
    if last_activity and start and last_activity < start:
        ck.add(
            lines["last_activity"],
            where,
            f"{prefix}last_activity {last_activity} is before start {start}",
        )
    notes = ck.text(m, "notes", where, prefix) if "notes" in given else None
    too_deep = None if notes is None else depth_problem(notes)
    if too_deep is not None:
        ck.add(lines["notes"], where, f"{prefix}notes: {too_deep[1]}")
    source = ck.text(m, "source", where, prefix) if "source" in given else None
    if len(ck.problems) > before or not (cid and client and title and kind and start):
        return None  # a value the parser refused (INVALID) reports no problem of its own here
    return Contract(
        id=cid,
        client=client,
        title=title,
        type=kind,
        start=start,
        end=end,
        paused=bool(flags[0]),
        payments=payments or (),
        earned=earned,
        last_payment=last_payment,
        refunded=refunded or 0.0,
        feedback=feedback,
        ended_by=ended_by,
        end_reason=end_reason,
        dispute=bool(flags[1]),
        client_flagged=bool(flags[2]),
        removed=bool(flags[3]),
        last_activity=last_activity,
        notes=notes,
        source=source,
    )


def _payments(
    ck: Checker, m: YMap, where: str, prefix: str, start: dt.date | None
) -> tuple[Payment, ...] | None:
    raw = m.values.get("payments")
    if raw is None:
        return None
    seq = ck.sequence(raw, m.lines["payments"], where, prefix + "payments")
    if seq is None:
        return ()
    out: list[Payment] = []
    date_cls, new_payment = dt.date, tuple.__new__  # (a named tuple's own __new__ is Python)
    for i, item in enumerate(seq.items):
        if item.__class__ is YMap and len(item.values) == 2:
            # Fast path for the common, valid case: {date: <date>, amount: <positive number>}.
            when: Any = item.values.get("date")
            amount: Any = item.values.get("amount")
            cls = amount.__class__
            if (
                when.__class__ is date_cls
                and (cls is float or cls is int)
                and 0 < amount <= MAX_AMOUNT
                and DATE_MIN <= when <= DATE_MAX
                and (start is None or when >= start)
            ):
                out.append(new_payment(Payment, (when, float(amount))))  # Payment(when, ...)
                continue
        p_prefix = f"{prefix}payments[{i}]."
        p = ck.mapping(item, seq.lines[i], where, p_prefix[:-1])
        if p is None:
            continue
        ck.unknown(p, PAYMENT_FIELDS, where, p_prefix)
        when = ck.date(p, "date", where, p_prefix, required=True)
        amount = ck.number(p, "amount", where, p_prefix, required=True, above=0,
                           most=MAX_AMOUNT)
        if when is not None and start is not None and when < start:
            ck.add(p.lines["date"], where, f"{p_prefix}date {when} is before start {start}")
        elif when is not None and amount is not None:
            out.append(Payment(when, amount))
    out.sort(key=lambda p: p.date)
    total = sum(p.amount for p in out)
    if total > MAX_AMOUNT:
        ck.add(m.lines["payments"], where, f"{prefix}payments add up to {_money(total)}, more "
               f"than the {_money(MAX_AMOUNT)} a contract may earn")
    return tuple(out)


def check_feedback(ck: Checker, value: Any, line: int, where: str, prefix: str) -> Feedback | None:
    """A contract's feedback, or the feedback a scenario expects when it closes one."""
    m = ck.mapping(value, line, where, prefix[:-1])
    if m is None:
        return None
    before = len(ck.problems)
    ck.unknown(m, FEEDBACK_FIELDS, where, prefix)
    when = ck.date(m, "date", where, prefix)
    stars = ck.number(m, "stars", where, prefix, low=1, high=5)
    recommend = ck.number(m, "recommend", where, prefix, low=0, high=10, whole=True)
    comment = ck.text(m, "comment", where, prefix)
    scores: list[tuple[str, float]] = []
    raw = m.values.get("scores")
    if raw is not None:
        s_prefix = prefix + "scores."
        s = ck.mapping(raw, m.lines["scores"], where, s_prefix[:-1])
        if s is not None:
            ck.unknown(s, SCORE_FIELDS, where, s_prefix)
            for name in SCORE_NAMES:
                score = ck.number(s, name, where, s_prefix, low=1, high=5)
                if score is not None:
                    scores.append((name, score))
    if len(ck.problems) > before:
        return None
    return Feedback(
        date=when,
        stars=stars,
        scores=tuple(sorted(scores)),
        recommend=_int(recommend),
        comment=comment,
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _money(amount: float) -> str:
    return f"{amount:,.2f}"
