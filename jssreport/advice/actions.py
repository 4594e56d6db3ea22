"""Recommendations: one action per open or just-ended contract, its effect, and why.

Actions: ``keep`` (still earning), ``ask_to_close`` (ask the client to end it with feedback),
``close`` (end it yourself), ``ask_feedback`` (ended, feedback window still open) and ``wait``
(leave it open: nothing to gain now).

``effect`` is the change of the displayed JSS (whole points: the model's rounded score after
minus before, as the freelancer would see it) if the client then rates poorly / well: poor is
2 stars with private 3/10, good is 5 stars with private 10/10. It is computed by re-running
the model on the records with that one contract ended (with that feedback) on the action
date, on the first update date the change would show (``shows_on``), under the rule set in
force then. ``keep`` and ``wait`` change nothing, so their effect is (0, 0); for open
contracts ``close_effect`` still tells what ending it now would do.

Choosing between closing and waiting weighs ``close_effect`` by a rough chance of good
feedback ([I], ours: 50%, +20% when the client paid, +20% when the same client rated you well
before, -20% when nothing was paid, 5% after a dispute). A negative outcome costs more than a
success gains (the penalty and the denominator), so a client who went silent is usually a
gamble not worth taking; this is the community's advice too (docs/model.md, "Dormant open
contracts"): close only concluded work, ask satisfied clients, leave risky ones open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jssreport.advice.dormancy import Dormancy, OpenStatus, classify_open
from jssreport.advice.sim import (
    Money,
    Projector,
    Scorers,
    Updates,
    delta,
    dollars,
    ended,
    good_feedback,
    known_on,
    poor_feedback,
)
from jssreport.advice.words import ACTION_LABELS, MINUS, effect_words, sentences, split_top
from jssreport.model.outcomes import FEEDBACK_DAYS, judge
from jssreport.model.rules import RuleSet, resolve_rules, rules_in_force
from jssreport.model.types import Contract

ACTIONS = ("keep", "ask_to_close", "close", "ask_feedback", "wait")
_RANK = {"ask_feedback": 0, "ask_to_close": 1, "close": 2, "wait": 3, "keep": 4}
UNANSWERED_DAYS = 90  # silent this long: asking the client to close will likely go unanswered
HAPPY_STARS = 4.5


@dataclass(frozen=True)
class Recommendation:
    """The advice for one open or just-ended contract: the action, what it would do to the
    displayed JSS if the client then rates poorly or well, and why."""

    action: str  # one of ACTIONS
    contract: str
    effect: tuple[int, int] | None  # (if rated poorly, if rated well); None: no score shown
    shows_on: date | None  # the first update date the effect (or close_effect) shows
    why: str
    status: str  # active | quiet | dormant | ended
    rules: str  # the rule set the effect was computed under
    since: date | None = None  # last sign of life (open) or the end date (ended)
    idle_days: int | None = None
    close_effect: tuple[int, int] | None = None  # open: ended now, rated poorly / well
    good_chance: float | None = None  # [I] rough chance the client rates well
    expected: float | None = None  # close_effect weighted by good_chance
    counts_from: date | None = None  # older rules: when this idle open contract starts to count
    counts_effect: int | None = None  # the change of the displayed JSS then
    # as the pages show it (report.advice.display_recommendations): a draft to the client
    # (templates/messages/<action>.txt), the contract's title and client
    message: str = ""
    title: str = ""
    client: str = ""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def why_shown(self) -> tuple[str, str]:
        """(``why_short``, ``why_more``) worked out together: the built-in pages unpack both
        from one call."""
        parts = sentences(self.why)
        first = split_top(parts[0], "; ")[0].rstrip(";.") + "."
        last = parts[-1] if len(parts) > 1 and len(parts[-1]) <= 80 else ""
        short = f"{first} {last}".strip()
        return short, "" if short == self.why.strip() else self.why

    @property
    def why_short(self) -> str:
        """The reason in short: the first clause of ``why`` and its conclusion (its last
        sentence), e.g. ``Dormant: 140 days since the last activity (2026-02-10). Leave it
        open.``"""
        return self.why_shown[0]

    @property
    def why_more(self) -> str:
        """The whole reasoning with the rule details, for a "why" disclosure (empty when the
        short reason says it all)."""
        return self.why_shown[1]

    @property
    def effect_text(self) -> str:
        return self._effect(False)

    @property
    def effect_ascii(self) -> str:
        return self._effect(True)

    @property
    def later(self) -> tuple[date, int] | None:
        """Nothing done: the change of the shown JSS from a date (older rules)."""
        if self.counts_from is None or not self.counts_effect:
            return None
        return self.counts_from, self.counts_effect

    def _effect(self, ascii_only: bool) -> str:
        """Now, then over time: ``0 now; -4 from 2020-08-08 if nothing changes``."""
        now = effect_words(self.effect, ascii_only)
        if self.later is None:
            return now
        when, change = self.later
        now = "0 now" if now == "no change" else now + " now"
        text = f"{change:+d}" if change else "no change"
        if not ascii_only:
            text = text.replace("-", MINUS)
        return f"{now}; {text} from {when.isoformat()} if nothing changes"

    @property
    def changes(self) -> bool:
        """The action moves the displayed score in at least one case."""
        return self.effect is not None and any(round(v) for v in self.effect)

    @property
    def stays_open(self) -> bool:
        """keep / wait: nothing changes, but what closing now would do is worth showing."""
        return self.action in ("keep", "wait") and self.close_effect is not None

    @property
    def close_text(self) -> str:
        return effect_words(self.close_effect)

    @property
    def status_text(self) -> str:
        if self.idle_days is None or self.status in ("", "ended"):
            return self.status
        return f"{self.status}, {self.idle_days} days idle"


def points(value: int | None) -> str:
    if value is None:
        return "no score either way"
    return "no change" if value == 0 else f"{value:+d} point{'s' if abs(value) != 1 else ''}"


def good_chance(contract: Contract, happy: frozenset[str], on: date) -> float:
    """[I] A rough chance that this client rates well if asked to close now (see module doc).

    ``happy``: the ids of ended contracts whose client rated well (see ``happy_contracts``).
    """
    if contract.dispute or contract.end_reason == "dispute":
        return 0.05
    chance = 0.5
    chance += 0.2 if contract.earned_on(on) > 0 else -0.2
    if happy_before(contract, happy):
        chance += 0.2
    return round(min(0.95, max(0.05, chance)), 2)


def happy_contracts(contracts: tuple[Contract, ...], on: date) -> dict[str, frozenset[str]]:
    """Per client, the ids of its ended contracts rated well by ``on`` (one pass, not n x n)."""
    happy: dict[str, set[str]] = {}
    for other in contracts:
        fb = other.feedback
        if other.is_open(on) or fb is None or not fb.visible_on(on):
            continue
        if (fb.recommend is not None and fb.recommend >= 9) or (
                fb.recommend is None and fb.stars is not None and fb.stars >= HAPPY_STARS):
            happy.setdefault(other.client, set()).add(other.id)
    return {client: frozenset(ids) for client, ids in happy.items()}


def happy_before(contract: Contract, happy: frozenset[str]) -> bool:
    """Whether the same client rated another of its contracts well."""
    return bool(happy - {contract.id})


class _Context:
    def __init__(self, contracts: tuple[Contract, ...], on: date, rule_id: str,
                 dormancy: Dormancy, projector: Projector | None, money: Money = dollars
                 ) -> None:
        self.contracts = contracts
        self.money = money
        self.on = on
        self.rule_id = rule_id
        self.dormancy = dormancy
        self.rules = resolve_rules(rule_id, on)
        self.updates = Updates(contracts, rule_id, on + timedelta(days=800))
        self.scorers = Scorers(contracts, rule_id, projector)
        self.shows = self.updates.next_on_or_after(on)
        self.happy = happy_contracts(contracts, on)

    def happy_for(self, c: Contract) -> frozenset[str]:
        return self.happy.get(c.client, frozenset())


def recommend(contracts: tuple[Contract, ...] | list[Contract], on: date,
              rule_id: str = "auto", dormancy: Dormancy | None = None,
              projector: Projector | None = None, money: Money = dollars
              ) -> tuple[Recommendation, ...]:
    """Ranked recommendations for the open and just-ended contracts on ``on``.

    ``projector``: one of the same contracts, date and rule setting, to share its work;
    ``money``: how sentences write amounts (the report's formatter, in the profile's currency).
    """
    known = projector.known if projector is not None else known_on(contracts, on)
    ctx = _Context(known, on, rule_id, dormancy or Dormancy(), projector, money)
    recs: list[Recommendation] = []
    for c in ctx.contracts:
        if c.is_open(on):
            recs.append(_open(ctx, c))
        elif _awaiting_feedback(c, on):
            recs.append(_ask_feedback(ctx, c))
    return tuple(sorted(recs, key=_sort_key))


def _sort_key(r: Recommendation) -> tuple[Any, ...]:
    within: tuple[Any, ...]
    if r.action == "ask_feedback":
        within = (r.since.toordinal() if r.since else 0,)
    elif r.action in ("ask_to_close", "close"):
        within = (-(r.expected or 0.0),)
    elif r.action == "wait":
        within = (r.status != "dormant", -(r.idle_days or 0))
    else:
        within = ()
    return (_RANK[r.action], *within, r.contract)


def _awaiting_feedback(c: Contract, on: date) -> bool:
    assert c.end is not None
    return c.feedback is None and 0 <= (on - c.end).days < FEEDBACK_DAYS


def _ask_feedback(ctx: _Context, c: Contract) -> Recommendation:
    assert c.end is not None
    closes = c.end + timedelta(days=FEEDBACK_DAYS)
    when = ctx.updates.next_on_or_after(closes)
    scorer = ctx.scorers.on(when)
    none = scorer.jss
    poor = scorer.jss_with({c.id: c.evolve(feedback=poor_feedback(ctx.on))})
    good = scorer.jss_with({c.id: c.evolve(feedback=good_feedback(ctx.on))})
    effect = _pair(delta(poor, none), delta(good, none))
    lo, hi = (None, None) if effect is None else effect
    why = (f"Ended on {c.end.isoformat()}; the client can leave feedback until "
           f"{closes.isoformat()}. {_no_feedback_text(scorer.rules, c, ctx.on)} By "
           f"{when.isoformat()}: {points(hi)} with good feedback, {points(lo)} with poor, "
           "against none. Ask politely, once.")
    return Recommendation("ask_feedback", c.id, effect, when, why, "ended", scorer.rules.id,
                          since=c.end)


def _no_feedback_text(rules: RuleSet, c: Contract, on: date) -> str:
    if rules.no_feedback == "exclude":
        return "Since 2020-11-08 a contract that ends without feedback does not count."
    if c.earned_on(on) <= 0:
        return (f"Under the {rules.id} rules a $0 contract that ends without feedback counts "
                "against you.")
    return (f"Under the {rules.id} rules a paid contract that ends without feedback counts a "
            "little against you.")


def _pair(low: int | None, high: int | None) -> tuple[int, int] | None:
    return None if low is None or high is None else (low, high)


def _open(ctx: _Context, c: Contract) -> Recommendation:
    on = ctx.on
    status = classify_open(c, on, ctx.dormancy)
    scorer = ctx.scorers.on(ctx.shows)
    base = scorer.jss
    close_effect = _pair(delta(scorer.jss_with({c.id: ended(c, on, poor_feedback(on))}), base),
                         delta(scorer.jss_with({c.id: ended(c, on, good_feedback(on))}), base))
    chance = good_chance(c, ctx.happy_for(c), on)
    expected = None if close_effect is None else round(
        chance * close_effect[1] + (1 - chance) * close_effect[0], 2)
    counts_from, counts_effect, rule_text = _idle_rule(ctx, c)
    kind, _, weight, counts_on, _ = judge(c, on, ctx.rules)  # its outcome now, in numbers
    common: dict[str, Any] = dict(
        status=status.status, rules=scorer.rules.id, since=status.since,
        idle_days=status.idle_days, close_effect=close_effect, good_chance=chance,
        expected=expected, counts_from=counts_from, counts_effect=counts_effect)

    def stay(action: str, why: str) -> Recommendation:
        # keep / wait change nothing: (0, 0), or None when no score is shown
        zero = (0, 0) if base is not None else None
        return Recommendation(action, c.id, zero, ctx.shows, why, **common)

    if kind == "success" and counts_on is not None and weight > 0:  # counted
        why = (f"Still paying: last payment on {_iso(c.last_paid(on))}. Paid at least every 90 "
               "days, it counts as a long-term relationship success while it stays open "
               f"({ctx.rules.id}). Keep it open and keep delivering.")
        return stay("keep", why)
    if status.status == "active":
        why = (f"Still earning: {status.why}. An open contract does not count until it ends "
               "(or, paid at least every 90 days for 90 days, as a long-term relationship). "
               "Nothing to do.")
        return stay("keep", why)
    if status.status == "quiet":
        why = (f"Quiet: {status.why}. {rule_text} Nothing to do yet; if the work is finished, "
               "ask the client to close it the next time you talk.")
        return stay("wait", why)
    paid = c.earned_on(on)
    if close_effect is not None and expected is not None and expected > 0 and paid > 0:
        return _closing(ctx, c, status, close_effect, chance, paid, rule_text, common)
    low = None if close_effect is None else close_effect[0]
    risk = ("Nothing was paid, so the client is less likely to rate you well. " if paid <= 0
            else "")
    why = (f"Dormant: {status.why} ({status.source}). {rule_text} {risk}Closing it now only "
           f"risks poor feedback: {points(low)} if the client rates poorly. Leave it open.")
    return stay("wait", why)


def _closing(ctx: _Context, c: Contract, status: OpenStatus, close_effect: tuple[int, int],
             chance: float, paid: float, rule_text: str, common: dict[str, Any]
             ) -> Recommendation:
    low, high = close_effect
    happy = (", and this client rated you well before" if happy_before(c, ctx.happy_for(c))
             else "")
    odds = (f"{points(high)} if they rate well, {points(low)} if poorly (we put the chance of "
            f"good feedback at {chance:.0%}).")
    head = (f"Dormant but paid ({ctx.money(paid)}{happy}): the work looks "
            f"finished; {status.why}.")
    if (status.idle_days or 0) >= UNANSWERED_DAYS:
        why = (f"{head} After {status.idle_days} days of silence a request may go unanswered: "
               f"end it yourself; the client can still leave feedback for {FEEDBACK_DAYS} days: "
               f"{odds} {rule_text}")
        action = "close"
    else:
        why = f"{head} Ask the client to end it with feedback: {odds} {rule_text}"
        action = "ask_to_close"
    return Recommendation(action, c.id, close_effect, ctx.shows, why, **common)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "never"


def _idle_rule(ctx: _Context, c: Contract) -> tuple[date | None, int | None, str]:
    """When (and with what effect) this open contract counts under rules that count idle ones."""
    rules, on = ctx.rules, ctx.on
    if rules.idle_open_days is None:
        return None, None, ("Since 2020-11-08 an open contract without payment has no effect "
                            "on the score while it stays open.")
    touched = c.last_paid(on) or c.start
    start = touched + timedelta(days=rules.idle_open_days)
    head = (f"Under the {rules.id} rules an open contract counts after {rules.idle_open_days} "
            "days without payment, as a no-feedback outcome")
    then = resolve_rules(ctx.rule_id, start)
    if then.idle_open_days is None:
        return None, None, (f"{head}; this one would from {start.isoformat()}, but the "
                            f"{then.in_force_from} rules come first and no longer count open "
                            "contracts.")
    when = max(start, ctx.shows) if start > on else on
    when = ctx.updates.next_on_or_after(when)
    scorer = ctx.scorers.on(when)
    effect = delta(scorer.jss, scorer.jss_with({c.id: None}))
    until = ""
    if ctx.rule_id == "auto" and then.in_force_to is not None:
        nxt = rules_in_force(then.in_force_to + timedelta(days=1))
        if nxt.idle_open_days is None:
            until = f", until {nxt.in_force_from}, when open contracts stop counting"
    if start <= on:
        text = f"{head}; this one has since {start.isoformat()} ({points(effect)}){until}."
    else:
        text = (f"{head}; this one will from {start.isoformat()} ({points(effect)} by the "
                f"model, with no new payment){until}.")
    return start, effect, text
