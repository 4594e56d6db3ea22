"""Validation of what-if scenarios (``content/scenarios/*.yml``) against the contracts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jssreport.input.fields import Checker, hint, shown
from jssreport.input.recordcheck import check_contract, check_feedback
from jssreport.input.yamlload import YMap
from jssreport.model.types import AddAction, CloseAction, Contract, Scenario

SCENARIO_FIELDS = frozenset({"name", "actions"})
CLOSE_FIELDS = frozenset({"close", "on", "feedback"})
ADD_FIELDS = frozenset({"add"})


def check_scenario(
    ck: Checker,
    value: Any,
    slug: str,
    known: Mapping[str, tuple[str, int]],
    contracts: Mapping[str, Contract],
) -> Scenario | None:
    """A what-if scenario. ``known``: every contract id in the records (even invalid ones),
    with its location; ``contracts``: the valid contracts by id."""
    if value is None:
        value = YMap(1)
    m = ck.mapping(value, 1, "", "the file")
    if m is None:
        return None
    before = len(ck.problems)
    name = ck.text(m, "name", "", required=True)
    where = f"scenario '{shown(name)}'" if name else ""
    ck.unknown(m, SCENARIO_FIELDS, where)
    raw = m.values.get("actions")
    seq = None
    if raw is None:
        ck.add(m.lines.get("actions", m.line), where, "actions is required")
    else:
        seq = ck.sequence(raw, m.lines["actions"], where, "actions")
    actions: list[CloseAction | AddAction] = []
    added: dict[str, str] = {}  # id -> the action that added it
    closed: dict[str, str] = {}  # id -> the action that closed it
    for i, item in enumerate(seq.items if seq else ()):
        label = f"actions[{i}]"
        a = ck.mapping(item, seq.lines[i] if seq else 0, where, label)
        if a is None:
            continue
        has_close, has_add = "close" in a.values, "add" in a.values
        if has_close == has_add:
            either = "either close or add, not both" if has_close else "close or add"
            ck.add(a.line, where, f"{label} must have {either}")
            continue
        if has_add:
            ck.unknown(a, ADD_FIELDS, where, label + ".")
            contract = check_contract(ck, a.values["add"], a.lines["add"], where, label + ".add.")
            if contract is None:
                continue
            clash = known.get(contract.id)
            if clash or contract.id in added:
                by = f"a contract at {clash[0]}:{clash[1]}" if clash else added[contract.id]
                ck.add(
                    a.lines["add"], where, f"{label}.add.id '{contract.id}' is already used by {by}"
                )
                continue
            added[contract.id] = label
            actions.append(AddAction(contract))
            continue
        close = _close(ck, a, label, where, known, contracts, added, actions, closed)
        if close is not None:
            closed[close.contract] = label
            actions.append(close)
    if len(ck.problems) > before or name is None:
        return None
    lines = tuple(seq.lines[:len(actions)]) if seq else ()
    return Scenario(name=name, actions=tuple(actions), slug=slug, action_lines=lines)


def _close(
    ck: Checker,
    a: YMap,
    label: str,
    where: str,
    known: Mapping[str, tuple[str, int]],
    contracts: Mapping[str, Contract],
    added: Mapping[str, str],
    actions: list[CloseAction | AddAction],
    closed: Mapping[str, str],
) -> CloseAction | None:
    prefix = label + "."
    ck.unknown(a, CLOSE_FIELDS, where, prefix)
    cid = ck.text(a, "close", where, prefix, required=True)
    on = ck.date(a, "on", where, prefix, required=True)
    feedback = None
    if a.values.get("feedback") is not None:
        feedback = check_feedback(
            ck, a.values["feedback"], a.lines["feedback"], where, prefix + "feedback."
        )
    if cid is None:
        return None
    line = a.lines["close"]
    if cid not in known and cid not in added:
        tip = hint(cid, [*known, *added]) if len(known) < 5000 else ""
        ck.add(line, where, f"{prefix}close: unknown contract '{shown(cid)}'{tip}")
        return None
    if cid in closed:
        ck.add(line, where, f"{prefix}close: '{cid}' is already closed by {closed[cid]}")
        return None
    contract = contracts.get(cid)
    if contract is None:
        contract = next(
            (x.contract for x in actions if isinstance(x, AddAction) and x.contract.id == cid),
            None,
        )
    if contract is None or on is None:
        return None  # the contract itself is invalid and already reported
    if contract.end is not None and on >= contract.end:
        ck.add(line, where, f"{prefix}close: '{cid}' already ended on {contract.end}")
        return None
    if on < contract.start:
        ck.add(a.lines["on"], where, f"{prefix}on {on} is before '{cid}' starts ({contract.start})")
        return None
    if feedback is None and a.values.get("feedback") is not None:
        return None
    return CloseAction(contract=cid, on=on, feedback=feedback)
